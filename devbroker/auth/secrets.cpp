#include "devbroker/auth/secrets.h"

#include <algorithm>

#include "common/crypto/hash.h"
#include "common/crypto/hex.h"
#include "common/crypto/random.h"

namespace cs::auth {
namespace {

constexpr std::string_view k_token_prefix = "tkn_";
constexpr std::size_t k_token_entropy = 24;  // bytes -> 32 base64url characters
constexpr std::size_t k_key_id_length = 12;
constexpr std::size_t k_key_entropy = 24;
constexpr std::string_view k_password_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string new_token_secret() {
  return crypto::random_secret(k_token_prefix, k_token_entropy);
}

bool looks_like_token_secret(std::string_view text) {
  if (!text.starts_with(k_token_prefix) || text.size() != k_token_prefix.size() + 32) return false;
  return std::all_of(text.begin() + 4, text.end(), is_base64url_char);
}

std::string token_hash(std::string_view secret) {
  return crypto::hex_encode(crypto::sha256(secret));
}

Result<std::chrono::seconds> token_ttl(std::optional<std::int64_t> requested,
                                       std::chrono::seconds org_default) {
  const std::int64_t ttl = requested.value_or(org_default.count());
  if (ttl < k_min_token_ttl.count() || ttl > k_max_token_ttl.count()) {
    return fail(ErrorCode::invalid_request, "ttl_seconds must be between 60 and 86400");
  }
  return std::chrono::seconds(ttl);
}

std::chrono::sys_seconds refresh_recommended_at(std::chrono::sys_seconds issued,
                                                std::chrono::sys_seconds expires) {
  const auto lifetime = expires - issued;
  if (lifetime * 5 >= k_refresh_margin * 25) return expires - k_refresh_margin;
  return issued + std::chrono::seconds(lifetime.count() * 4 / 5);
}

NewApiKey new_api_key(KeyType type) {
  return new_api_key(type,
                     "key_" + crypto::random_string(crypto::k_lowercase_alnum, k_key_id_length));
}

NewApiKey new_api_key(KeyType type, std::string_view id) {
  const std::string id_part(id.substr(4));
  NewApiKey key;
  key.id = "key_" + id_part;
  key.prefix = (type == KeyType::secret ? "sk_" : "rk_") + id_part;
  key.secret = crypto::random_secret(key.prefix, k_key_entropy);
  return key;
}

std::optional<ParsedApiKey> parse_api_key(std::string_view secret) {
  ParsedApiKey parsed;
  if (secret.starts_with("sk_")) {
    parsed.type = KeyType::secret;
  } else if (secret.starts_with("rk_")) {
    parsed.type = KeyType::restricted;
  } else {
    return std::nullopt;
  }
  if (secret.size() != 3 + k_key_id_length + 32) return std::nullopt;
  const std::string_view id_part = secret.substr(3, k_key_id_length);
  if (id_part.find_first_not_of(crypto::k_lowercase_alnum) != std::string_view::npos)
    return std::nullopt;
  if (!std::all_of(secret.begin() + 3 + k_key_id_length, secret.end(), is_base64url_char)) {
    return std::nullopt;
  }
  parsed.id = "key_" + std::string(id_part);
  return parsed;
}

std::string new_user_password() {
  return crypto::random_string(k_password_alphabet, 24);
}

}  // namespace cs::auth
