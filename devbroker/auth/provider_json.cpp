#include "devbroker/auth/provider_json.h"

#include <algorithm>
#include <array>

#include "common/time/rfc3339.h"

namespace cs::auth {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> k_body_fields = {"type",           "name",   "enabled",
                                                           "username_claim", "config", "dev"};
constexpr std::array<std::string_view, 5> k_ignored_in_patch = {"id", "created_at", "updated_at",
                                                                "secrets_set", "organization_id"};

tl::unexpected<Error> field_error(std::string_view field, std::string_view problem) {
  std::string message = "'";
  message.append(field).append("' ").append(problem);
  return fail(ErrorCode::invalid_request, std::move(message),
              "see the provider fields in the API documentation");
}

bool contains(auto const& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Every member of `body` is a field this body may carry, or one it ignores.
Result<void> check_members(const json& body, bool patch) {
  if (!body.is_object()) {
    return fail(ErrorCode::invalid_request, "the request body must be a JSON object");
  }
  for (const auto& [key, value] : body.items()) {
    if (contains(k_body_fields, key) || key == "organization_id") continue;
    if (patch && contains(k_ignored_in_patch, key)) continue;
    return field_error(key, "is not a field of a provider");
  }
  return {};
}

// The member `field` of `body`, or nullptr when it is absent or JSON null.
const json* member(const json& body, const char* field) {
  const auto it = body.find(field);
  return it == body.end() || it->is_null() ? nullptr : &*it;
}

Result<std::optional<std::string>> optional_string(const json& body, const char* field) {
  const json* value = member(body, field);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return field_error(field, "must be a string");
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<bool>> optional_bool(const json& body, const char* field) {
  const json* value = member(body, field);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return field_error(field, "must be true or false");
  return std::optional<bool>(value->get<bool>());
}

Result<std::optional<json>> optional_object(const json& body, const char* field) {
  const json* value = member(body, field);
  if (value == nullptr) return std::optional<json>();
  if (!value->is_object()) return field_error(field, "must be a JSON object");
  return std::optional<json>(*value);
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace

Result<NewProvider> NewProvider::from_json(const json& body) {
  if (auto ok = check_members(body, false); !ok) return fail(ok.error());
  auto type = optional_string(body, "type");
  if (!type) return fail(type.error());
  if (!*type) return field_error("type", "is required");
  auto name = optional_string(body, "name");
  if (!name) return fail(name.error());
  if (!*name) return field_error("name", "is required");
  auto enabled = optional_bool(body, "enabled");
  if (!enabled) return fail(enabled.error());
  auto claim = optional_string(body, "username_claim");
  if (!claim) return fail(claim.error());
  auto config = optional_object(body, "config");
  if (!config) return fail(config.error());
  auto dev = optional_bool(body, "dev");
  if (!dev) return fail(dev.error());

  NewProvider out;
  out.type = std::move(**type);
  out.name = std::move(**name);
  out.enabled = enabled->value_or(true);
  out.username_claim = claim->value_or("email");
  if (*config) out.config = std::move(**config);
  out.dev = dev->value_or(false);
  return out;
}

Result<ProviderPatch> ProviderPatch::from_json(const json& body) {
  if (auto ok = check_members(body, true); !ok) return fail(ok.error());
  ProviderPatch out;
  auto type = optional_string(body, "type");
  if (!type) return fail(type.error());
  auto name = optional_string(body, "name");
  if (!name) return fail(name.error());
  auto enabled = optional_bool(body, "enabled");
  if (!enabled) return fail(enabled.error());
  auto claim = optional_string(body, "username_claim");
  if (!claim) return fail(claim.error());
  auto config = optional_object(body, "config");
  if (!config) return fail(config.error());
  auto dev = optional_bool(body, "dev");
  if (!dev) return fail(dev.error());
  out.type = std::move(*type);
  out.name = std::move(*name);
  out.enabled = *enabled;
  out.username_claim = std::move(*claim);
  out.config = std::move(*config);
  out.dev = *dev;
  return out;
}

bool is_secret_config_field(std::string_view name) {
  for (std::string_view word : {"secret", "password", "private_key"}) {
    if (name.find(word) != std::string_view::npos) return true;
  }
  return false;
}

Result<Provider> provider_from_record(const store::ProviderRecord& record) {
  const auto type = provider_type_from_name(record.type);
  if (!type) {
    std::string problem = "must be one of supabase, firebase, auth0, clerk, oidc (not '";
    problem.append(record.type).append("')");
    return field_error("type", problem);
  }
  if (record.name.empty() || record.name.size() > k_max_provider_name_length ||
      has_control_character(record.name)) {
    std::string problem = "must be 1 to ";
    problem.append(std::to_string(k_max_provider_name_length))
        .append(" bytes without control characters");
    return field_error("name", problem);
  }
  if (record.username_claim != "email" && record.username_claim != "sub") {
    return field_error("username_claim", "must be \"email\" or \"sub\"");
  }
  if (!record.config.is_object()) return field_error("config", "must be a JSON object");
  if (record.config.dump().size() > k_max_provider_config_bytes) {
    std::string problem = "must be at most ";
    problem.append(std::to_string(k_max_provider_config_bytes)).append(" bytes of JSON");
    return field_error("config", problem);
  }
  if (auto ok = validate_provider_config(*type, record.config); !ok) return fail(ok.error());
  Provider p;
  p.id = record.id;
  p.type = *type;
  p.name = record.name;
  p.enabled = record.enabled;
  p.username_claim = record.username_claim == "sub" ? UsernameClaim::sub : UsernameClaim::email;
  p.config = record.config;
  p.dev = record.dev;
  return p;
}

json to_public_json(const store::ProviderRecord& record) {
  return {
      {"id", record.id}, {"type", record.type}, {"name", record.name}, {"enabled", record.enabled}};
}

json to_admin_json(const store::ProviderRecord& record) {
  json config = json::object();
  json secrets_set = json::array();
  if (record.config.is_object()) {
    for (const auto& [key, value] : record.config.items()) {
      if (is_secret_config_field(key)) {
        secrets_set.push_back(key);
      } else {
        config[key] = value;
      }
    }
  }
  json out = to_public_json(record);
  out["username_claim"] = record.username_claim;
  out["config"] = std::move(config);
  out["secrets_set"] = std::move(secrets_set);
  out["dev"] = record.dev;
  out["created_at"] = format_rfc3339(record.created_at);
  out["updated_at"] = format_rfc3339(record.updated_at);
  return out;
}

}  // namespace cs::auth
