#include "common/jwt/jwk.h"

#include <catch2/catch.hpp>

#include "common/jwt/verify.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

namespace {

std::string jwk_error(const json& jwk) {
  const auto key = parse_jwk(jwk);
  return key ? "ok" : key.error().message;
}

json ec_jwk() {
  return public_jwk(ec256_key()).value();
}

json rsa_jwk() {
  return public_jwk(rsa_key()).value();
}

}  // namespace

TEST_CASE("parse_jwk reads RSA, EC and oct keys with their labels", "[jwt]") {
  json rsa = rsa_jwk();
  rsa["alg"] = "RS256";
  rsa["use"] = "sig";
  const auto rsa_parsed = parse_jwk(rsa);
  REQUIRE(rsa_parsed);
  CHECK(rsa_parsed->type() == KeyType::rsa);
  CHECK(rsa_parsed->kid() == "rsa-1");
  CHECK(rsa_parsed->jwk_alg() == "RS256");
  CHECK(rsa_parsed->jwk_use() == "sig");
  CHECK_FALSE(rsa_parsed->can_sign());

  const auto p384 = parse_jwk(public_jwk(ec384_key()).value());
  REQUIRE(p384);
  CHECK(p384->type() == KeyType::ec_p384);

  const auto oct = parse_jwk({{"kty", "oct"}, {"k", b64("secret")}});
  REQUIRE(oct);
  CHECK(oct->type() == KeyType::hmac);
  CHECK(to_string(oct->secret()) == "secret");
  CHECK(oct->kid().empty());
}

TEST_CASE("parse_jwk ignores private members and builds only the public key", "[jwt]") {
  json with_d = ec_jwk();
  with_d["d"] = b64(std::string(32, '\x01'));
  const auto key = parse_jwk(with_d);
  REQUIRE(key);
  CHECK_FALSE(key->can_sign());
}

TEST_CASE("parse_jwk refuses keys it cannot use, saying why", "[jwt]") {
  CHECK(jwk_error(json::array()) == "A JWK must be a JSON object.");
  CHECK(jwk_error({{"n", "AQAB"}}) == "The JWK has no kty member.");
  CHECK(jwk_error({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AQAB"}}) ==
        "The JWK's key type is not RSA, EC or oct.");
  CHECK(jwk_error({{"kty", "rsa"}}) == "The JWK's key type is not RSA, EC or oct.");
  json bad_kid = rsa_jwk();
  bad_kid["kid"] = 7;
  CHECK(jwk_error(bad_kid) == "The JWK member kid is not a string.");
  json no_e = rsa_jwk();
  no_e.erase("e");
  CHECK(jwk_error(no_e) == "The JWK has no e member.");
  json padded_n = rsa_jwk();
  padded_n["n"] = cat({padded_n["n"].get<std::string>(), "="});
  CHECK(jwk_error(padded_n) == "The JWK member n is not non-empty base64url.");
  CHECK(jwk_error(weak_rsa_jwk("weak")) ==
        "The RSA key has 1024 bits; at least 2048 are required.");
  CHECK(jwk_error({{"kty", "oct"}, {"k", ""}}) == "The JWK member k is not non-empty base64url.");
}

TEST_CASE("parse_jwk holds EC keys to P-256 or P-384 and to points on the curve", "[jwt]") {
  json other_curve = ec_jwk();
  other_curve["crv"] = "P-521";
  CHECK(jwk_error(other_curve) == "The EC JWK is on a curve other than P-256 or P-384.");
  other_curve["crv"] = "secp256k1";
  CHECK(jwk_error(other_curve) == "The EC JWK is on a curve other than P-256 or P-384.");
  json mislabelled = public_jwk(ec384_key()).value();
  mislabelled["crv"] = "P-256";
  CHECK(jwk_error(mislabelled) == "The EC JWK's coordinates do not match the size of its curve.");
  json short_x = ec_jwk();
  short_x["x"] = b64(std::string(31, '\x01'));
  CHECK(jwk_error(short_x) == "The EC JWK's coordinates do not match the size of its curve.");
  json off_curve = ec_jwk();
  auto y = crypto::base64url_decode(off_curve["y"].get<std::string>()).value();
  y.back() ^= 0x01;
  off_curve["y"] = crypto::base64url_encode(y);
  CHECK_FALSE(parse_jwk(off_curve));
  json zero = ec_jwk();
  zero["x"] = b64(std::string(32, '\0'));
  zero["y"] = b64(std::string(32, '\0'));
  CHECK_FALSE(parse_jwk(zero));
}

TEST_CASE("parse_jwks keeps usable keys and skips the rest without failing", "[jwt]") {
  json enc = ec_jwk();
  enc["use"] = "enc";
  const json set = {{"keys",
                     {rsa_jwk(),
                      weak_rsa_jwk("weak"),
                      {{"kty", "OKP"}, {"kid", "ed"}, {"crv", "Ed25519"}, {"x", "AQAB"}},
                      {{"kty", "EC"}, {"kid", "broken"}, {"crv", "P-256"}},
                      {{"kty", "oct"}, {"kid", "secret"}, {"k", b64("published secret")}},
                      "not an object",
                      enc}}};
  const auto parsed = parse_jwks(set.dump());
  REQUIRE(parsed);
  REQUIRE(parsed->keys.size() == 2);
  CHECK(parsed->keys[0].kid() == "rsa-1");
  // Kept: whether its `use` fits is decided per token, by verify.
  CHECK(parsed->keys[1].jwk_use() == "enc");
  REQUIRE(parsed->skipped.size() == 5);
  CHECK(parsed->skipped[0] == "Key 1: The RSA key has 1024 bits; at least 2048 are required.");
  CHECK(parsed->skipped[1] == "Key 2: The JWK's key type is not RSA, EC or oct.");
  CHECK(parsed->skipped[2] == "Key 3: The JWK has no x member.");
  CHECK(parsed->skipped[3] ==
        "Key 4: A symmetric key in a published key set is known to everyone, so it is not used.");
  CHECK(parsed->skipped[4] == "Key 5: A JWK must be a JSON object.");
}

TEST_CASE("parse_jwks fails only for a document that is not a key set", "[jwt]") {
  CHECK(parse_jwks("").error().message == "The key set is not a JSON object.");
  CHECK(parse_jwks("[]").error().message == "The key set is not a JSON object.");
  CHECK(parse_jwks(R"({"keys":{}})").error().message == "The key set has no keys array.");
  CHECK(parse_jwks(R"({"key":[]})").error().message == "The key set has no keys array.");
  const auto empty = parse_jwks(R"({"keys":[]})");
  REQUIRE(empty);
  CHECK(empty->keys.empty());
}

TEST_CASE("parse_x509_map reads Firebase's kid-to-certificate map", "[jwt]") {
  const json map = {{"rsa-1", certificate_pem(rsa_key())},
                    {"rsa-2", certificate_pem(rsa_key_2())},
                    {"number", 42},
                    {"garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}};
  const auto parsed = parse_x509_map(map.dump());
  REQUIRE(parsed);
  REQUIRE(parsed->keys.size() == 2);
  CHECK(parsed->skipped.size() == 2);
  CHECK(parsed->skipped[0] == "Certificate garbage: The PEM certificate could not be read.");
  CHECK(parsed->skipped[1] == "Certificate number: The entry is not a PEM string.");

  VerifyOptions options = options_for(Alg::rs256);
  options.keys = parsed->keys;
  options.kid_rule = KidRule::required;
  options.audience = {AudienceMatch::equals, {"cloudsignal"}};
  CHECK(outcome(verify(mint(Alg::rs256), options, at(k_now))) == "ok");
  CHECK(outcome(verify(sign(Alg::rs256, rsa_key_2(), good_claims()).value(), options, at(k_now))) ==
        "ok");
  CHECK(parse_x509_map("[]").error().message == "The certificate map is not a JSON object.");
}

TEST_CASE("public_jwk exports RSA and EC keys as the JWKs they parse from", "[jwt]") {
  const auto rsa = rsa_jwk();
  CHECK(rsa["kty"] == "RSA");
  CHECK(rsa["e"] == "AQAB");
  CHECK(crypto::base64url_decode(rsa["n"].get<std::string>()).value().size() == 256);
  CHECK(rsa["kid"] == "rsa-1");
  CHECK_FALSE(rsa.contains("d"));
  const auto ec = public_jwk(ec384_key()).value();
  CHECK(ec["crv"] == "P-384");
  CHECK(crypto::base64url_decode(ec["x"].get<std::string>()).value().size() == 48);
  CHECK(crypto::base64url_decode(ec["y"].get<std::string>()).value().size() == 48);
  const auto labelled = public_jwk(ec256_key().with_jwk_labels("ES256", "sig")).value();
  CHECK(labelled["alg"] == "ES256");
  CHECK(labelled["use"] == "sig");
  for (const Key* key : {&rsa_key(), &ec256_key(), &ec384_key()})
    CHECK(public_jwk(published(*key)).value() == public_jwk(*key).value());
  CHECK(public_jwk(hmac_key()).error().message == "An HMAC secret is never published as a JWK.");
  const auto set = public_jwks({rsa_key(), ec256_key()}).value();
  CHECK(set["keys"].size() == 2);
  CHECK(parse_jwks(set.dump()).value().keys.size() == 2);
  CHECK_FALSE(public_jwks({rsa_key(), hmac_key()}));
}
