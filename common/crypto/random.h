#pragma once
// Cryptographically secure randomness from OpenSSL's DRBG.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/crypto/bytes.h"

namespace cs::crypto {

/// Lowercase letters and digits: the alphabet of the project's generated ids.
inline constexpr std::string_view k_lowercase_alnum = "abcdefghijklmnopqrstuvwxyz0123456789";

/// Returns `count` bytes from OpenSSL's CSPRNG; aborts if the generator cannot be seeded.
Bytes random_bytes(std::size_t count);

/// Returns `prefix` followed by the base64url form of `entropy_bytes` random bytes,
/// e.g. random_secret("tkn_", 24) -> "tkn_" + 32 characters carrying 192 random bits.
std::string random_secret(std::string_view prefix, std::size_t entropy_bytes);

/// Returns `length` characters drawn uniformly from `alphabet` (rejection sampling, no bias).
std::string random_string(std::string_view alphabet, std::size_t length);

/// Returns a random (version 4) UUID in its lowercase 36-character form (RFC 9562 section 5.4),
/// e.g. "0b2f6d5e-5c1a-4f0e-9d3b-7a1c2e4f6a8b".
std::string random_uuid_v4();

}  // namespace cs::crypto
