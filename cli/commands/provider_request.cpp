#include "cli/commands/provider_request.h"

#include <algorithm>
#include <array>

namespace cs::cli {
namespace {

struct FlagField {
  std::string_view flag;
  std::string_view field;
  // The provider types the field belongs to; empty = every type (the overrides).
  std::vector<std::string_view> types;
};

const std::vector<FlagField>& flag_fields() {
  static const std::vector<FlagField> fields = {
      {"--project-url", "project_url", {"supabase"}},
      {"--jwt-secret", "jwt_secret", {"supabase", "auth0"}},
      {"--project-id", "project_id", {"firebase"}},
      {"--domain", "domain", {"auth0"}},
      {"--audience", "audience", {"auth0", "oidc"}},
      {"--frontend-api-dev", "frontend_api_dev", {"clerk"}},
      {"--frontend-api-prod", "frontend_api_prod", {"clerk"}},
      {"--authorized-party", "authorized_parties", {"clerk"}},
      {"--issuer", "issuer", {}},
      {"--jwks-uri", "jwks_uri", {}},
  };
  return fields;
}

Result<void> check_applies(const FlagField& entry, std::string_view type) {
  if (type.empty() || entry.types.empty()) return {};
  if (std::find(entry.types.begin(), entry.types.end(), type) != entry.types.end()) return {};
  std::string message(entry.flag);
  message.append(" does not apply to providers of type ").append(type);
  return fail(ErrorCode::usage, message, "see `cloudsignal providers add --help`");
}

}  // namespace

Result<nlohmann::json> provider_config_from_flags(const ProviderConfigFlags& config,
                                                  std::string_view type,
                                                  const std::optional<std::string>& jwt_secret) {
  const std::array<std::pair<std::string_view, const std::string*>, 9> strings = {{
      {"project_url", &config.project_url},
      {"project_id", &config.project_id},
      {"domain", &config.domain},
      {"audience", &config.audience},
      {"frontend_api_dev", &config.frontend_api_dev},
      {"frontend_api_prod", &config.frontend_api_prod},
      {"issuer", &config.issuer},
      {"jwks_uri", &config.jwks_uri},
      {"jwt_secret", jwt_secret ? &*jwt_secret : nullptr},
  }};
  nlohmann::json out = nlohmann::json::object();
  for (const auto& entry : flag_fields()) {
    nlohmann::json value;
    if (entry.field == "authorized_parties") {
      if (config.authorized_parties.empty()) continue;
      value = config.authorized_parties;
    } else {
      const auto it = std::find_if(strings.begin(), strings.end(),
                                   [&](const auto& s) { return s.first == entry.field; });
      if (it->second == nullptr || it->second->empty()) continue;
      value = *it->second;
    }
    if (auto ok = check_applies(entry, type); !ok) return fail(ok.error());
    out[std::string(entry.field)] = std::move(value);
  }
  return out;
}

Result<nlohmann::json> provider_create_body(const ProviderFlags& flags,
                                            const std::optional<std::string>& jwt_secret) {
  auto config = provider_config_from_flags(flags.config, flags.type, jwt_secret);
  if (!config) return fail(config.error());
  nlohmann::json body = {{"type", flags.type},
                         {"name", flags.name},
                         {"enabled", !flags.disabled},
                         {"config", std::move(*config)}};
  if (!flags.username_claim.empty()) body["username_claim"] = flags.username_claim;
  return body;
}

Result<nlohmann::json> provider_update_body(const ProviderFlags& flags,
                                            const std::optional<std::string>& jwt_secret) {
  if (flags.enabled && flags.disabled) {
    return fail(ErrorCode::usage, "--enabled and --disabled contradict each other");
  }
  auto config = provider_config_from_flags(flags.config, {}, jwt_secret);
  if (!config) return fail(config.error());
  nlohmann::json body = nlohmann::json::object();
  if (!flags.name.empty()) body["name"] = flags.name;
  if (flags.enabled || flags.disabled) body["enabled"] = flags.enabled;
  if (!flags.username_claim.empty()) body["username_claim"] = flags.username_claim;
  if (!config->empty()) body["config"] = std::move(*config);
  if (body.empty()) {
    return fail(ErrorCode::usage, "nothing to change",
                "give at least one flag, see `cloudsignal providers update --help`");
  }
  return body;
}

}  // namespace cs::cli
