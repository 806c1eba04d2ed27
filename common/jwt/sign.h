#pragma once
// Minting compact JWS tokens, for the dev identity provider and for tests.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/jwt/alg.h"
#include "common/jwt/keys.h"
#include "common/result.h"

namespace cs::jwt {

/// A compact JWS of the object `claims` signed with `key` under `alg`; its header is `header` (an
/// object) with `alg` set and, when `key` has a kid and `header` has none, `kid`.
Result<std::string> sign(Alg alg, const Key& key, const nlohmann::json& claims,
                         nlohmann::json header = nlohmann::json::object());

/// A compact JWS whose header and payload are exactly the bytes `header_json` and `payload_json`,
/// signed with `key` under `alg`: for tokens whose JSON must be written by hand.
Result<std::string> sign_raw(Alg alg, const Key& key, std::string_view header_json,
                             std::string_view payload_json);

}  // namespace cs::jwt
