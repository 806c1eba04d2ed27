#include "cli/commands/provider_request.h"

#include <catch2/catch.hpp>

using cs::ErrorCode;
using cs::cli::provider_config_from_flags;
using cs::cli::provider_create_body;
using cs::cli::provider_update_body;
using cs::cli::ProviderConfigFlags;
using cs::cli::ProviderFlags;

TEST_CASE("provider flags map onto API.md's config fields for each type", "[cli][providers]") {
  ProviderConfigFlags supabase;
  supabase.project_url = "https://abc.supabase.co";
  auto config = provider_config_from_flags(supabase, "supabase", std::string("s3cret"));
  REQUIRE(config);
  CHECK(*config ==
        nlohmann::json{{"project_url", "https://abc.supabase.co"}, {"jwt_secret", "s3cret"}});

  ProviderConfigFlags clerk;
  clerk.frontend_api_dev = "x.clerk.accounts.dev";
  clerk.frontend_api_prod = "clerk.example.com";
  clerk.authorized_parties = {"https://a.example", "https://b.example"};
  config = provider_config_from_flags(clerk, "clerk", std::nullopt);
  REQUIRE(config);
  CHECK(*config ==
        nlohmann::json{{"frontend_api_dev", "x.clerk.accounts.dev"},
                       {"frontend_api_prod", "clerk.example.com"},
                       {"authorized_parties", {"https://a.example", "https://b.example"}}});

  ProviderConfigFlags auth0;
  auth0.domain = "t.eu.auth0.com";
  auth0.audience = "https://api";
  config = provider_config_from_flags(auth0, "auth0", std::nullopt);
  REQUIRE(config);
  CHECK(*config == nlohmann::json{{"domain", "t.eu.auth0.com"}, {"audience", "https://api"}});

  ProviderConfigFlags firebase;
  firebase.project_id = "my-app";
  firebase.jwks_uri = "http://127.0.0.1:9/jwks";
  firebase.issuer = "http://127.0.0.1:9";
  config = provider_config_from_flags(firebase, "firebase", std::nullopt);
  REQUIRE(config);
  CHECK(*config == nlohmann::json{{"project_id", "my-app"},
                                  {"issuer", "http://127.0.0.1:9"},
                                  {"jwks_uri", "http://127.0.0.1:9/jwks"}});

  ProviderConfigFlags oidc;
  oidc.issuer = "https://id.example";
  oidc.audience = "mqtt";
  config = provider_config_from_flags(oidc, "oidc", std::nullopt);
  REQUIRE(config);
  CHECK(*config == nlohmann::json{{"audience", "mqtt"}, {"issuer", "https://id.example"}});
}

TEST_CASE("a flag of another provider type is a usage error naming the flag", "[cli][providers]") {
  ProviderConfigFlags flags;
  flags.project_id = "p";
  auto config = provider_config_from_flags(flags, "supabase", std::nullopt);
  REQUIRE_FALSE(config);
  CHECK(config.error().code == ErrorCode::usage);
  CHECK(config.error().message == "--project-id does not apply to providers of type supabase");

  ProviderConfigFlags secret_for_firebase;
  config = provider_config_from_flags(secret_for_firebase, "firebase", std::string("s"));
  REQUIRE_FALSE(config);
  CHECK(config.error().message == "--jwt-secret does not apply to providers of type firebase");

  ProviderConfigFlags parties;
  parties.authorized_parties = {"https://a"};
  config = provider_config_from_flags(parties, "oidc", std::nullopt);
  REQUIRE_FALSE(config);
  CHECK(config.error().message == "--authorized-party does not apply to providers of type oidc");
}

TEST_CASE("the create body carries type, name, enabled, claim and config", "[cli][providers]") {
  ProviderFlags flags;
  flags.type = "firebase";
  flags.name = "app";
  flags.config.project_id = "my-app";
  auto body = provider_create_body(flags, std::nullopt);
  REQUIRE(body);
  CHECK(*body == nlohmann::json{{"type", "firebase"},
                                {"name", "app"},
                                {"enabled", true},
                                {"config", {{"project_id", "my-app"}}}});
  flags.disabled = true;
  flags.username_claim = "sub";
  body = provider_create_body(flags, std::nullopt);
  REQUIRE(body);
  CHECK((*body)["enabled"] == false);
  CHECK((*body)["username_claim"] == "sub");
}

TEST_CASE("the update body holds only the fields given (a merge patch)", "[cli][providers]") {
  ProviderFlags flags;
  flags.disabled = true;
  auto body = provider_update_body(flags, std::nullopt);
  REQUIRE(body);
  CHECK(*body == nlohmann::json{{"enabled", false}});

  ProviderFlags rename;
  rename.name = "renamed";
  rename.config.audience = "aud";
  body = provider_update_body(rename, std::string("new-secret"));
  REQUIRE(body);
  CHECK(*body == nlohmann::json{{"name", "renamed"},
                                {"config", {{"audience", "aud"}, {"jwt_secret", "new-secret"}}}});

  ProviderFlags on;
  on.enabled = true;
  body = provider_update_body(on, std::nullopt);
  REQUIRE(body);
  CHECK(*body == nlohmann::json{{"enabled", true}});
}

TEST_CASE("an update with nothing to change, or on and off at once, is a usage error",
          "[cli][providers]") {
  auto body = provider_update_body(ProviderFlags{}, std::nullopt);
  REQUIRE_FALSE(body);
  CHECK(body.error().code == ErrorCode::usage);
  CHECK(body.error().message == "nothing to change");

  ProviderFlags both;
  both.enabled = true;
  both.disabled = true;
  body = provider_update_body(both, std::nullopt);
  REQUIRE_FALSE(body);
  CHECK(body.error().code == ErrorCode::usage);
}
