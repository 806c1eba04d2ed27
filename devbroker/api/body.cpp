#include "devbroker/api/body.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace cs::api {
namespace {

Error field_error(std::string_view name, std::string_view problem) {
  std::string message = "\"";
  message.append(name).append("\" ").append(problem);
  return Error(ErrorCode::invalid_request, std::move(message));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return fail(ErrorCode::invalid_request, "the form body has a broken %-escape");
      }
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return fail(ErrorCode::invalid_request, "the form body has a broken %-escape");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Result<nlohmann::json> parse_json_object(std::string_view text) {
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
    return nlohmann::json::object();
  }
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return fail(ErrorCode::invalid_request, "the request body is not valid JSON");
  }
  if (!parsed.is_object()) {
    return fail(ErrorCode::invalid_request, "the request body must be a JSON object");
  }
  return parsed;
}

Result<std::map<std::string, std::string>> parse_form(std::string_view text) {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = form_decode(pair.substr(0, eq));
    if (!name) return fail(name.error());
    auto value =
        form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!value) return fail(value.error());
    if (!fields.emplace(std::move(*name), std::move(*value)).second) {
      return fail(ErrorCode::invalid_request, "a form field is repeated");
    }
  }
  return fields;
}

const nlohmann::json* Fields::find(std::string_view name) const {
  const auto it = m_object.find(name);
  if (it == m_object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<nlohmann::json> Fields::raw(std::string_view name) const {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

Result<std::optional<std::string>> Fields::optional_string(std::string_view name,
                                                           std::size_t max_length) const {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) return fail(field_error(name, "must be a string"));
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) return fail(field_error(name, "must not be empty"));
  if (text.size() > max_length) {
    return fail(field_error(name, "is longer than " + std::to_string(max_length) + " bytes"));
  }
  return text;
}

Result<std::string> Fields::required_string(std::string_view name, std::size_t max_length) const {
  auto value = optional_string(name, max_length);
  if (!value) return fail(value.error());
  if (!*value) return fail(field_error(name, "is required"));
  return std::move(**value);
}

Result<std::optional<bool>> Fields::optional_bool(std::string_view name) const {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) return fail(field_error(name, "must be true or false"));
  return value->get<bool>();
}

Result<std::optional<std::int64_t>> Fields::optional_int(std::string_view name, std::int64_t min,
                                                         std::int64_t max) const {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) return fail(field_error(name, "must be an integer"));
  const bool is_unsigned = value->is_number_unsigned();
  const auto number = is_unsigned ? static_cast<std::int64_t>(std::min<std::uint64_t>(
                                        value->get<std::uint64_t>(), INT64_MAX))
                                  : value->get<std::int64_t>();
  if (number < min || number > max) {
    std::string range = "must be between ";
    range.append(std::to_string(min)).append(" and ").append(std::to_string(max));
    return fail(field_error(name, range));
  }
  return number;
}

Result<std::optional<std::string>> Fields::optional_enum(
    std::string_view name, std::initializer_list<std::string_view> allowed) const {
  auto value = optional_string(name, 64);
  if (!value || !*value) return value;
  if (std::find(allowed.begin(), allowed.end(), **value) != allowed.end()) return value;
  std::string choices = "must be one of";
  const char* separator = " ";
  for (auto choice : allowed) {
    choices.append(separator).append("\"").append(choice).append("\"");
    separator = ", ";
  }
  return fail(field_error(name, choices));
}

Result<std::vector<std::string>> Fields::string_list(std::string_view name, std::size_t max_items,
                                                     std::size_t max_length) const {
  const auto* value = find(name);
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) return fail(field_error(name, "must be an array of strings"));
  if (value->size() > max_items) {
    return fail(field_error(name, "has more than " + std::to_string(max_items) + " items"));
  }
  for (const auto& item : *value) {
    if (!item.is_string()) return fail(field_error(name, "must be an array of strings"));
    const auto& text = item.get_ref<const std::string&>();
    if (text.empty() || text.size() > max_length) {
      return fail(field_error(name, "holds an empty or over-long string"));
    }
    out.push_back(text);
  }
  return out;
}

Result<std::optional<nlohmann::json>> Fields::optional_object(std::string_view name) const {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_object()) return fail(field_error(name, "must be an object"));
  return *value;
}

}  // namespace cs::api
