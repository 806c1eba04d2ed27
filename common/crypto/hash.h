#pragma once
// SHA-2 digests and HMAC through OpenSSL 3's EVP interface.

#include <string_view>

#include "common/crypto/bytes.h"

namespace cs::crypto {

enum class HashAlg { sha256, sha384, sha512 };

/// The digest of `data` under `alg`.
Bytes digest(HashAlg alg, ByteView data);

/// SHA-256 of `data` (32 bytes).
inline Bytes sha256(ByteView data) {
  return digest(HashAlg::sha256, data);
}
inline Bytes sha256(std::string_view data) {
  return digest(HashAlg::sha256, as_bytes(data));
}

/// HMAC of `data` under `key` with `alg` (RFC 2104).
Bytes hmac(HashAlg alg, ByteView key, ByteView data);

}  // namespace cs::crypto
