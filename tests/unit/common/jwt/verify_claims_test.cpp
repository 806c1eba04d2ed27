// Rule 6 of docs/IDENTITY.md through verify(): exp required, integer time claims, leeway, iss,
// aud, azp, and the order in which they are checked. Each refusal reason is asserted exactly,
// with its error code.

#include <catch2/catch.hpp>

#include "common/jwt/verify.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

namespace {

/// A payload with the fixture's iss and aud and `exp_json` written as is.
std::string raw_claims(std::string_view exp_json) {
  return cat({R"({"iss":"https://issuer.example/","aud":"cloudsignal","exp":)", exp_json, "}"});
}

}  // namespace

TEST_CASE("verify requires exp and integer time claims", "[jwt]") {
  const auto options = options_for(Alg::hs256);
  CHECK(verify_outcome(mint(Alg::hs256, claims_without("exp")), options) ==
        "invalid_token/missing_claim");
  CHECK(verify_outcome(hs256_raw(raw_claims("1700003600")), options) == "ok");
  for (const char* exp :
       {R"("1700003600")", "1700003600.0", "1700003600.5", "true", "1e300", "null", "[1700003600]",
        "9223372036854775808", "18446744073709551616", "-9223372036854775809", "1e3"}) {
    INFO(exp);
    CHECK(verify_outcome(hs256_raw(raw_claims(exp)), options) == "invalid_token/malformed_claim");
  }
  // The largest int64 is an integer, and far from expired.
  CHECK(verify_outcome(hs256_raw(raw_claims("9223372036854775807")), options) == "ok");
  for (const char* name : {"nbf", "iat", "auth_time"}) {
    INFO(name);
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, std::to_string(k_now)}})), options) ==
          "invalid_token/malformed_claim");
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, 1.5}})), options) ==
          "invalid_token/malformed_claim");
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, false}})), options) ==
          "invalid_token/malformed_claim");
  }
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"sub", 42}})), options) ==
        "invalid_token/malformed_claim");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"azp", json::array()}})), options) ==
        "invalid_token/malformed_claim");
}

TEST_CASE("verify refuses expired tokens with token_expired, at the leeway's edge", "[jwt]") {
  const auto options = options_for(Alg::hs256);
  const auto token = mint(Alg::hs256, claims_with({{"exp", k_now}}));
  // RFC 7519: not accepted on or after exp; the 60 s leeway moves that edge to exp + 60.
  CHECK(verify_outcome(token, options, k_now - 1) == "ok");
  CHECK(verify_outcome(token, options, k_now + 59) == "ok");
  CHECK(verify_outcome(token, options, k_now + 60) == "token_expired/expired");
  CHECK(verify_outcome(token, options, k_now + 3600) == "token_expired/expired");
  auto strict = options;
  strict.leeway = std::chrono::seconds{0};
  CHECK(verify_outcome(token, strict, k_now - 1) == "ok");
  CHECK(verify_outcome(token, strict, k_now) == "token_expired/expired");
  auto clerk = options;
  clerk.leeway = std::chrono::seconds{5};
  CHECK(verify_outcome(token, clerk, k_now + 4) == "ok");
  CHECK(verify_outcome(token, clerk, k_now + 5) == "token_expired/expired");
}

TEST_CASE("verify refuses nbf, iat and auth_time in the future beyond the leeway", "[jwt]") {
  const auto options = options_for(Alg::hs256);
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"nbf", "invalid_token/not_yet_valid"},
      {"iat", "invalid_token/iat_future"},
      {"auth_time", "invalid_token/iat_future"}};
  for (const auto& [name, refusal] : cases) {
    INFO(name);
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, k_now + 60}})), options) == "ok");
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, k_now + 61}})), options) == refusal);
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, k_now + 86400}})), options) ==
          refusal);
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{name, 0}})), options) == "ok");
  }
}

TEST_CASE("verify wants iss to equal the issuer exactly", "[jwt]") {
  const auto options = options_for(Alg::hs256);
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"iss", "https://issuer.example"}})),
                       options) == "invalid_token/bad_issuer");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"iss", "https://ISSUER.example/"}})),
                       options) == "invalid_token/bad_issuer");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"iss", "https://issuer.example//"}})),
                       options) == "invalid_token/bad_issuer");
  CHECK(verify_outcome(mint(Alg::hs256, claims_without("iss")), options) ==
        "invalid_token/missing_claim");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"iss", json::array({k_issuer})}})),
                       options) == "invalid_token/malformed_claim");
}

TEST_CASE("verify checks aud as a string or an array, per the audience rule", "[jwt]") {
  auto contains = options_for(Alg::hs256);
  const auto as_array = mint(Alg::hs256, claims_with({{"aud", {"other", "cloudsignal"}}}));
  const auto as_string = mint(Alg::hs256);
  const auto other = mint(Alg::hs256, claims_with({{"aud", {"other", "cloudsignal2"}}}));
  CHECK(verify_outcome(as_array, contains) == "ok");
  CHECK(verify_outcome(as_string, contains) == "ok");
  CHECK(verify_outcome(other, contains) == "invalid_token/bad_audience");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"aud", json::array()}})), contains) ==
        "invalid_token/bad_audience");
  CHECK(verify_outcome(mint(Alg::hs256, claims_without("aud")), contains) ==
        "invalid_token/missing_claim");

  auto equals = options_for(Alg::hs256);
  equals.audience = {AudienceMatch::equals, {"cloudsignal"}};
  CHECK(verify_outcome(as_string, equals) == "ok");
  CHECK(verify_outcome(as_array, equals) == "invalid_token/bad_audience");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"aud", {"cloudsignal"}}})), equals) ==
        "invalid_token/bad_audience");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"aud", "cloudsignal "}})), equals) ==
        "invalid_token/bad_audience");

  auto unchecked = options_for(Alg::hs256);
  unchecked.audience = {};
  CHECK(verify_outcome(other, unchecked) == "ok");
  CHECK(verify_outcome(mint(Alg::hs256, claims_without("aud")), unchecked) == "ok");
  for (const json& bad : {json(42), json::array({"a", 1}), json::object()}) {
    CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"aud", bad}})), unchecked) ==
          "invalid_token/malformed_claim");
  }
}

TEST_CASE("verify checks azp against authorized parties when they are configured", "[jwt]") {
  auto options = options_for(Alg::hs256);
  const auto with_azp = mint(Alg::hs256, claims_with({{"azp", "https://app.example"}}));
  const auto without_azp = mint(Alg::hs256);
  CHECK(verify_outcome(without_azp, options) == "ok");
  options.authorized_parties = std::vector<std::string>{"https://app.example"};
  CHECK(verify_outcome(with_azp, options) == "ok");
  CHECK(verify_outcome(without_azp, options) == "invalid_token/bad_azp");
  CHECK(verify_outcome(mint(Alg::hs256, claims_with({{"azp", "https://evil.example"}})), options) ==
        "invalid_token/bad_azp");
  options.authorized_parties = std::vector<std::string>{};
  CHECK(verify_outcome(with_azp, options) == "invalid_token/bad_azp");
}

TEST_CASE("verify checks the signature before any claim", "[jwt]") {
  // Expired, wrong issuer, wrong audience, and forged: the forgery is what is reported.
  const json bad_claims = {{"iss", "x"}, {"aud", "y"}, {"exp", 1}};
  const auto forged = sign(Alg::hs256, Key::from_secret(as_bytes("guess")).value(), bad_claims);
  CHECK(verify_outcome(forged.value(), options_for(Alg::hs256)) == "invalid_token/bad_signature");
  // With a good signature, a wrong issuer is reported ahead of the expiry.
  CHECK(verify_outcome(mint(Alg::hs256, bad_claims), options_for(Alg::hs256)) ==
        "invalid_token/bad_issuer");
}
