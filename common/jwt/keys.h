#pragma once
// Keys for JWS: an HMAC secret or an OpenSSL public (or private) key, labelled with its key id
// and, when it came from a JWK, the `alg` and `use` it was published for. Keys are values: copies
// share the underlying OpenSSL key.

#include <memory>
#include <openssl/types.h>
#include <optional>
#include <string>
#include <string_view>

#include "common/crypto/bytes.h"
#include "common/jwt/alg.h"
#include "common/result.h"

namespace cs::jwt {

class PreparedVerifier;

inline constexpr int k_min_rsa_bits = 2048;
inline constexpr int k_max_rsa_bits = 8192;

class Key {
 public:
  /// An HMAC secret holding the bytes of `secret`, with key id `kid`; refuses an empty secret.
  static Result<Key> from_secret(ByteView secret, std::string kid = {});

  /// A key sharing `pkey` (the caller keeps its own reference) with key id `kid`; refuses all but
  /// RSA keys of 2048 to 8192 bits and EC keys on P-256 or P-384.
  static Result<Key> from_pkey(EVP_PKEY* pkey, std::string kid = {});

  /// The kind of key, which decides the algorithms it can verify.
  KeyType type() const { return m_type; }

  /// The key id used to look the key up; empty when it has none.
  const std::string& kid() const { return m_kid; }

  /// The `alg` member of the JWK this key came from, if it had one.
  const std::optional<std::string>& jwk_alg() const { return m_jwk_alg; }

  /// The `use` member of the JWK this key came from, if it had one.
  const std::optional<std::string>& jwk_use() const { return m_jwk_use; }

  /// True for an HMAC secret and for a key pair that can sign.
  bool can_sign() const { return m_private; }

  /// The OpenSSL key, or nullptr for an HMAC secret.
  EVP_PKEY* pkey() const { return m_pkey.get(); }
  /// The checks of signatures made with this RSA or EC key, set up once and shared by every
  /// copy of the key; nullptr for an HMAC secret.
  const PreparedVerifier* verifier() const { return m_verifier.get(); }

  /// The secret's bytes, or an empty view for a public-key type.
  ByteView secret() const { return m_secret ? ByteView(*m_secret) : ByteView(); }

  /// The key's size in bits (the modulus for RSA, the field for EC, the secret's length for HMAC).
  int bits() const { return m_bits; }

  /// This key with key id `kid`.
  Key with_kid(std::string kid) const;

  /// This key labelled with a JWK's own `alg` and `use` (nullopt when the JWK has none).
  Key with_jwk_labels(std::optional<std::string> alg, std::optional<std::string> use) const;

 private:
  Key() = default;

  KeyType m_type = KeyType::hmac;
  std::shared_ptr<EVP_PKEY> m_pkey;
  std::shared_ptr<const PreparedVerifier> m_verifier;
  std::shared_ptr<const Bytes> m_secret;
  std::string m_kid;
  std::optional<std::string> m_jwk_alg;
  std::optional<std::string> m_jwk_use;
  bool m_private = false;
  int m_bits = 0;
};

/// A fresh RSA key pair of `bits` bits (2048 to 8192) with key id `kid`.
Result<Key> generate_rsa_key(int bits = k_min_rsa_bits, std::string kid = {});

/// A fresh EC key pair on the curve of `curve` (ec_p256 or ec_p384) with key id `kid`.
Result<Key> generate_ec_key(KeyType curve, std::string kid = {});

/// The public key in the PEM `SubjectPublicKeyInfo` block (`BEGIN PUBLIC KEY`) of `pem`.
Result<Key> parse_public_key_pem(std::string_view pem, std::string kid = {});

/// The public key of the X.509 certificate in PEM `pem` (`BEGIN CERTIFICATE`); the certificate's
/// dates and issuer are not checked, as for Google's published signing certificates.
Result<Key> parse_certificate_pem(std::string_view pem, std::string kid = {});

/// The unencrypted PKCS#8 private key (`BEGIN PRIVATE KEY`) in `pem`; encrypted keys are refused.
Result<Key> parse_private_key_pem(std::string_view pem, std::string kid = {});

/// The PEM `SubjectPublicKeyInfo` of `key`; fails for an HMAC secret.
Result<std::string> public_key_pem(const Key& key);

/// The unencrypted PKCS#8 PEM of `key`'s private half; fails for a public key or HMAC secret.
Result<std::string> private_key_pem(const Key& key);

}  // namespace cs::jwt
