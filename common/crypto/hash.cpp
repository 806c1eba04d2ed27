#include "common/crypto/hash.h"

#include <cstdlib>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace cs::crypto {
namespace {

const EVP_MD* evp_md(HashAlg alg) {
  switch (alg) {
    case HashAlg::sha256:
      return EVP_sha256();
    case HashAlg::sha384:
      return EVP_sha384();
    case HashAlg::sha512:
      return EVP_sha512();
  }
  std::abort();
}

}  // namespace

Bytes digest(HashAlg alg, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, evp_md(alg), nullptr) != 1)
    std::abort();
  out.resize(len);
  return out;
}

Bytes hmac(HashAlg alg, ByteView key, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  // OpenSSL rejects a null key pointer even for an empty key; point at a valid byte instead.
  static const std::uint8_t k_empty = 0;
  const void* key_ptr = key.empty() ? &k_empty : key.data();
  if (HMAC(evp_md(alg), key_ptr, static_cast<int>(key.size()), data.data(), data.size(), out.data(),
           &len) == nullptr)
    std::abort();
  out.resize(len);
  return out;
}

}  // namespace cs::crypto
