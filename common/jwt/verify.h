#pragma once
// Verifying a provider's token: rules 1 to 6 of docs/IDENTITY.md, with keys, clock and settings
// passed in. Nothing here fetches keys or reads the clock.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/jwt/alg.h"
#include "common/jwt/jws.h"
#include "common/jwt/keys.h"
#include "common/result.h"

namespace cs::jwt {

inline constexpr std::chrono::seconds k_default_leeway{60};

enum class AudienceMatch {
  not_checked,      // `aud` may be absent; when present it must still be a string or string array
  equals,           // `aud` must be a JSON string equal to the one configured value
  contains_one_of,  // `aud` (string or array) must hold at least one configured value
};

struct AudienceRule {
  AudienceMatch match = AudienceMatch::not_checked;
  std::vector<std::string> values;
};

enum class KidRule { optional, required };

struct VerifyOptions {
  std::vector<Alg> allowed_algs;      // exact allow-list; the token's alg never widens it
  std::vector<Key> keys;              // HMAC secrets and/or public keys
  std::optional<std::string> issuer;  // when set, `iss` must equal it byte for byte
  AudienceRule audience;
  std::chrono::seconds leeway = k_default_leeway;
  KidRule kid_rule = KidRule::optional;
  std::optional<std::vector<std::string>> authorized_parties;  // when set, `azp` must be one
  std::size_t max_token_size = k_max_token_size;
};

/// The verified contents of a token. `payload` holds every claim; the fields below are the
/// registered ones, already type-checked.
struct Claims {
  JwsHeader header;
  nlohmann::json payload;
  std::int64_t exp = 0;
  std::optional<std::int64_t> nbf;
  std::optional<std::int64_t> iat;
  std::optional<std::int64_t> auth_time;
  std::optional<std::string> iss;
  std::optional<std::string> sub;
  std::optional<std::string> azp;
  std::vector<std::string> aud;  // a string `aud` becomes one element
};

/// Verifies `token` against `options` at time `now`, or refuses it with an invalid_token (or
/// token_expired) Error whose reason is one of IDENTITY.md's; the order of checks is written in
/// verify.cpp.
Result<Claims> verify(std::string_view token, const VerifyOptions& options,
                      std::chrono::sys_seconds now);

/// The same for a token the caller already parsed with parse_jws (with a size limit no larger
/// than `options.max_token_size`), so that a token is decoded once per check.
Result<Claims> verify(Jws jws, const VerifyOptions& options, std::chrono::sys_seconds now);

}  // namespace cs::jwt
