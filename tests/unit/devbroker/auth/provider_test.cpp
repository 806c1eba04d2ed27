#include "devbroker/auth/provider.h"

#include <catch2/catch.hpp>

using namespace cs::auth;
using nlohmann::json;

namespace {

Provider make(ProviderType type, json config) {
  Provider p;
  p.id = "prv_1";
  p.type = type;
  p.config = std::move(config);
  return p;
}

}  // namespace

TEST_CASE("provider type names round-trip and are exact", "[provider]") {
  for (auto t : {ProviderType::supabase, ProviderType::firebase, ProviderType::auth0,
                 ProviderType::clerk, ProviderType::oidc}) {
    CHECK(provider_type_from_name(provider_type_name(t)) == t);
  }
  CHECK_FALSE(provider_type_from_name("Supabase"));
  CHECK_FALSE(provider_type_from_name("okta"));
}

TEST_CASE("Supabase rules: issuer, JWKS, audience, HS256 only with a secret", "[provider]") {
  auto r = rules_for(make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co/"}}))
               .value();
  REQUIRE(r.issuers.size() == 1);
  CHECK(r.issuers[0].issuer == "https://abc.supabase.co/auth/v1");
  CHECK(r.issuers[0].keys.url == "https://abc.supabase.co/auth/v1/.well-known/jwks.json");
  CHECK(r.audience.match == cs::jwt::AudienceMatch::contains_one_of);
  CHECK(r.audience.values == std::vector<std::string>{"authenticated"});
  CHECK_FALSE(r.hmac_secret);
  CHECK_FALSE(r.allow_anonymous_users);
  r = rules_for(make(ProviderType::supabase,
                     {{"project_url", "https://abc.supabase.co"}, {"jwt_secret", "s3cret"}}))
          .value();
  CHECK(r.hmac_secret == "s3cret");
}

TEST_CASE("Firebase rules: certificate map, exact audience, kid required", "[provider]") {
  const auto r = rules_for(make(ProviderType::firebase, {{"project_id", "my-app"}})).value();
  CHECK(r.issuers[0].issuer == "https://securetoken.google.com/my-app");
  CHECK(r.issuers[0].keys.format == KeyFormat::x509_map);
  CHECK(r.issuers[0].keys.url.starts_with("https://www.googleapis.com/robot/v1/metadata/x509/"));
  CHECK(r.audience.match == cs::jwt::AudienceMatch::equals);
  CHECK(r.kid_rule == cs::jwt::KidRule::required);
  CHECK(r.algs == std::vector<cs::jwt::Alg>{cs::jwt::Alg::rs256});
}

TEST_CASE("Auth0 rules: trailing-slash issuer and the audience", "[provider]") {
  const auto r = rules_for(make(ProviderType::auth0,
                                {{"domain", "acme.eu.auth0.com"}, {"audience", "https://api"}}))
                     .value();
  CHECK(r.issuers[0].issuer == "https://acme.eu.auth0.com/");
  CHECK(r.issuers[0].keys.url == "https://acme.eu.auth0.com/.well-known/jwks.json");
  CHECK(r.audience.values == std::vector<std::string>{"https://api"});
}

TEST_CASE("Clerk rules: dev and prod issuers, short leeway, authorized parties", "[provider]") {
  const auto r =
      rules_for(make(ProviderType::clerk, {{"frontend_api_dev", "happy-cat-1.clerk.accounts.dev"},
                                           {"frontend_api_prod", "https://clerk.example.com/"},
                                           {"authorized_parties", {"https://example.com"}}}))
          .value();
  REQUIRE(r.issuers.size() == 2);
  CHECK(r.issuers[0].issuer == "https://happy-cat-1.clerk.accounts.dev");
  CHECK(r.issuers[1].issuer == "https://clerk.example.com");
  CHECK(r.issuers[1].keys.url == "https://clerk.example.com/.well-known/jwks.json");
  CHECK(r.leeway == std::chrono::seconds(5));
  CHECK(r.audience.match == cs::jwt::AudienceMatch::not_checked);
  CHECK(r.authorized_parties == std::vector<std::string>{"https://example.com"});
}

TEST_CASE("OIDC rules: discovery unless jwks_uri is given", "[provider]") {
  auto r = rules_for(make(ProviderType::oidc,
                          {{"issuer", "https://id.example.com"}, {"audience", "mqtt"}}))
               .value();
  CHECK(r.issuers[0].keys.format == KeyFormat::discovery);
  CHECK(r.issuers[0].keys.url == "https://id.example.com/.well-known/openid-configuration");
  CHECK(r.issuers[0].keys.expected_issuer == "https://id.example.com");
  r = rules_for(make(ProviderType::oidc, {{"issuer", "https://id.example.com"},
                                          {"audience", "mqtt"},
                                          {"jwks_uri", "http://127.0.0.1:9/keys"},
                                          {"algorithms", {"ES384"}}}))
          .value();
  CHECK(r.issuers[0].keys.format == KeyFormat::jwks);
  CHECK(r.issuers[0].keys.url == "http://127.0.0.1:9/keys");
  CHECK(r.algs == std::vector<cs::jwt::Alg>{cs::jwt::Alg::es384});
}

TEST_CASE("issuer and jwks_uri overrides apply to every type", "[provider]") {
  const auto r = rules_for(make(ProviderType::firebase, {{"project_id", "p"},
                                                         {"issuer", "http://127.0.0.1:5/iss"},
                                                         {"jwks_uri", "http://127.0.0.1:5/certs"}}))
                     .value();
  CHECK(r.issuers[0].issuer == "http://127.0.0.1:5/iss");
  CHECK(r.issuers[0].keys.url == "http://127.0.0.1:5/certs");
  CHECK(r.issuers[0].keys.format == KeyFormat::x509_map);
}

TEST_CASE("provider configs are validated with a sentence naming the problem", "[provider]") {
  auto error = [](ProviderType t, json c) {
    return validate_provider_config(t, c).error().message;
  };
  CHECK(error(ProviderType::supabase, json::object()) ==
        "a provider of type supabase needs 'project_url' in its config");
  CHECK(error(ProviderType::auth0, {{"domain", "x"}}) ==
        "a provider of type auth0 needs 'audience' in its config");
  CHECK(error(ProviderType::firebase, {{"project_id", 7}}) ==
        "'project_id' must be a non-empty string");
  CHECK(error(ProviderType::firebase, {{"project_id", "p"}, {"secret", "x"}}) ==
        "unknown field 'secret' in the config of a firebase provider");
  CHECK(error(ProviderType::clerk, json::object()) ==
        "a clerk provider needs 'frontend_api_dev' and/or 'frontend_api_prod'");
  CHECK(error(ProviderType::supabase, {{"project_url", "http://abc.supabase.co"}})
            .starts_with("'project_url': not a usable URL"));
  CHECK(error(ProviderType::oidc,
              {{"issuer", "https://i"}, {"audience", "a"}, {"algorithms", {"HS256"}}}) ==
        "unsupported algorithm 'HS256': use RS256/384/512, PS256/384/512, ES256 or ES384");
  CHECK(error(ProviderType::oidc,
              {{"issuer", "https://i"}, {"audience", "a"}, {"algorithms", {"none"}}})
            .starts_with("unsupported algorithm 'none'"));
  CHECK(error(ProviderType::supabase, {{"project_url", "https://a"}, {"allow_anonymous", "yes"}}) ==
        "'allow_anonymous' must be true or false");
  CHECK_FALSE(validate_provider_config(ProviderType::firebase, json::array()));
  CHECK(
      validate_provider_config(ProviderType::clerk, {{"frontend_api_prod", "clerk.example.com"}}));
}
