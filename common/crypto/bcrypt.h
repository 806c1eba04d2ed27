#pragma once
// Password hashing with bcrypt ($2b$) through libxcrypt.

#include <string>
#include <string_view>

#include "common/result.h"

namespace cs::crypto {

inline constexpr int k_bcrypt_default_cost = 10;
inline constexpr int k_bcrypt_min_cost = 4;
inline constexpr int k_bcrypt_max_cost = 31;
/// bcrypt reads at most 72 bytes of a password; longer ones are refused rather than truncated.
inline constexpr std::size_t k_bcrypt_max_password = 72;

/// Hashes `password` with a fresh random salt at `cost` (4..31); refuses passwords over 72
/// bytes or containing NUL, which bcrypt would silently truncate.
Result<std::string> bcrypt_hash(std::string_view password, int cost = k_bcrypt_default_cost);

/// True when `password` matches the `$2b$` (or `$2a$`/`$2y$`) `hash`; false for a wrong password
/// or a malformed hash. Compares in constant time.
bool bcrypt_verify(std::string_view password, std::string_view hash);

}  // namespace cs::crypto
