#pragma once
// Reading request bodies: JSON objects and form-encoded fields, with typed field access that
// turns every wrong type, missing field or unknown enum value into an invalid_request error
// naming the field. JSON `null` for an optional field means absent (API.md). Unknown fields are
// ignored, so that clients sending more than we read keep working.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cs::api {

/// Parses `text` as a JSON object; an empty body is an empty object.
Result<nlohmann::json> parse_json_object(std::string_view text);

/// Parses an `application/x-www-form-urlencoded` body; a repeated or malformed field is an error.
Result<std::map<std::string, std::string>> parse_form(std::string_view text);

/// Typed access to the fields of a JSON object.
class Fields {
 public:
  explicit Fields(const nlohmann::json& object) : m_object(object) {}

  /// The string field `name`: present, a string, 1 to `max_length` bytes.
  Result<std::string> required_string(std::string_view name, std::size_t max_length = 1024) const;
  /// As required_string, or nullopt when absent or null.
  Result<std::optional<std::string>> optional_string(std::string_view name,
                                                     std::size_t max_length = 1024) const;
  /// The boolean field `name`, or nullopt when absent or null.
  Result<std::optional<bool>> optional_bool(std::string_view name) const;
  /// The integer field `name` within [`min`, `max`], or nullopt when absent or null.
  Result<std::optional<std::int64_t>> optional_int(std::string_view name, std::int64_t min,
                                                   std::int64_t max) const;
  /// The string field `name`, which must be one of `allowed`, or nullopt when absent or null.
  Result<std::optional<std::string>> optional_enum(
      std::string_view name, std::initializer_list<std::string_view> allowed) const;
  /// An array of strings (each 1 to `max_length` bytes, at most `max_items`), or an empty list
  /// when absent or null.
  Result<std::vector<std::string>> string_list(std::string_view name, std::size_t max_items,
                                               std::size_t max_length = 1024) const;
  /// The object field `name`, or nullopt when absent or null.
  Result<std::optional<nlohmann::json>> optional_object(std::string_view name) const;
  /// The field `name` as it is (any JSON type), or nullopt when absent or null.
  std::optional<nlohmann::json> raw(std::string_view name) const;

 private:
  const nlohmann::json* find(std::string_view name) const;
  const nlohmann::json& m_object;
};

}  // namespace cs::api
