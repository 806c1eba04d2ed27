#pragma once
// JSON parsing for untrusted token parts: nlohmann::json keeps the last of duplicate member
// names silently, which lets two readers of one document disagree; here duplicates are refused.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/result.h"

namespace cs::jwt {

inline constexpr std::size_t k_max_json_depth = 32;

/// The one JSON value in `text`, refusing (invalid_request) a syntax error, a member name repeated
/// in one object, and arrays or objects nested deeper than `max_depth`.
Result<nlohmann::json> parse_strict_json(std::string_view text,
                                         std::size_t max_depth = k_max_json_depth);

}  // namespace cs::jwt
