#pragma once
// Cryptographically secure randomness from OpenSSL's DRBG.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/crypto/bytes.h"

namespace cs::crypto {

/// Returns `count` bytes from OpenSSL's CSPRNG; aborts if the generator cannot be seeded.
Bytes random_bytes(std::size_t count);

/// Returns `prefix` followed by the base64url form of `entropy_bytes` random bytes,
/// e.g. random_secret("tkn_", 24) -> "tkn_" + 32 characters carrying 192 random bits.
std::string random_secret(std::string_view prefix, std::size_t entropy_bytes);

/// Returns `length` characters drawn uniformly from `alphabet` (rejection sampling, no bias).
std::string random_string(std::string_view alphabet, std::size_t length);

}  // namespace cs::crypto
