#include "common/jwt/signature.h"

#include <catch2/catch.hpp>

#include "common/crypto/hex.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

namespace {

const ByteView k_input = as_bytes("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0");

}  // namespace

TEST_CASE("ECDSA signatures come out as raw r||s of the curve's size", "[jwt]") {
  const auto p256 = create_signature(Alg::es256, ec256_key(), k_input).value();
  CHECK(p256.size() == 64);
  const auto p384 = create_signature(Alg::es384, ec384_key(), k_input).value();
  CHECK(p384.size() == 96);
  CHECK(check_signature(Alg::es256, ec256_key(), k_input, p256));
  CHECK(check_signature(Alg::es384, ec384_key(), k_input, p384));
  CHECK_FALSE(check_signature(Alg::es384, ec384_key(), k_input, Bytes(96, 0)));
  CHECK_FALSE(check_signature(Alg::es384, ec384_key(), k_input, ByteView(p384).subspan(0, 64)));
}

TEST_CASE("ecdsa_raw_to_der and ecdsa_der_to_raw convert both ways", "[jwt]") {
  // r = 1, s = 0x80 (a leading 1 bit, so DER adds a zero byte to keep it positive).
  Bytes raw(64, 0);
  raw[31] = 0x01;
  raw[63] = 0x80;
  const auto der = ecdsa_raw_to_der(raw, 32);
  REQUIRE(der);
  CHECK(crypto::hex_encode(*der) ==
        "3007020101020200"
        "80");
  CHECK(ecdsa_der_to_raw(*der, 32) == raw);
  CHECK_FALSE(ecdsa_raw_to_der(Bytes(64, 0), 32));
  Bytes s_zero = raw;
  s_zero[63] = 0;
  CHECK_FALSE(ecdsa_raw_to_der(s_zero, 32));
  CHECK_FALSE(ecdsa_raw_to_der(Bytes(63, 1), 32));
  CHECK_FALSE(ecdsa_raw_to_der(Bytes(65, 1), 32));
  CHECK_FALSE(ecdsa_raw_to_der({}, 0));
  Bytes trailing = *der;
  trailing.push_back(0);
  CHECK_FALSE(ecdsa_der_to_raw(trailing, 32));
  CHECK_FALSE(ecdsa_der_to_raw(as_bytes("not der"), 32));
}

TEST_CASE("HMAC signatures are the HMAC of the signing input", "[jwt]") {
  const auto signature = create_signature(Alg::hs384, hmac_key(), k_input).value();
  CHECK(signature == crypto::hmac(crypto::HashAlg::sha384, hmac_key().secret(), k_input));
  CHECK(check_signature(Alg::hs384, hmac_key(), k_input, signature));
  CHECK_FALSE(check_signature(Alg::hs256, hmac_key(), k_input, signature));
  CHECK_FALSE(check_signature(Alg::hs384, hmac_key(), k_input, ByteView(signature).subspan(1)));
}

TEST_CASE("RSASSA-PSS signatures are salted, PKCS#1 v1.5 ones are not", "[jwt]") {
  const auto pss_a = create_signature(Alg::ps256, rsa_key(), k_input).value();
  const auto pss_b = create_signature(Alg::ps256, rsa_key(), k_input).value();
  CHECK(pss_a != pss_b);
  CHECK(check_signature(Alg::ps256, rsa_key(), k_input, pss_a));
  CHECK(check_signature(Alg::ps256, rsa_key(), k_input, pss_b));
  const auto pkcs_a = create_signature(Alg::rs256, rsa_key(), k_input).value();
  CHECK(pkcs_a == create_signature(Alg::rs256, rsa_key(), k_input).value());
  // The two paddings do not verify each other.
  CHECK_FALSE(check_signature(Alg::rs256, rsa_key(), k_input, pss_a));
  CHECK_FALSE(check_signature(Alg::ps256, rsa_key(), k_input, pkcs_a));
  CHECK_FALSE(check_signature(Alg::rs384, rsa_key(), k_input, pkcs_a));
}

TEST_CASE("signatures are only made and checked with the key type the algorithm needs", "[jwt]") {
  CHECK(create_signature(Alg::es256, rsa_key(), k_input).error().message ==
        "An RSA key cannot sign with ES256.");
  CHECK(create_signature(Alg::es256, ec384_key(), k_input).error().message ==
        "An EC P-384 key cannot sign with ES256.");
  CHECK(create_signature(Alg::rs256, hmac_key(), k_input).error().message ==
        "An HMAC secret cannot sign with RS256.");
  CHECK(create_signature(Alg::es256, published(ec256_key()), k_input).error().message ==
        "A public key cannot sign.");
  const auto hs = create_signature(Alg::hs256, hmac_key(), k_input).value();
  CHECK_FALSE(check_signature(Alg::hs256, rsa_key(), k_input, hs));
  const auto es = create_signature(Alg::es256, ec256_key(), k_input).value();
  CHECK_FALSE(check_signature(Alg::es384, ec256_key(), k_input, es));
  CHECK_FALSE(check_signature(Alg::rs256, ec256_key(), k_input, es));
}
