// Provider bodies in, provider views out (API.md "Providers"); no view ever holds a secret.

#include "devbroker/auth/provider_json.h"

#include <catch2/catch.hpp>

using namespace cs::auth;
using nlohmann::json;

namespace {

std::string message_of(const cs::Result<NewProvider>& r) {
  return r ? "ok" : r.error().message;
}

std::string patch_message(const json& body) {
  const auto r = ProviderPatch::from_json(body);
  return r ? "ok" : r.error().message;
}

cs::store::ProviderRecord record() {
  cs::store::ProviderRecord r;
  r.id = "prv_abc";
  r.type = "auth0";
  r.name = "main";
  r.username_claim = "sub";
  r.config = {{"domain", "acme.auth0.com"},
              {"audience", "https://api"},
              {"jwt_secret", "hs256-shared-secret"}};
  r.created_at = cs::SysSeconds(std::chrono::seconds(1'900'000'000));
  r.updated_at = r.created_at + std::chrono::seconds(60);
  return r;
}

}  // namespace

TEST_CASE("a create body: required, optional, null and unknown fields", "[provider_json]") {
  const auto full = NewProvider::from_json({{"type", "clerk"},
                                            {"name", "web"},
                                            {"enabled", false},
                                            {"username_claim", "sub"},
                                            {"config", {{"frontend_api_dev", "x.clerk.dev"}}},
                                            {"dev", true},
                                            {"organization_id", "ignored"}})
                        .value();
  CHECK(full.type == "clerk");
  CHECK(full.name == "web");
  CHECK_FALSE(full.enabled);
  CHECK(full.username_claim == "sub");
  CHECK(full.config == json{{"frontend_api_dev", "x.clerk.dev"}});
  CHECK(full.dev);

  const auto minimal =
      NewProvider::from_json({{"type", "oidc"}, {"name", "n"}, {"enabled", nullptr}}).value();
  CHECK(minimal.enabled);
  CHECK(minimal.username_claim == "email");
  CHECK(minimal.config == json::object());
  CHECK_FALSE(minimal.dev);

  CHECK(message_of(NewProvider::from_json(json::array())) ==
        "the request body must be a JSON object");
  CHECK(message_of(NewProvider::from_json({{"name", "n"}})) == "'type' is required");
  CHECK(message_of(NewProvider::from_json({{"type", "oidc"}})) == "'name' is required");
  CHECK(message_of(NewProvider::from_json({{"type", 1}, {"name", "n"}})) ==
        "'type' must be a string");
  CHECK(message_of(NewProvider::from_json({{"type", "oidc"}, {"name", "n"}, {"enabled", "yes"}})) ==
        "'enabled' must be true or false");
  CHECK(message_of(NewProvider::from_json({{"type", "oidc"}, {"name", "n"}, {"config", "{}"}})) ==
        "'config' must be a JSON object");
  CHECK(
      message_of(NewProvider::from_json({{"type", "oidc"}, {"name", "n"}, {"usernameClaim", 1}})) ==
      "'usernameClaim' is not a field of a provider");
  CHECK(message_of(NewProvider::from_json({{"type", "oidc"}, {"name", "n"}, {"id", "prv_x"}})) ==
        "'id' is not a field of a provider");
  CHECK(NewProvider::from_json({{"name", "n"}}).error().code == cs::ErrorCode::invalid_request);
}

TEST_CASE("a PATCH body: only what is given, the admin view can be sent back", "[provider_json]") {
  const auto patch = ProviderPatch::from_json({{"enabled", false}}).value();
  CHECK(patch.enabled == false);
  CHECK_FALSE(patch.name);
  CHECK_FALSE(patch.config);
  CHECK_FALSE(patch.type);

  auto view = to_admin_json(record());
  view["name"] = "renamed";
  const auto round_trip = ProviderPatch::from_json(view).value();
  CHECK(round_trip.name == "renamed");
  CHECK(round_trip.type == "auth0");
  CHECK(round_trip.config == view["config"]);

  CHECK(patch_message({{"name", 5}}) == "'name' must be a string");
  CHECK(patch_message({{"config", json::array()}}) == "'config' must be a JSON object");
  CHECK(patch_message({{"colour", "red"}}) == "'colour' is not a field of a provider");
  CHECK(patch_message("text") == "the request body must be a JSON object");
}

TEST_CASE("the public view: id, type, name, enabled", "[provider_json]") {
  CHECK(to_public_json(record()) ==
        json{{"id", "prv_abc"}, {"type", "auth0"}, {"name", "main"}, {"enabled", true}});
}

TEST_CASE("the admin view: everything but secrets", "[provider_json]") {
  const json view = to_admin_json(record());
  CHECK(view == json{{"id", "prv_abc"},
                     {"type", "auth0"},
                     {"name", "main"},
                     {"enabled", true},
                     {"username_claim", "sub"},
                     {"config", {{"domain", "acme.auth0.com"}, {"audience", "https://api"}}},
                     {"secrets_set", {"jwt_secret"}},
                     {"dev", false},
                     {"created_at", "2030-03-17T17:46:40Z"},
                     {"updated_at", "2030-03-17T17:47:40Z"}});
  CHECK(view.dump().find("hs256-shared-secret") == std::string::npos);

  auto no_secret = record();
  no_secret.config.erase("jwt_secret");
  CHECK(to_admin_json(no_secret)["secrets_set"] == json::array());
}

TEST_CASE("which config fields are secret", "[provider_json]") {
  for (const char* name : {"jwt_secret", "client_secret", "password", "private_key_pem"})
    CHECK(is_secret_config_field(name));
  for (const char* name : {"project_url", "audience", "domain", "jwks_uri", "issuer"})
    CHECK_FALSE(is_secret_config_field(name));
}

TEST_CASE("a record becomes a provider only when it validates", "[provider_json]") {
  const auto p = provider_from_record(record()).value();
  CHECK(p.type == ProviderType::auth0);
  CHECK(p.username_claim == UsernameClaim::sub);
  CHECK(p.id == "prv_abc");
  auto bad = record();
  bad.config.erase("audience");
  CHECK(provider_from_record(bad).error().message ==
        "a provider of type auth0 needs 'audience' in its config");
}
