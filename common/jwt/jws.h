#pragma once
// Compact JWS (RFC 7515 section 7.1) parsed strictly, without judging the signature: rules 1, 2
// and the header part of rule 4 of docs/IDENTITY.md.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/crypto/bytes.h"
#include "common/result.h"

namespace cs::jwt {

inline constexpr std::size_t k_max_token_size = 8 * 1024;

/// The header members we read. `jku`, `x5u`, `jwk` and `x5c` are deliberately not among them: a
/// token never chooses where its key comes from.
struct JwsHeader {
  std::string alg;
  std::optional<std::string> kid;
  std::optional<std::string> typ;
};

struct Jws {
  JwsHeader header;
  nlohmann::json payload;     // a JSON object; not yet trusted
  std::string signing_input;  // the first two segments and the dot between them, as sent
  Bytes signature;
};

/// Parses the compact JWS `token`: `too_large` over `max_size` bytes (checked before anything
/// else), `malformed` unless it is exactly three strict base64url segments whose header and
/// payload are JSON objects without duplicate member names, with a string `alg` and string `kid`
/// and `typ` when present, and `crit_unsupported` for any `crit`.
Result<Jws> parse_jws(std::string_view token, std::size_t max_size = k_max_token_size);

}  // namespace cs::jwt
