// Rules 1 to 5 of docs/IDENTITY.md through verify(): size and syntax, algorithm, key selection,
// signature. Each refusal reason is asserted exactly, with its error code; claims (rule 6) are in
// verify_claims_test.cpp.

#include "common/jwt/verify.h"

#include <catch2/catch.hpp>

#include "common/jwt/refusal.h"
#include "common/jwt/signature.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

TEST_CASE("verify accepts a good token and returns its claims", "[jwt]") {
  const auto claims = verify(mint(Alg::rs256), options_for(Alg::rs256), at(k_now));
  REQUIRE(outcome(claims) == "ok");
  CHECK(claims->header.alg == "RS256");
  CHECK(claims->header.kid == "rsa-1");
  CHECK(claims->iss == k_issuer);
  CHECK(claims->sub == "user-1");
  CHECK(claims->aud == std::vector<std::string>{"cloudsignal"});
  CHECK(claims->exp == k_now + 3600);
  CHECK(claims->iat == k_now - 10);
  CHECK(claims->nbf == k_now - 10);
  CHECK_FALSE(claims->auth_time);
  CHECK_FALSE(claims->azp);
  CHECK(claims->payload["email"] == "john@example.com");
}

TEST_CASE("verify never accepts alg none, in any spelling", "[jwt]") {
  auto options = options_for(Alg::hs256);
  options.allowed_algs.assign(all_algs().begin(), all_algs().end());
  const std::string payload = b64(good_claims().dump());
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = b64(cat({R"({"alg":")", alg, R"("})"}));
    const std::string unsigned_token = cat({header, ".", payload, "."});
    CHECK(verify_outcome(unsigned_token, options) == "invalid_token/unsupported_alg");
    // A signature made with the configured secret does not make `none` acceptable.
    const auto hmac = crypto::hmac(crypto::HashAlg::sha256, hmac_key().secret(),
                                   as_bytes(cat({header, ".", payload})));
    const std::string signed_token =
        cat({header, ".", payload, ".", crypto::base64url_encode(hmac)});
    CHECK(verify_outcome(signed_token, options) == "invalid_token/unsupported_alg");
  }
}

TEST_CASE("verify takes the algorithm from the allow-list, exact and case-sensitive", "[jwt]") {
  auto options = options_for(Alg::rs256);
  CHECK(verify_outcome(mint(Alg::rs384), options) == "invalid_token/unsupported_alg");
  CHECK(verify_outcome(mint(Alg::ps256), options) == "invalid_token/unsupported_alg");
  // Same key, same signature bytes, but a header that spells the algorithm differently.
  const auto good =
      sign_raw(Alg::rs256, rsa_key(), R"({"alg":"rs256","kid":"rsa-1"})", good_claims().dump())
          .value();
  CHECK(verify_outcome(good, options) == "invalid_token/unsupported_alg");
  const auto unknown =
      sign_raw(Alg::rs256, rsa_key(), R"({"alg":"RS1","kid":"rsa-1"})", good_claims().dump())
          .value();
  CHECK(verify_outcome(unknown, options) == "invalid_token/unsupported_alg");
  options.allowed_algs.clear();
  CHECK(verify_outcome(mint(Alg::rs256), options) == "invalid_token/unsupported_alg");
}

TEST_CASE("verify refuses HS256 signed with the RSA public key as secret (key confusion)",
          "[jwt]") {
  const std::string pem = public_key_pem(rsa_key()).value();
  const Key confused = Key::from_secret(as_bytes(pem), "rsa-1").value();
  const auto token = sign(Alg::hs256, confused, good_claims()).value();
  auto options = options_for(Alg::rs256);
  options.allowed_algs = {Alg::rs256, Alg::hs256};
  CHECK(verify_outcome(token, options) == "invalid_token/unsupported_alg");
  // Nor does a configured public key ever act as a secret when only HMAC is allowed.
  options.allowed_algs = {Alg::hs256};
  CHECK(verify_outcome(token, options) == "invalid_token/unsupported_alg");
  // The other way round: an RS256 token where only a secret is configured.
  auto secret_only = options_for(Alg::hs256);
  secret_only.allowed_algs = {Alg::hs256, Alg::rs256};
  CHECK(verify_outcome(mint(Alg::rs256), secret_only) == "invalid_token/unsupported_alg");
}

TEST_CASE("verify refuses a crit header", "[jwt]") {
  const auto token = mint(Alg::es256, good_claims(), {{"crit", {"exp"}}, {"exp", 1}});
  CHECK(verify_outcome(token, options_for(Alg::es256)) == "invalid_token/crit_unsupported");
}

TEST_CASE("verify ignores jku and x5c and checks only against configured keys", "[jwt]") {
  const Key attacker = generate_rsa_key(2048, "rsa-1").value();
  const json attacker_header = {{"jku", "https://attacker.example/jwks.json"},
                                {"x5c", {"MIIBattacker"}},
                                {"jwk", public_jwk(attacker).value()}};
  const auto forged = sign(Alg::rs256, attacker, good_claims(), attacker_header).value();
  CHECK(verify_outcome(forged, options_for(Alg::rs256)) == "invalid_token/bad_signature");
  const auto genuine = mint(Alg::rs256, good_claims(), attacker_header);
  CHECK(verify_outcome(genuine, options_for(Alg::rs256)) == "ok");
}

TEST_CASE("verify refuses a tampered payload or header", "[jwt]") {
  const auto token = mint(Alg::rs256);
  const auto dot = token.find('.');
  const auto tampered_payload =
      cat({token.substr(0, dot), ".", b64(claims_with({{"sub", "admin"}}).dump()),
           token.substr(token.rfind('.'))});
  CHECK(verify_outcome(tampered_payload, options_for(Alg::rs256)) == "invalid_token/bad_signature");
  const auto tampered_header = cat({b64(R"({"kid":"rsa-1","alg":"RS256"})"), token.substr(dot)});
  CHECK(verify_outcome(tampered_header, options_for(Alg::rs256)) == "invalid_token/bad_signature");
  const auto hs = mint(Alg::hs256);
  const auto tampered_hs =
      cat({hs.substr(0, hs.find('.')), ".", b64(claims_with({{"sub", "admin"}}).dump()),
           hs.substr(hs.rfind('.'))});
  CHECK(verify_outcome(tampered_hs, options_for(Alg::hs256)) == "invalid_token/bad_signature");
}

TEST_CASE("verify refuses truncated, extended and flipped signatures", "[jwt]") {
  for (const Alg alg : {Alg::hs256, Alg::rs256, Alg::ps256, Alg::es256, Alg::es384}) {
    INFO(alg_name(alg));
    const auto token = mint(alg);
    const auto signature = crypto::base64url_decode(token.substr(token.rfind('.') + 1)).value();
    Bytes shorter(signature.begin(), signature.end() - 1);
    Bytes longer = signature;
    longer.push_back(0);
    Bytes flipped = signature;
    flipped[flipped.size() / 2] ^= 0x01;
    for (const Bytes& bad : {shorter, longer, flipped, Bytes{}}) {
      CHECK(verify_outcome(with_signature(token, crypto::base64url_encode(bad)),
                           options_for(alg)) == "invalid_token/bad_signature");
    }
  }
}

TEST_CASE("verify wants ES256 signatures as exactly 64 bytes of r||s, neither zero", "[jwt]") {
  const auto token = mint(Alg::es256);
  const auto options = options_for(Alg::es256);
  const auto raw = crypto::base64url_decode(token.substr(token.rfind('.') + 1)).value();
  REQUIRE(raw.size() == 64);
  CHECK(verify_outcome(with_signature(token, crypto::base64url_encode(Bytes(64, 0))), options) ==
        "invalid_token/bad_signature");
  Bytes r_zero = raw;
  std::fill(r_zero.begin(), r_zero.begin() + 32, 0);
  CHECK(verify_outcome(with_signature(token, crypto::base64url_encode(r_zero)), options) ==
        "invalid_token/bad_signature");
  Bytes padded(1, 0);
  padded.insert(padded.end(), raw.begin(), raw.end());
  CHECK(verify_outcome(with_signature(token, crypto::base64url_encode(padded)), options) ==
        "invalid_token/bad_signature");
  CHECK(
      verify_outcome(with_signature(token, crypto::base64url_encode(ByteView(raw).subspan(0, 63))),
                     options) == "invalid_token/bad_signature");
  // The same signature in OpenSSL's DER form is refused: JWS carries r||s only.
  const auto der = ecdsa_raw_to_der(raw, 32).value();
  CHECK(verify_outcome(with_signature(token, crypto::base64url_encode(der)), options) ==
        "invalid_token/bad_signature");
  CHECK(verify_outcome(token, options) == "ok");
}

TEST_CASE("verify refuses malformed tokens before looking at keys", "[jwt]") {
  const auto options = options_for(Alg::hs256);
  const auto token = mint(Alg::hs256);
  CHECK(verify_outcome(token.substr(0, token.rfind('.')), options) == "invalid_token/malformed");
  CHECK(verify_outcome(cat({token, ".", "e30"}), options) == "invalid_token/malformed");
  CHECK(verify_outcome(cat({token, "="}), options) == "invalid_token/malformed");
  CHECK(verify_outcome(cat({" ", token}), options) == "invalid_token/malformed");
  const auto header_array = sign_raw(Alg::hs256, hmac_key(), R"(["HS256"])", "{}").value();
  CHECK(verify_outcome(header_array, options) == "invalid_token/malformed");
  const auto twice_alg =
      sign_raw(Alg::hs256, hmac_key(), R"({"alg":"none","alg":"HS256"})", good_claims().dump())
          .value();
  CHECK(verify_outcome(twice_alg, options) == "invalid_token/malformed");
  const auto twice_sub =
      hs256_raw(R"({"iss":"https://issuer.example/","aud":"cloudsignal","exp":1700003600,)"
                R"("sub":"user-1","sub":"admin"})");
  CHECK(verify_outcome(twice_sub, options) == "invalid_token/malformed");
}

TEST_CASE("verify refuses tokens over 8 KiB before decoding", "[jwt]") {
  const auto token = mint(Alg::hs256, claims_with({{"pad", std::string(8 * 1024, 'x')}}));
  CHECK(verify_outcome(token, options_for(Alg::hs256)) == "invalid_token/too_large");
  CHECK(verify_outcome(std::string(8 * 1024 + 1, '.'), options_for(Alg::hs256)) ==
        "invalid_token/too_large");
}

TEST_CASE("verify looks keys up by kid", "[jwt]") {
  auto options = options_for(Alg::rs256);
  options.keys.push_back(published(rsa_key_2()));
  CHECK(verify_outcome(mint(Alg::rs256), options) == "ok");
  CHECK(verify_outcome(sign(Alg::rs256, rsa_key_2(), good_claims()).value(), options) == "ok");
  const auto unknown = mint(Alg::rs256, good_claims(), {{"kid", "rotated-away"}});
  CHECK(verify_outcome(unknown, options) == "invalid_token/unknown_kid");
  // A kid pointing at the other key is a bad signature, not a fallback to the right key.
  const auto misdirected = mint(Alg::rs256, good_claims(), {{"kid", "rsa-2"}});
  CHECK(verify_outcome(misdirected, options) == "invalid_token/bad_signature");
}

TEST_CASE("verify allows a token without kid only when exactly one key is eligible", "[jwt]") {
  const Key no_kid_signer = rsa_key().with_kid("");
  const auto token = sign(Alg::rs256, no_kid_signer, good_claims()).value();
  REQUIRE(token.find("kid") == std::string::npos);
  auto one = options_for(Alg::rs256);
  // An EC key is not eligible for RS256, so one RSA key is still exactly one.
  one.keys.push_back(published(ec256_key()));
  CHECK(verify_outcome(token, one) == "ok");
  auto two = options_for(Alg::rs256);
  two.keys.push_back(published(rsa_key_2()));
  CHECK(verify_outcome(token, two) == "invalid_token/unknown_kid");
  auto required = options_for(Alg::rs256);
  required.kid_rule = KidRule::required;
  CHECK(verify_outcome(token, required) == "invalid_token/unknown_kid");
  CHECK(verify_outcome(mint(Alg::rs256), required) == "ok");
}

TEST_CASE("verify lets a key configured without kid answer to a token's kid", "[jwt]") {
  // A configured shared secret has no kid, while the provider's tokens may carry one.
  const auto token = mint(Alg::hs256, good_claims(), {{"kid", "legacy-secret-id"}});
  CHECK(verify_outcome(token, options_for(Alg::hs256)) == "ok");
  auto two_secrets = options_for(Alg::hs256);
  two_secrets.keys.push_back(Key::from_secret(as_bytes("another secret")).value());
  CHECK(verify_outcome(token, two_secrets) == "invalid_token/unknown_kid");
}

TEST_CASE("verify wants the key's type to fit the algorithm", "[jwt]") {
  // The P-384 key is named by the token, but ES256 needs a P-256 key.
  const Key p384_named_like_p256 = published(ec384_key()).with_kid("ec-256");
  auto options = options_for(Alg::es256);
  options.keys = {p384_named_like_p256};
  CHECK(verify_outcome(mint(Alg::es256), options) == "invalid_token/key_mismatch");
  // Same with an RSA key named by an ES256 token.
  options.keys = {published(rsa_key()).with_kid("ec-256"), published(ec256_key()).with_kid("x")};
  CHECK(verify_outcome(mint(Alg::es256), options) == "invalid_token/key_mismatch");
  // And without a kid, no P-256 key at all.
  const auto no_kid = sign(Alg::es256, ec256_key().with_kid(""), good_claims()).value();
  options.keys = {published(ec384_key())};
  options.allowed_algs = {Alg::es256, Alg::es384};
  CHECK(verify_outcome(no_kid, options) == "invalid_token/key_mismatch");
}

TEST_CASE("verify wants a JWK's own alg and use to agree", "[jwt]") {
  auto options = options_for(Alg::rs256);
  options.keys = {published(rsa_key()).with_jwk_labels("RS256", "sig")};
  CHECK(verify_outcome(mint(Alg::rs256), options) == "ok");
  options.keys = {published(rsa_key()).with_jwk_labels(std::nullopt, "enc")};
  CHECK(verify_outcome(mint(Alg::rs256), options) == "invalid_token/key_mismatch");
  options.keys = {published(rsa_key()).with_jwk_labels("RS512", std::nullopt)};
  CHECK(verify_outcome(mint(Alg::rs256), options) == "invalid_token/key_mismatch");
  options.keys = {published(rsa_key()).with_jwk_labels("PS256", "sig")};
  options.allowed_algs = {Alg::rs256, Alg::ps256};
  CHECK(verify_outcome(mint(Alg::rs256), options) == "invalid_token/key_mismatch");
  CHECK(verify_outcome(mint(Alg::ps256), options) == "ok");
}

TEST_CASE("verify ignores keys skipped from a JWKS, such as 1024-bit RSA", "[jwt]") {
  const json set = {{"keys", {weak_rsa_jwk("weak"), public_jwk(rsa_key()).value()}}};
  const auto keys = parse_jwks(set.dump()).value();
  REQUIRE(keys.keys.size() == 1);
  REQUIRE(keys.skipped.size() == 1);
  auto options = options_for(Alg::rs256);
  options.keys = keys.keys;
  // Genuinely signed by the weak key, and still refused: that key is not among ours.
  CHECK(verify_outcome(weak_rsa_token("weak"), options) == "invalid_token/unknown_kid");
  CHECK(verify_outcome(weak_rsa_token("rsa-1"), options) == "invalid_token/bad_signature");
}

TEST_CASE("refusal messages are sentences without the token or the secret", "[jwt]") {
  const auto token = mint(Alg::hs256, claims_with({{"exp", k_now - 3600}}));
  const auto signature = token.substr(token.rfind('.') + 1);
  const std::string secret = to_string(hmac_key().secret());
  for (const auto& options : {options_for(Alg::hs256), options_for(Alg::rs256)}) {
    const auto result = verify(token, options, at(k_now));
    REQUIRE_FALSE(result);
    const auto& error = result.error();
    CHECK_FALSE(error.message.empty());
    CHECK(error.message.back() == '.');
    CHECK_FALSE(error.hint.empty());
    for (const auto& text : {error.message, error.hint}) {
      CHECK(text.find(signature) == std::string::npos);
      CHECK(text.find(token.substr(0, 20)) == std::string::npos);
      CHECK(text.find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("refusal_error maps every reason to its name and code", "[jwt]") {
  const std::vector<std::pair<Refusal, const char*>> names = {
      {Refusal::too_large, "too_large"},
      {Refusal::malformed, "malformed"},
      {Refusal::unsupported_alg, "unsupported_alg"},
      {Refusal::crit_unsupported, "crit_unsupported"},
      {Refusal::key_mismatch, "key_mismatch"},
      {Refusal::unknown_kid, "unknown_kid"},
      {Refusal::bad_signature, "bad_signature"},
      {Refusal::expired, "expired"},
      {Refusal::not_yet_valid, "not_yet_valid"},
      {Refusal::iat_future, "iat_future"},
      {Refusal::missing_claim, "missing_claim"},
      {Refusal::malformed_claim, "malformed_claim"},
      {Refusal::bad_issuer, "bad_issuer"},
      {Refusal::bad_audience, "bad_audience"},
      {Refusal::bad_azp, "bad_azp"},
      {Refusal::bad_identity, "bad_identity"}};
  for (const auto& [refusal, name] : names) {
    const Error error = refusal_error(refusal, "The token is refused.");
    CHECK(error.reason == name);
    CHECK(error.code ==
          (refusal == Refusal::expired ? ErrorCode::token_expired : ErrorCode::invalid_token));
    CHECK(error.message == "The token is refused.");
    CHECK_FALSE(error.hint.empty());
  }
}
