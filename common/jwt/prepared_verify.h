#pragma once
// Signature checks with an RSA or EC key, set up once per key and algorithm. Setting up a check
// (EVP_DigestVerifyInit_ex: fetching the digest, making a context for the key, choosing the
// padding) costs about a fifth of an RSA-2048 verification on OpenSSL 3. Here that happens the
// first time a key checks a signature under an algorithm; each check then hashes the input with
// the digest fetched then and verifies with a duplicate of the prepared context
// (EVP_PKEY_CTX_dup), since one context must not be used by two threads at once.

#include <array>
#include <mutex>
#include <openssl/types.h>
#include <optional>

#include "common/crypto/bytes.h"
#include "common/jwt/alg.h"

namespace cs::jwt {

class PreparedVerifier {
 public:
  /// Prepares nothing yet; keeps its own reference to `pkey`.
  explicit PreparedVerifier(EVP_PKEY* pkey);
  ~PreparedVerifier();
  PreparedVerifier(const PreparedVerifier&) = delete;
  PreparedVerifier& operator=(const PreparedVerifier&) = delete;

  /// Whether `signature` (DER for ECDSA) is `alg`'s signature of `input` with PKCS#1 v1.5, PSS
  /// (salt as long as the hash) or ECDSA padding as `alg` says; nullopt when no check could be
  /// set up for `alg` with this key. Safe from several threads.
  std::optional<bool> verify(Alg alg, ByteView input, ByteView signature) const;

 private:
  struct Prepared {
    EVP_PKEY_CTX* context = nullptr;  // verify_init done, padding and digest set
    EVP_MD* digest = nullptr;
  };
  static constexpr std::size_t k_algs = 11;
  const Prepared& prepared(Alg alg) const;

  EVP_PKEY* m_pkey;
  mutable std::array<std::once_flag, k_algs> m_once;
  mutable std::array<Prepared, k_algs> m_prepared;
};

}  // namespace cs::jwt
