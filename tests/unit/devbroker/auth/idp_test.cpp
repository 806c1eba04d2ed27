// Verifying provider-shaped tokens end to end, per docs/IDENTITY.md's provider table.

#include "devbroker/auth/idp.h"

#include <catch2/catch.hpp>

#include "common/jwt/jwk.h"
#include "common/jwt/jws.h"
#include "common/jwt/sign.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"
#include "tests/unit/devbroker/auth/fake_fetcher.h"

using namespace cs::auth;
using namespace std::chrono_literals;
using cs::Result;
using cs::jwt::Alg;
using cs::test::FakeFetcher;
using nlohmann::json;
namespace fx = cs::jwt::testing;

namespace {

constexpr std::int64_t k_now = 1'800'000'000;
const std::chrono::sys_seconds now{std::chrono::seconds(k_now)};
const SteadyTime steady = SteadyTime{} + 1000h;

Provider make(ProviderType type, json config, std::string id = "prv_test") {
  Provider p;
  p.id = std::move(id);
  p.type = type;
  p.config = std::move(config);
  return p;
}

json base_claims(const std::string& iss) {
  return {{"iss", iss}, {"sub", "user-1"}, {"iat", k_now - 10}, {"exp", k_now + 3600}};
}

std::string outcome(const Result<VerifiedIdentity>& r) {
  if (r) return "ok";
  return std::string(cs::error_code_name(r.error().code)) + "/" + r.error().reason;
}

struct Fixture {
  FakeFetcher fetcher;
  KeyCache cache{fetcher};
  IdpVerifier verifier{cache, nullptr};

  Fixture() {
    fetcher.docs["http://127.0.0.1:1/jwks"] = {
        cs::jwt::public_jwks({fx::rsa_key(), fx::ec256_key()}).value().dump(), {}, false};
    json certs = {{"rsa-1", fx::certificate_pem(fx::rsa_key())}};
    fetcher.docs["http://127.0.0.1:1/certs"] = {certs.dump(), {}, false};
  }
  Result<VerifiedIdentity> verify(const Provider& p, const std::string& token) {
    return verifier.verify(p, token, now, steady);
  }
};

std::string sign(Alg alg, const json& claims) {
  return cs::jwt::sign(alg, fx::key_for(alg), claims).value();
}

}  // namespace

TEST_CASE("Supabase: legacy HS256 tokens with the project's JWT secret", "[idp]") {
  Fixture f;
  const auto p =
      make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co"},
                                    {"jwt_secret", "super-secret-jwt-token-with-32-chars"}});
  json c = base_claims("https://abc.supabase.co/auth/v1");
  c["aud"] = "authenticated";
  c["email"] = "john@example.com";
  const auto secret =
      cs::jwt::Key::from_secret(cs::as_bytes("super-secret-jwt-token-with-32-chars")).value();
  const auto id = f.verify(p, cs::jwt::sign(Alg::hs256, secret, c).value());
  REQUIRE(id);
  CHECK(id->subject == "user-1");
  CHECK(id->email == "john@example.com");
  CHECK(id->provider_id == "prv_test");
  CHECK(f.fetcher.requests.empty());  // HS256 needs no key fetch

  const auto wrong = cs::jwt::Key::from_secret(cs::as_bytes("another-secret")).value();
  CHECK(outcome(f.verify(p, cs::jwt::sign(Alg::hs256, wrong, c).value())) ==
        "invalid_token/bad_signature");
}

TEST_CASE("Supabase: asymmetric tokens against the project's JWKS", "[idp]") {
  Fixture f;
  const auto p = make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co"},
                                               {"jwks_uri", "http://127.0.0.1:1/jwks"}});
  json c = base_claims("https://abc.supabase.co/auth/v1");
  c["aud"] = "authenticated";
  CHECK(outcome(f.verify(p, sign(Alg::es256, c))) == "ok");
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "ok");
  // No secret configured: an HS256 token is refused whatever its signature.
  CHECK(outcome(f.verify(p, sign(Alg::hs256, c))) == "invalid_token/unsupported_alg");
  c["aud"] = "anon";
  CHECK(outcome(f.verify(p, sign(Alg::es256, c))) == "invalid_token/bad_audience");
}

TEST_CASE("Supabase: the anon and service_role API keys are not user tokens", "[idp]") {
  Fixture f;
  const auto p =
      make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co"},
                                    {"jwt_secret", "super-secret-jwt-token-with-32-chars"}});
  const auto secret =
      cs::jwt::Key::from_secret(cs::as_bytes("super-secret-jwt-token-with-32-chars")).value();
  for (const char* role : {"anon", "service_role"}) {
    const json c = {
        {"iss", "supabase"}, {"ref", "abc"}, {"role", role}, {"iat", k_now}, {"exp", k_now + 3600}};
    CHECK(outcome(f.verify(p, cs::jwt::sign(Alg::hs256, secret, c).value())) ==
          "invalid_token/bad_issuer");
  }
}

TEST_CASE("Supabase: anonymous users only when the provider allows them", "[idp]") {
  Fixture f;
  json config = {{"project_url", "https://abc.supabase.co"},
                 {"jwks_uri", "http://127.0.0.1:1/jwks"}};
  json c = base_claims("https://abc.supabase.co/auth/v1");
  c["aud"] = "authenticated";
  c["is_anonymous"] = true;
  CHECK(outcome(f.verify(make(ProviderType::supabase, config), sign(Alg::es256, c))) ==
        "invalid_token/bad_identity");
  config["allow_anonymous"] = true;
  CHECK(outcome(f.verify(make(ProviderType::supabase, config), sign(Alg::es256, c))) == "ok");
}

TEST_CASE("Firebase: certificate map, exact audience, kid, auth_time, verified email only",
          "[idp]") {
  Fixture f;
  const auto p = make(ProviderType::firebase,
                      {{"project_id", "my-app"}, {"jwks_uri", "http://127.0.0.1:1/certs"}});
  json c = base_claims("https://securetoken.google.com/my-app");
  c["aud"] = "my-app";
  c["auth_time"] = k_now - 100;
  c["email"] = "a@b.c";
  c["email_verified"] = false;
  auto id = f.verify(p, sign(Alg::rs256, c));
  REQUIRE(id);
  CHECK_FALSE(id->email);  // unverified emails are not vouched for
  c["email_verified"] = true;
  CHECK(f.verify(p, sign(Alg::rs256, c)).value().email == "a@b.c");

  json array_aud = c;
  array_aud["aud"] = json::array({"my-app"});
  CHECK(outcome(f.verify(p, sign(Alg::rs256, array_aud))) == "invalid_token/bad_audience");
  json no_auth_time = c;
  no_auth_time.erase("auth_time");
  CHECK(outcome(f.verify(p, sign(Alg::rs256, no_auth_time))) == "invalid_token/missing_claim");
  json long_sub = c;
  long_sub["sub"] = std::string(129, 'x');
  CHECK(outcome(f.verify(p, sign(Alg::rs256, long_sub))) == "invalid_token/bad_identity");
  json empty_sub = c;
  empty_sub["sub"] = "";
  CHECK(outcome(f.verify(p, sign(Alg::rs256, empty_sub))) == "invalid_token/missing_claim");
  // Without a kid there is nothing to look the certificate up by.
  const auto no_kid = cs::jwt::sign(Alg::rs256, fx::rsa_key().with_kid(""), c).value();
  CHECK(outcome(f.verify(p, no_kid)) == "invalid_token/unknown_kid");
  c["iss"] = "https://securetoken.google.com/other-app";
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "invalid_token/bad_issuer");
}

TEST_CASE("Auth0: trailing-slash issuer, audience in an array", "[idp]") {
  Fixture f;
  const auto p = make(ProviderType::auth0, {{"domain", "acme.auth0.com"},
                                            {"audience", "https://api.acme"},
                                            {"jwks_uri", "http://127.0.0.1:1/jwks"}});
  json c = base_claims("https://acme.auth0.com/");
  c["aud"] = json::array({"https://api.acme", "https://acme.auth0.com/userinfo"});
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "ok");
  c["iss"] = "https://acme.auth0.com";
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "invalid_token/bad_issuer");
}

TEST_CASE("Clerk: dev and prod issuers, azp, 5-second leeway", "[idp]") {
  Fixture f;
  const auto p = make(ProviderType::clerk, {{"frontend_api_dev", "cat.clerk.accounts.dev"},
                                            {"frontend_api_prod", "clerk.example.com"},
                                            {"authorized_parties", {"https://example.com"}},
                                            {"jwks_uri", "http://127.0.0.1:1/jwks"}});
  for (const char* iss : {"https://cat.clerk.accounts.dev", "https://clerk.example.com"}) {
    json c = base_claims(iss);
    c["azp"] = "https://example.com";
    c["exp"] = k_now + 60;
    CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "ok");
  }
  json c = base_claims("https://clerk.example.com");
  c["azp"] = "https://evil.com";
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "invalid_token/bad_azp");
  c.erase("azp");
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "invalid_token/bad_azp");
  c["azp"] = "https://example.com";
  c["exp"] = k_now - 6;
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "token_expired/expired");
  c["exp"] = k_now - 4;
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "ok");
}

TEST_CASE("OIDC: keys through discovery", "[idp]") {
  Fixture f;
  f.fetcher.docs["http://127.0.0.1:2/.well-known/openid-configuration"] = {
      R"({"issuer":"http://127.0.0.1:2","jwks_uri":"http://127.0.0.1:1/jwks"})", {}, false};
  const auto p = make(ProviderType::oidc, {{"issuer", "http://127.0.0.1:2"}, {"audience", "mqtt"}});
  json c = base_claims("http://127.0.0.1:2");
  c["aud"] = "mqtt";
  CHECK(outcome(f.verify(p, sign(Alg::es256, c))) == "ok");
  CHECK(outcome(f.verify(p, sign(Alg::rs256, c))) == "ok");
  CHECK(outcome(f.verify(p, sign(Alg::ps256, c))) == "invalid_token/unsupported_alg");
}

TEST_CASE("unreachable keys give jwks_unavailable, and bad tokens never cause a fetch", "[idp]") {
  Fixture f;
  const auto p = make(ProviderType::auth0, {{"domain", "acme.auth0.com"},
                                            {"audience", "a"},
                                            {"jwks_uri", "http://127.0.0.1:1/missing"}});
  json c = base_claims("https://acme.auth0.com/");
  c["aud"] = "a";
  const auto r = f.verify(p, sign(Alg::rs256, c));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::jwks_unavailable);
  f.fetcher.requests.clear();
  CHECK(outcome(f.verify(p, "not.a.token")) == "invalid_token/malformed");
  CHECK(outcome(f.verify(p, sign(Alg::hs256, c))) == "invalid_token/unsupported_alg");
  CHECK(f.fetcher.requests.empty());
}

TEST_CASE("the provider is chosen by the token's issuer among enabled ones", "[idp]") {
  std::vector<Provider> providers = {
      make(ProviderType::firebase, {{"project_id", "p"}}, "prv_fb"),
      make(ProviderType::auth0, {{"domain", "acme.auth0.com"}, {"audience", "a"}}, "prv_a0"),
  };
  const auto token = sign(Alg::rs256, base_claims("https://acme.auth0.com/"));
  CHECK(find_provider_for_token(providers, token) == 1u);
  providers[1].enabled = false;
  const auto r = find_provider_for_token(providers, token);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::provider_not_found);
  json no_iss = base_claims("x");
  no_iss.erase("iss");
  CHECK(find_provider_for_token(providers, sign(Alg::rs256, no_iss)).error().reason ==
        "missing_claim");
}

TEST_CASE("the dev identity provider mints tokens each provider accepts", "[idp][dev_idp]") {
  FakeFetcher fetcher;
  KeyCache cache(fetcher);
  const auto dev = DevIdentityProvider::generate().value();
  IdpVerifier verifier(cache, &dev);
  const std::vector<Provider> providers = {
      make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co"}}),
      make(ProviderType::firebase, {{"project_id", "my-app"}}),
      make(ProviderType::auth0, {{"domain", "acme.auth0.com"}, {"audience", "https://api"}}),
      make(ProviderType::clerk, {{"frontend_api_dev", "cat.clerk.accounts.dev"},
                                 {"authorized_parties", {"http://localhost:3000"}}}),
      make(ProviderType::oidc, {{"issuer", "https://id.example.com"}, {"audience", "mqtt"}}),
  };
  for (Provider p : providers) {
    INFO(provider_type_name(p.type));
    const auto token = dev.mint(p, {"john@example.com", "", 60s}, now).value();
    // A real provider does not trust the dev keys...
    CHECK_FALSE(verifier.verify(p, token, now, steady));
    // ...a dev one does, with no network at all.
    p.dev = true;
    const auto id = verifier.verify(p, token, now, steady);
    REQUIRE(id);
    CHECK(id->email == "john@example.com");
    CHECK(id->subject.starts_with("dev_"));
    CHECK(outcome(verifier.verify(p, token, now + 3600s, steady)) == "token_expired/expired");
  }
  CHECK(fetcher.requests.size() <= providers.size());

  // Keys survive a save and load.
  const auto again =
      DevIdentityProvider::from_pem(dev.rsa_pem().value(), dev.ec_pem().value()).value();
  Provider p = providers[1];
  p.dev = true;
  CHECK(verifier.verify(p, again.mint(p, {"a@b.c", "uid-7", 60s}, now).value(), now, steady)
            .value()
            .subject == "uid-7");
  CHECK(dev.mint(p, {"", "", 60s}, now).error().message ==
        "give an email or a subject for the token");
  CHECK_FALSE(dev.mint(p, {"a@b.c", "", 48h}, now));
}

TEST_CASE("a dev provider with a jwt_secret gets HS256 tokens signed with it", "[idp][dev_idp]") {
  FakeFetcher fetcher;
  KeyCache cache(fetcher);
  const auto dev = DevIdentityProvider::generate().value();
  IdpVerifier verifier(cache, &dev);
  Provider p = make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co"},
                                             {"jwt_secret", "a-legacy-secret-of-32-characters!"}});
  p.dev = true;
  const auto token = dev.mint(p, {"john@example.com", "", 60s}, now).value();
  CHECK(cs::jwt::parse_jws(token).value().header.alg == "HS256");
  CHECK(verifier.verify(p, token, now, steady).value().email == "john@example.com");
  // Signed with that secret and no other: a provider with another secret refuses it.
  Provider other =
      make(ProviderType::supabase, {{"project_url", "https://abc.supabase.co"},
                                    {"jwt_secret", "another-secret-of-32-characters!!"}});
  other.dev = true;
  CHECK(outcome(verifier.verify(other, token, now, steady)) == "invalid_token/bad_signature");
  CHECK(fetcher.requests.empty());
}
