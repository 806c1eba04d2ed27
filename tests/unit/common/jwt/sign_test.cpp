#include "common/jwt/sign.h"

#include <catch2/catch.hpp>

#include "common/crypto/random.h"
#include "common/jwt/jws.h"
#include "common/jwt/verify.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

TEST_CASE("sign and verify round-trip every algorithm with freshly generated keys", "[jwt]") {
  const Key rsa = generate_rsa_key(2048, "fresh-rsa").value();
  const Key p256 = generate_ec_key(KeyType::ec_p256, "fresh-p256").value();
  const Key p384 = generate_ec_key(KeyType::ec_p384, "fresh-p384").value();
  const Key secret = Key::from_secret(crypto::random_bytes(64)).value();
  for (const Alg alg : all_algs()) {
    INFO(alg_name(alg));
    const Key& key = key_for(alg).type() == KeyType::hmac    ? secret
                     : key_type_for(alg) == KeyType::rsa     ? rsa
                     : key_type_for(alg) == KeyType::ec_p256 ? p256
                                                             : p384;
    const auto token = sign(alg, key, good_claims(), {{"typ", "JWT"}});
    REQUIRE(token);
    VerifyOptions options = options_for(alg);
    options.keys = {key.type() == KeyType::hmac ? key : published(key)};
    const auto claims = verify(*token, options, at(k_now));
    REQUIRE(outcome(claims) == "ok");
    CHECK(claims->header.alg == alg_name(alg));
    CHECK(claims->header.typ == "JWT");
    CHECK(claims->payload == good_claims());
    // And every other algorithm is refused for the same token and key.
    for (const Alg other : all_algs()) {
      if (other == alg) continue;
      options.allowed_algs = {other};
      CHECK(outcome(verify(*token, options, at(k_now))) == "invalid_token/unsupported_alg");
    }
  }
}

TEST_CASE("sign sets alg, adds the key's kid, and keeps the rest of the header", "[jwt]") {
  const auto token =
      sign(Alg::es256, ec256_key(), {{"sub", "x"}}, {{"typ", "JWT"}, {"alg", "none"}});
  REQUIRE(token);
  const auto jws = parse_jws(*token).value();
  CHECK(jws.header.alg == "ES256");
  CHECK(jws.header.kid == "ec-256");
  CHECK(jws.header.typ == "JWT");
  const auto own_kid = sign(Alg::es256, ec256_key(), {{"sub", "x"}}, {{"kid", "chosen"}});
  CHECK(parse_jws(own_kid.value()).value().header.kid == "chosen");
  const auto no_kid = sign(Alg::hs256, hmac_key(), {{"sub", "x"}});
  CHECK_FALSE(parse_jws(no_kid.value()).value().header.kid);
}

TEST_CASE("sign refuses claims or headers that are not objects, or not UTF-8", "[jwt]") {
  CHECK(sign(Alg::hs256, hmac_key(), json::array()).error().message ==
        "A token's header and claims must be JSON objects.");
  CHECK(sign(Alg::hs256, hmac_key(), {{"sub", "x"}}, json("JWT")).error().message ==
        "A token's header and claims must be JSON objects.");
  CHECK(sign(Alg::hs256, hmac_key(), {{"sub", "\xff"}}).error().message ==
        "A token's header and claims must be valid UTF-8.");
  CHECK_FALSE(sign(Alg::rs256, hmac_key(), {{"sub", "x"}}));
}

TEST_CASE("sign_raw signs exactly the bytes it is given", "[jwt]") {
  const std::string header = "{\"alg\":\"HS256\",\r\n \"typ\":\"JWT\"}";
  const std::string payload = "{\"exp\": 1700003600 }";
  const auto token = sign_raw(Alg::hs256, hmac_key(), header, payload).value();
  const auto dot = token.find('.');
  CHECK(token.substr(0, dot) == b64(header));
  CHECK(token.substr(dot + 1, token.rfind('.') - dot - 1) == b64(payload));
}
