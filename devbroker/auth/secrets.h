#pragma once
// The formats of the secrets the auth stack hands out, and the rules for their lifetimes:
// token passwords (`tkn_`), API keys (`sk_`, `rk_`) and generated user passwords.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cs::auth {

inline constexpr std::chrono::seconds k_min_token_ttl{60};
inline constexpr std::chrono::seconds k_max_token_ttl{24 * 3600};
inline constexpr std::chrono::seconds k_default_token_ttl{3600};
inline constexpr std::chrono::seconds k_refresh_margin{300};

/// A fresh token password: `tkn_` and 32 base64url characters (192 random bits).
std::string new_token_secret();

/// True when `text` has the shape of a token password (it may still be unknown).
bool looks_like_token_secret(std::string_view text);

/// The lookup hash of a token password: lowercase hex SHA-256. A token password carries 192
/// random bits, so a fast hash is as safe as bcrypt here and lets a lookup be one index probe.
std::string token_hash(std::string_view secret);

/// The TTL to issue: `requested` (default k_default_token_ttl when absent) if within 60 s..24 h,
/// else an invalid_request error saying the bounds.
Result<std::chrono::seconds> token_ttl(std::optional<std::int64_t> requested,
                                       std::chrono::seconds org_default = k_default_token_ttl);

/// When a client should refresh a token issued at `issued` that expires at `expires`: five
/// minutes before expiry, or at 80% of the lifetime when that is shorter than 25 minutes.
std::chrono::sys_seconds refresh_recommended_at(std::chrono::sys_seconds issued,
                                                std::chrono::sys_seconds expires);

enum class KeyType { secret, restricted };  // sk_ full access, rk_ scoped

struct NewApiKey {
  std::string id;      // "key_" + 12 characters [a-z0-9]; also embedded in the secret
  std::string secret;  // "sk_" or "rk_", the 12-character id part, then 32 base64url characters
  std::string prefix;  // what listings show: the type prefix and the id part
};

/// A fresh API key of `type`.
NewApiKey new_api_key(KeyType type);

/// A fresh secret for the existing key `id` ("key_..."), for rotation: same id, new secret.
NewApiKey new_api_key(KeyType type, std::string_view id);

struct ParsedApiKey {
  KeyType type = KeyType::secret;
  std::string id;  // "key_..." to look the key up by
};

/// The type and id of the key `secret` claims to be, if it has an API key's shape.
std::optional<ParsedApiKey> parse_api_key(std::string_view secret);

/// A strong password for a new MQTT user: 24 characters from letters and digits (~142 bits).
std::string new_user_password();

}  // namespace cs::auth
