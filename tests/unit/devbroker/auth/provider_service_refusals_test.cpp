// Every way an exchange refuses a token, with the reason docs/IDENTITY.md gives, and nothing
// issued or bound when it does.

#include <catch2/catch.hpp>

#include "common/crypto/base64url.h"
#include "tests/unit/devbroker/auth/provider_service_fixture.h"

using namespace cs::auth;
using namespace std::chrono_literals;
using cs::test::auth0_claims;
using cs::test::auth0_rs256;
using cs::test::k_service_now;
using cs::test::outcome;
using cs::test::service_now;
using cs::test::ServiceFixture;
using cs::test::supabase_claims;
using cs::test::supabase_hs256;
using nlohmann::json;
namespace fx = cs::jwt::testing;

namespace {

std::string b64(const json& value) {
  return cs::crypto::base64url_encode(value.dump());
}

// `token` with one character of segment `segment` (0, 1, 2) changed.
std::string tampered(const std::string& token, int segment) {
  std::size_t start = 0;
  for (int i = 0; i < segment; ++i) start = token.find('.', start) + 1;
  std::string out = token;
  char& c = out[start + 5];
  c = c == 'A' ? 'B' : 'A';
  return out;
}

json with(json claims, const std::string& name, json value) {
  claims[name] = std::move(value);
  return claims;
}

struct RefusalFixture : ServiceFixture {
  RefusalFixture() {
    add_supabase();
    add_auth0();
  }
  // The outcome of exchanging `token` as `type`, checking nothing was issued or bound.
  std::string refused(const std::string& token, std::optional<std::string> type = {}) {
    const auto before = live_tokens();
    const auto result = exchange(token, std::move(type));
    CHECK(live_tokens() == before);
    return outcome(result);
  }
};

}  // namespace

TEST_CASE("refusals: time claims", "[provider_service][refusals]") {
  RefusalFixture f;
  const json good = supabase_claims("u1", "a@example.com");
  CHECK(f.refused(supabase_hs256(with(good, "exp", k_service_now - 61))) ==
        "token_expired/expired");
  CHECK(f.refused(supabase_hs256(with(good, "nbf", k_service_now + 61))) ==
        "invalid_token/not_yet_valid");
  CHECK(f.refused(supabase_hs256(with(good, "iat", k_service_now + 61))) ==
        "invalid_token/iat_future");
  CHECK(f.refused(supabase_hs256(with(good, "exp", "soon"))) == "invalid_token/malformed_claim");
  json no_exp = good;
  no_exp.erase("exp");
  CHECK(f.refused(supabase_hs256(no_exp)) == "invalid_token/missing_claim");
  // Within the 60 s leeway it still passes.
  CHECK(outcome(f.exchange(supabase_hs256(with(good, "exp", k_service_now - 59)))) == "ok");
}

TEST_CASE("refusals: issuer and audience", "[provider_service][refusals]") {
  RefusalFixture f;
  const json good = supabase_claims("u1", "a@example.com");
  CHECK(f.refused(supabase_hs256(with(good, "aud", "anon"))) == "invalid_token/bad_audience");
  CHECK(f.refused(supabase_hs256(with(good, "iss", "https://evil.supabase.co/auth/v1")),
                  "supabase") == "invalid_token/bad_issuer");
  const json auth0 = auth0_claims("u2", "b@example.com");
  CHECK(f.refused(auth0_rs256(with(auth0, "aud", "https://api.other"))) ==
        "invalid_token/bad_audience");
  // Supabase's anon and service_role keys are signed with the same secret but are not users.
  const json anon = {{"iss", "supabase"},
                     {"ref", "abc"},
                     {"role", "anon"},
                     {"iat", k_service_now},
                     {"exp", k_service_now + 3600}};
  CHECK(f.refused(supabase_hs256(anon), "supabase") == "invalid_token/bad_issuer");
  CHECK(f.refused(supabase_hs256(anon)) == "provider_not_found/");
}

TEST_CASE("refusals: algorithms and signatures", "[provider_service][refusals]") {
  RefusalFixture f;
  const json supabase = supabase_claims("u1", "a@example.com");
  const json auth0 = auth0_claims("u2", "b@example.com");

  // RFC 7515 A.5 style: alg none, empty signature.
  const std::string none = b64({{"alg", "none"}, {"typ", "JWT"}}) + "." + b64(supabase) + ".";
  CHECK(f.refused(none) == "invalid_token/unsupported_alg");
  CHECK(f.refused(b64({{"alg", "none"}}) + "." + b64(auth0) + ".", "auth0") ==
        "invalid_token/unsupported_alg");

  // Key confusion: an HS256 token keyed with the provider's public RSA key, against an
  // RS256-only provider.
  const std::string public_pem = cs::jwt::public_key_pem(fx::rsa_key()).value();
  const auto confused = supabase_hs256(auth0, public_pem);
  CHECK(f.refused(confused, "auth0") == "invalid_token/unsupported_alg");
  CHECK(f.refused(confused) == "invalid_token/unsupported_alg");
  // ... and against Supabase, which has a secret: the public key is not it.
  CHECK(f.refused(supabase_hs256(supabase, public_pem)) == "invalid_token/bad_signature");

  CHECK(f.refused(supabase_hs256(supabase, "the-wrong-secret")) == "invalid_token/bad_signature");
  CHECK(f.refused(tampered(supabase_hs256(supabase), 2)) == "invalid_token/bad_signature");
  CHECK(f.refused(tampered(auth0_rs256(auth0), 2)) == "invalid_token/bad_signature");
  // A payload swapped under a valid signature.
  const std::string signed_token = auth0_rs256(auth0);
  const std::string swapped = signed_token.substr(0, signed_token.find('.') + 1) +
                              b64(with(auth0, "sub", "admin")) +
                              signed_token.substr(signed_token.rfind('.'));
  CHECK(f.refused(swapped) == "invalid_token/bad_signature");

  // A key the provider never published.
  CHECK(f.refused(auth0_rs256(auth0, fx::rsa_key_2())) == "invalid_token/unknown_kid");
  CHECK(f.refused(cs::jwt::sign(cs::jwt::Alg::rs256, fx::rsa_key(), auth0, {{"crit", {"exp"}}})
                      .value()) == "invalid_token/crit_unsupported");
}

TEST_CASE("refusals: keys that cannot be fetched", "[provider_service][refusals]") {
  ServiceFixture f;
  f.add("auth0", "down",
        {{"domain", "acme.auth0.com"},
         {"audience", "https://api.acme"},
         {"jwks_uri", "http://127.0.0.1:1/nothing-here"}});
  const auto result = f.exchange(auth0_rs256(auth0_claims("u", "a@example.com")));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == cs::ErrorCode::jwks_unavailable);
  CHECK(cs::http_status(result.error().code) == 503);
  CHECK(f.live_tokens() == 0);
}

TEST_CASE("refusals: the HTTP error carries the reason", "[provider_service][refusals]") {
  RefusalFixture f;
  const auto result = f.exchange(
      supabase_hs256(with(supabase_claims("u", "a@example.com"), "exp", k_service_now - 100)));
  REQUIRE_FALSE(result);
  CHECK(cs::http_status(result.error().code) == 401);
  const auto body = json::parse(cs::to_http_json(result.error()));
  CHECK(body["error"] == "token_expired");
  CHECK(body["reason"] == "expired");
}

TEST_CASE("refusals bind no name", "[provider_service][refusals][bindings]") {
  RefusalFixture f;
  const json good = supabase_claims("u1", "a@example.com");
  CHECK(f.refused(supabase_hs256(with(good, "aud", "anon"))) == "invalid_token/bad_audience");
  CHECK_FALSE(f.store.repos().bindings.find_by_name("a_example_com").value());
  REQUIRE(f.exchange(supabase_hs256(good)));
  CHECK(f.store.repos().bindings.find_by_name("a_example_com").value());
}
