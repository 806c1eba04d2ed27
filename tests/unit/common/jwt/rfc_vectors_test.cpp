// Published test vectors: RFC 7515 Appendix A (JWS examples) and RFC 7517 Appendix A (JWK
// examples). Each was checked by a real verification before it was copied here; the RFC 7515
// tokens expired on 2011-03-22, so the clock is injected.

#include <catch2/catch.hpp>

#include "common/jwt/jwk.h"
#include "common/jwt/verify.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

namespace {

// {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}
constexpr std::string_view k_payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ";
constexpr std::int64_t k_exp = 1300819380;

// RFC 7515 A.1: {"typ":"JWT",\r\n "alg":"HS256"} with the oct key below.
constexpr std::string_view k_a1_key =
    R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})";
constexpr std::string_view k_a1_header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
constexpr std::string_view k_a1_signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

// RFC 7515 A.2: {"alg":"RS256"}. The modulus matches the product of the example's p and q.
constexpr std::string_view k_a2_key = R"({"kty":"RSA","e":"AQAB","n":")"
                                      "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"
                                      "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs"
                                      "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH"
                                      "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV"
                                      "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8"
                                      "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"}";
constexpr std::string_view k_a2_header = "eyJhbGciOiJSUzI1NiJ9";
constexpr std::string_view k_a2_signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
    "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb"
    "1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QO"
    "YEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// RFC 7515 A.3: {"alg":"ES256"} with a P-256 key; the signature is raw r||s.
constexpr std::string_view k_a3_key =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
constexpr std::string_view k_a3_header = "eyJhbGciOiJFUzI1NiJ9";
constexpr std::string_view k_a3_signature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

// RFC 7515 A.5: {"alg":"none"} and an empty signature.
constexpr std::string_view k_a5_header = "eyJhbGciOiJub25lIn0";

std::string token(std::string_view header, std::string_view signature) {
  return cat({header, ".", k_payload, ".", signature});
}

VerifyOptions rfc_options(Alg alg, std::string_view jwk) {
  VerifyOptions options;
  options.allowed_algs = {alg};
  options.keys = {parse_jwk(json::parse(jwk)).value()};
  options.issuer = "joe";
  return options;
}

}  // namespace

TEST_CASE("RFC 7515 A.1 (HS256) verifies just before it expires", "[jwt]") {
  const auto claims =
      verify(token(k_a1_header, k_a1_signature), rfc_options(Alg::hs256, k_a1_key), at(k_exp - 1));
  REQUIRE(outcome(claims) == "ok");
  CHECK(claims->header.alg == "HS256");
  CHECK(claims->header.typ == "JWT");
  CHECK(claims->iss == "joe");
  CHECK(claims->exp == k_exp);
  CHECK(claims->payload["http://example.com/is_root"] == true);
}

TEST_CASE("RFC 7515 A.2 (RS256) verifies with the example's public key", "[jwt]") {
  const auto claims =
      verify(token(k_a2_header, k_a2_signature), rfc_options(Alg::rs256, k_a2_key), at(k_exp - 1));
  REQUIRE(outcome(claims) == "ok");
  CHECK(claims->header.alg == "RS256");
  CHECK(claims->iss == "joe");
}

TEST_CASE("RFC 7515 A.3 (ES256) verifies its raw r||s signature", "[jwt]") {
  const auto claims =
      verify(token(k_a3_header, k_a3_signature), rfc_options(Alg::es256, k_a3_key), at(k_exp - 1));
  REQUIRE(outcome(claims) == "ok");
  CHECK(claims->header.alg == "ES256");
}

TEST_CASE("RFC 7515 vectors are refused once expired and when altered", "[jwt]") {
  CHECK(outcome(verify(token(k_a2_header, k_a2_signature), rfc_options(Alg::rs256, k_a2_key),
                       at(k_exp + 60))) == "token_expired/expired");
  // The A.2 signature does not carry over to the A.3 key, nor A.1's to a different secret.
  CHECK(outcome(verify(token(k_a3_header, k_a2_signature), rfc_options(Alg::es256, k_a3_key),
                       at(k_exp - 1))) == "invalid_token/bad_signature");
  auto other_secret = rfc_options(Alg::hs256, k_a1_key);
  other_secret.keys = {Key::from_secret(as_bytes("another secret")).value()};
  CHECK(outcome(verify(token(k_a1_header, k_a1_signature), other_secret, at(k_exp - 1))) ==
        "invalid_token/bad_signature");
}

TEST_CASE("RFC 7515 A.5 (unsecured JWS) is refused", "[jwt]") {
  auto options = rfc_options(Alg::hs256, k_a1_key);
  options.allowed_algs = {Alg::hs256, Alg::rs256, Alg::es256};
  const auto result = verify(token(k_a5_header, ""), options, at(k_exp - 1));
  CHECK(outcome(result) == "invalid_token/unsupported_alg");
}

TEST_CASE("RFC 7517 A.1 example public keys parse: one EC P-256, one RSA", "[jwt]") {
  constexpr std::string_view k_set =
      R"({"keys":[)"
      R"({"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",)"
      R"("y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"},)"
      R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",)"
      R"("e":"AQAB","alg":"RS256","kid":"2011-04-29"}]})";
  const auto set = parse_jwks(k_set);
  REQUIRE(set);
  CHECK(set->skipped.empty());
  REQUIRE(set->keys.size() == 2);
  const Key& ec = set->keys[0];
  CHECK(ec.type() == KeyType::ec_p256);
  CHECK(ec.kid() == "1");
  CHECK(ec.jwk_use() == "enc");
  CHECK_FALSE(ec.jwk_alg());
  CHECK_FALSE(ec.can_sign());
  const Key& rsa = set->keys[1];
  CHECK(rsa.type() == KeyType::rsa);
  CHECK(rsa.kid() == "2011-04-29");
  CHECK(rsa.jwk_alg() == "RS256");
  CHECK_FALSE(rsa.jwk_use());
  CHECK(rsa.bits() == 2048);
  // Exported again, the keys are the same JWKs, members for members.
  const auto set_json = json::parse(k_set);
  const auto ec_again = public_jwk(ec).value();
  CHECK(ec_again == set_json["keys"][0]);
  const auto rsa_again = public_jwk(rsa).value();
  CHECK(rsa_again == set_json["keys"][1]);
}
