#include "common/jwt/keys.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <openssl/pem.h>

#include "common/jwt/jwk.h"
#include "common/jwt/signature.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

namespace {

std::string pem_of(EVP_PKEY* pkey) {
  const crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_PUBKEY(bio.get(), pkey) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

bool verifies_with(const Key& signer, const Key& verifier, Alg alg) {
  const auto input = as_bytes("header.payload");
  const auto signature = create_signature(alg, signer, input).value();
  return check_signature(alg, verifier, input, signature);
}

}  // namespace

TEST_CASE("Key::from_secret holds the bytes of a non-empty secret", "[jwt]") {
  const auto key = Key::from_secret(as_bytes("secret"), "s1");
  REQUIRE(key);
  CHECK(key->type() == KeyType::hmac);
  CHECK(to_string(key->secret()) == "secret");
  CHECK(key->kid() == "s1");
  CHECK(key->bits() == 48);
  CHECK(key->can_sign());
  CHECK(key->pkey() == nullptr);
  CHECK(outcome(Key::from_secret({})) == "invalid_request/");
}

TEST_CASE("generate_rsa_key and generate_ec_key make key pairs of the asked kind", "[jwt]") {
  const Key& rsa = rsa_key();
  CHECK(rsa.type() == KeyType::rsa);
  CHECK(rsa.bits() == 2048);
  CHECK(rsa.kid() == "rsa-1");
  CHECK(rsa.can_sign());
  const auto p256 = generate_ec_key(KeyType::ec_p256, "e1");
  REQUIRE(p256);
  CHECK(p256->type() == KeyType::ec_p256);
  CHECK(p256->bits() == 256);
  CHECK(p256->can_sign());
  const auto p384 = generate_ec_key(KeyType::ec_p384);
  REQUIRE(p384);
  CHECK(p384->type() == KeyType::ec_p384);
  CHECK(p384->kid().empty());
  CHECK_FALSE(generate_ec_key(KeyType::rsa));
  CHECK_FALSE(generate_ec_key(KeyType::hmac));
  CHECK(generate_rsa_key(1024).error().message == "RSA keys must have 2048 to 8192 bits.");
  CHECK_FALSE(generate_rsa_key(16384));
}

TEST_CASE("Key::from_pkey refuses weak RSA, other curves and other key types", "[jwt]") {
  CHECK(Key::from_pkey(weak_rsa_pkey()).error().message ==
        "The RSA key has 1024 bits; at least 2048 are required.");
  const crypto::PkeyPtr p521(EVP_EC_gen("P-521"));
  CHECK(Key::from_pkey(p521.get()).error().message ==
        "The EC key is on a curve other than P-256 or P-384.");
  const crypto::PkeyPtr ed25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  CHECK(Key::from_pkey(ed25519.get()).error().message == "Only RSA and EC keys are supported.");
  CHECK_FALSE(Key::from_pkey(nullptr));
}

TEST_CASE("with_kid and with_jwk_labels relabel a copy sharing the same key", "[jwt]") {
  const Key relabelled = rsa_key().with_kid("other").with_jwk_labels("RS256", "sig");
  CHECK(relabelled.kid() == "other");
  CHECK(relabelled.jwk_alg() == "RS256");
  CHECK(relabelled.jwk_use() == "sig");
  CHECK(relabelled.pkey() == rsa_key().pkey());
  CHECK(rsa_key().kid() == "rsa-1");
  CHECK_FALSE(rsa_key().jwk_alg());
}

TEST_CASE("public keys round-trip through PEM and can verify but not sign", "[jwt]") {
  for (const Key* key : {&rsa_key(), &ec256_key(), &ec384_key()}) {
    const auto pem = public_key_pem(*key);
    REQUIRE(pem);
    CHECK(pem->starts_with("-----BEGIN PUBLIC KEY-----\n"));
    const auto parsed = parse_public_key_pem(*pem, "from-pem");
    REQUIRE(parsed);
    CHECK(parsed->type() == key->type());
    CHECK(parsed->kid() == "from-pem");
    CHECK_FALSE(parsed->can_sign());
    CHECK(public_jwk(*parsed).value()["x"] == public_jwk(*key).value()["x"]);
    CHECK(public_jwk(*parsed).value()["n"] == public_jwk(*key).value()["n"]);
    const Alg alg = key->type() == KeyType::rsa       ? Alg::rs256
                    : key->type() == KeyType::ec_p256 ? Alg::es256
                                                      : Alg::es384;
    CHECK(verifies_with(*key, *parsed, alg));
    CHECK(outcome(create_signature(alg, *parsed, as_bytes("x"))) == "invalid_request/");
  }
  CHECK_FALSE(public_key_pem(hmac_key()));
}

TEST_CASE("private keys round-trip through unencrypted PKCS#8 PEM", "[jwt]") {
  const auto pem = private_key_pem(ec256_key());
  REQUIRE(pem);
  CHECK(pem->starts_with("-----BEGIN PRIVATE KEY-----\n"));
  const auto parsed = parse_private_key_pem(*pem, "again");
  REQUIRE(parsed);
  CHECK(parsed->can_sign());
  CHECK(verifies_with(*parsed, ec256_key(), Alg::es256));
  CHECK_FALSE(private_key_pem(hmac_key()));
  CHECK_FALSE(private_key_pem(published(ec256_key())));
}

TEST_CASE("PEM parsing refuses junk, weak keys and encrypted keys without prompting", "[jwt]") {
  CHECK(parse_public_key_pem("not a pem").error().message ==
        "The PEM public key could not be read.");
  CHECK_FALSE(parse_public_key_pem(""));
  CHECK_FALSE(parse_public_key_pem(pem_of(weak_rsa_pkey())));
  CHECK_FALSE(parse_certificate_pem(public_key_pem(rsa_key()).value()));
  CHECK_FALSE(parse_public_key_pem(std::string(64 * 1024 + 1, 'A')));
  const crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  const std::string passphrase = "correct horse";
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), ec256_key().pkey(), EVP_aes_256_cbc(),
                                   as_bytes(passphrase).data(), static_cast<int>(passphrase.size()),
                                   nullptr, nullptr) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  const std::string encrypted(data, static_cast<std::size_t>(length));
  REQUIRE(encrypted.find("ENCRYPTED") != std::string::npos);
  CHECK(parse_private_key_pem(encrypted).error().message ==
        "The PEM private key could not be read.");
}

TEST_CASE("parse_certificate_pem takes the certificate's public key", "[jwt]") {
  const auto key = parse_certificate_pem(certificate_pem(rsa_key()), "cert-1");
  REQUIRE(key);
  CHECK(key->type() == KeyType::rsa);
  CHECK(key->kid() == "cert-1");
  CHECK_FALSE(key->can_sign());
  CHECK(verifies_with(rsa_key(), *key, Alg::rs256));
}
