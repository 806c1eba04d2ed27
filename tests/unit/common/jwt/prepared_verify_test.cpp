#include "common/jwt/prepared_verify.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "common/jwt/keys.h"
#include "common/jwt/signature.h"

using cs::Bytes;
using cs::ByteView;
using cs::jwt::Alg;
using cs::jwt::Key;
using cs::jwt::KeyType;
using cs::jwt::PreparedVerifier;

namespace {

ByteView view(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// `alg`'s signature of `input` in the form OpenSSL checks: DER for ECDSA.
Bytes openssl_signature(Alg alg, const Key& key, const std::string& input) {
  Bytes signature = cs::jwt::create_signature(alg, key, view(input)).value();
  if (key.type() == KeyType::rsa) return signature;
  return cs::jwt::ecdsa_raw_to_der(signature, key.type() == KeyType::ec_p384 ? 48 : 32).value();
}

}  // namespace

TEST_CASE("a prepared verifier checks RS, PS and ES signatures, again and again",
          "[jwt][prepared_verify]") {
  const Key rsa = cs::jwt::generate_rsa_key().value();
  const Key p256 = cs::jwt::generate_ec_key(KeyType::ec_p256).value();
  const Key p384 = cs::jwt::generate_ec_key(KeyType::ec_p384).value();
  const std::string input = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9";
  for (const auto& [alg, key] : std::vector<std::pair<Alg, const Key*>>{{Alg::rs256, &rsa},
                                                                        {Alg::rs512, &rsa},
                                                                        {Alg::ps256, &rsa},
                                                                        {Alg::ps384, &rsa},
                                                                        {Alg::es256, &p256},
                                                                        {Alg::es384, &p384}}) {
    CAPTURE(cs::jwt::alg_name(alg));
    const PreparedVerifier verifier(key->pkey());
    const Bytes signature = openssl_signature(alg, *key, input);
    for (int i = 0; i < 3; ++i) CHECK(verifier.verify(alg, view(input), signature) == true);
    CHECK(verifier.verify(alg, view(input + "x"), signature) == false);
    Bytes tampered = signature;
    tampered[tampered.size() / 2] ^= 1;
    CHECK(verifier.verify(alg, view(input), tampered) == false);
  }
}

TEST_CASE("a prepared verifier sets up nothing for HMAC or a key of another type",
          "[jwt][prepared_verify]") {
  const Key p256 = cs::jwt::generate_ec_key(KeyType::ec_p256).value();
  const PreparedVerifier verifier(p256.pkey());
  CHECK_FALSE(verifier.verify(Alg::hs256, view("a.b"), view("sig")).has_value());
  CHECK_FALSE(verifier.verify(Alg::rs256, view("a.b"), view("sig")).has_value());
}

TEST_CASE("keys share their prepared verifier, which several threads use at once",
          "[jwt][prepared_verify]") {
  const Key rsa = cs::jwt::generate_rsa_key().value();
  const Key copy = rsa.with_kid("other");
  REQUIRE(rsa.verifier() != nullptr);
  CHECK(copy.verifier() == rsa.verifier());
  CHECK(Key::from_secret(view("secret")).value().verifier() == nullptr);
  const std::string input = "header.payload";
  const Bytes signature = openssl_signature(Alg::rs256, rsa, input);
  std::atomic<int> good = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        good += cs::jwt::check_signature(Alg::rs256, copy, view(input), signature) ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 200);
}
