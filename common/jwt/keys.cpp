#include "common/jwt/keys.h"

#include <cstring>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "common/crypto/openssl_ptr.h"
#include "common/jwt/prepared_verify.h"

namespace cs::jwt {
namespace {

using crypto::BioPtr;
using crypto::PkeyPtr;
using crypto::X509Ptr;

// PEM inputs are single keys or certificates; anything larger is not what we were given to read.
constexpr std::size_t k_max_pem_size = 64 * 1024;

tl::unexpected<Error> key_error(std::string message) {
  // Leave no stale OpenSSL errors behind for unrelated code to trip over later.
  ERR_clear_error();
  return fail(ErrorCode::invalid_request, std::move(message));
}

void free_secret(const Bytes* secret) {
  if (!secret->empty()) OPENSSL_cleanse(const_cast<std::uint8_t*>(secret->data()), secret->size());
  delete secret;
}

Result<KeyType> ec_curve_of(EVP_PKEY* pkey) {
  char name[64] = {};
  std::size_t length = 0;
  if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &length) != 1)
    return key_error("The EC key does not name its curve.");
  const std::string_view curve(name, length);
  if (curve == "prime256v1") return KeyType::ec_p256;
  if (curve == "secp384r1") return KeyType::ec_p384;
  return key_error("The EC key is on a curve other than P-256 or P-384.");
}

bool has_private_half(EVP_PKEY* pkey, KeyType type) {
  BIGNUM* value = nullptr;
  const char* name = type == KeyType::rsa ? OSSL_PKEY_PARAM_RSA_D : OSSL_PKEY_PARAM_PRIV_KEY;
  const bool present = EVP_PKEY_get_bn_param(pkey, name, &value) == 1;
  BN_clear_free(value);
  ERR_clear_error();
  return present;
}

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Result<std::string> bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  if (length <= 0 || data == nullptr) return key_error("The key could not be written as PEM.");
  return std::string(data, static_cast<std::size_t>(length));
}

// Never prompt on the terminal for a passphrase: an encrypted key is simply refused.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

Result<Key> key_from_owned(PkeyPtr pkey, std::string kid, std::string_view what) {
  if (!pkey) return key_error("The " + std::string(what) + " could not be read.");
  return Key::from_pkey(pkey.get(), std::move(kid));
}

}  // namespace

Result<Key> Key::from_secret(ByteView secret, std::string kid) {
  if (secret.empty()) return fail(ErrorCode::invalid_request, "An HMAC secret must not be empty.");
  Key key;
  key.m_type = KeyType::hmac;
  key.m_secret = std::shared_ptr<const Bytes>(new Bytes(secret.begin(), secret.end()), free_secret);
  key.m_kid = std::move(kid);
  key.m_private = true;
  key.m_bits = static_cast<int>(secret.size() * 8);
  return key;
}

Result<Key> Key::from_pkey(EVP_PKEY* pkey, std::string kid) {
  if (pkey == nullptr) return key_error("No key was given.");
  Key key;
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    key.m_type = KeyType::rsa;
    key.m_bits = EVP_PKEY_get_bits(pkey);
    if (key.m_bits < k_min_rsa_bits)
      return key_error("The RSA key has " + std::to_string(key.m_bits) +
                       " bits; at least 2048 are required.");
    if (key.m_bits > k_max_rsa_bits)
      return key_error("The RSA key has " + std::to_string(key.m_bits) +
                       " bits; at most 8192 are accepted.");
  } else if (EVP_PKEY_is_a(pkey, "EC")) {
    auto curve = ec_curve_of(pkey);
    if (!curve) return fail(curve.error());
    key.m_type = *curve;
    key.m_bits = EVP_PKEY_get_bits(pkey);
  } else {
    return key_error("Only RSA and EC keys are supported.");
  }
  if (EVP_PKEY_up_ref(pkey) != 1) return key_error("The key could not be shared.");
  key.m_pkey = std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
  key.m_verifier = std::make_shared<const PreparedVerifier>(pkey);
  key.m_kid = std::move(kid);
  key.m_private = has_private_half(pkey, key.m_type);
  return key;
}

Key Key::with_kid(std::string kid) const {
  Key out = *this;
  out.m_kid = std::move(kid);
  return out;
}

Key Key::with_jwk_labels(std::optional<std::string> alg, std::optional<std::string> use) const {
  Key out = *this;
  out.m_jwk_alg = std::move(alg);
  out.m_jwk_use = std::move(use);
  return out;
}

Result<Key> generate_rsa_key(int bits, std::string kid) {
  if (bits < k_min_rsa_bits || bits > k_max_rsa_bits)
    return fail(ErrorCode::invalid_request, "RSA keys must have 2048 to 8192 bits.");
  return key_from_owned(PkeyPtr(EVP_RSA_gen(static_cast<unsigned>(bits))), std::move(kid),
                        "generated RSA key");
}

Result<Key> generate_ec_key(KeyType curve, std::string kid) {
  const char* name = curve == KeyType::ec_p256   ? "P-256"
                     : curve == KeyType::ec_p384 ? "P-384"
                                                 : nullptr;
  if (name == nullptr)
    return fail(ErrorCode::invalid_request, "EC keys are generated on P-256 or P-384 only.");
  return key_from_owned(PkeyPtr(EVP_EC_gen(name)), std::move(kid), "generated EC key");
}

Result<Key> parse_public_key_pem(std::string_view pem, std::string kid) {
  if (pem.size() > k_max_pem_size) return key_error("The PEM public key is too large.");
  const BioPtr bio = memory_bio(pem);
  if (!bio) return key_error("The PEM text could not be read.");
  return key_from_owned(PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr)),
                        std::move(kid), "PEM public key");
}

Result<Key> parse_certificate_pem(std::string_view pem, std::string kid) {
  if (pem.size() > k_max_pem_size) return key_error("The PEM certificate is too large.");
  const BioPtr bio = memory_bio(pem);
  if (!bio) return key_error("The PEM text could not be read.");
  const X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
  if (!cert) return key_error("The PEM certificate could not be read.");
  return key_from_owned(PkeyPtr(X509_get_pubkey(cert.get())), std::move(kid),
                        "certificate's public key");
}

Result<Key> parse_private_key_pem(std::string_view pem, std::string kid) {
  if (pem.size() > k_max_pem_size) return key_error("The PEM private key is too large.");
  const BioPtr bio = memory_bio(pem);
  if (!bio) return key_error("The PEM text could not be read.");
  return key_from_owned(
      PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)), std::move(kid),
      "PEM private key");
}

Result<std::string> public_key_pem(const Key& key) {
  if (key.pkey() == nullptr) return key_error("An HMAC secret has no public key.");
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.pkey()) != 1)
    return key_error("The public key could not be written as PEM.");
  return bio_text(bio.get());
}

Result<std::string> private_key_pem(const Key& key) {
  if (key.pkey() == nullptr || !key.can_sign())
    return key_error("Only a key pair has a private key to write.");
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.pkey(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return key_error("The private key could not be written as PEM.");
  return bio_text(bio.get());
}

}  // namespace cs::jwt
