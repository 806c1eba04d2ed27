#include "devbroker/api/views.h"

#include <algorithm>
#include <charconv>

namespace cs::api {

nlohmann::json time_or_null(const std::optional<SysSeconds>& t) {
  return t ? nlohmann::json(format_rfc3339(*t)) : nlohmann::json(nullptr);
}

nlohmann::json token_response(const auth::AuthService::IssuedToken& token,
                              const store::OrgRecord& org, SysSeconds now) {
  const auto& r = token.record;
  const auto expires_in = std::max<std::int64_t>(0, (r.expires_at - now).count());
  return {{"token_id", r.id},
          {"access_token", token.secret},
          {"provider", r.provider},
          {"organization_id", org.id},
          {"user_email", r.user_email},
          {"mqtt_credentials", {{"username", token.mqtt_username}, {"password", token.secret}}},
          {"mqtt_username", token.mqtt_username},
          {"mqtt_password", token.secret},
          {"expires_at", format_rfc3339(r.expires_at)},
          {"expires_in", expires_in},
          {"refresh_recommended_at", format_rfc3339(token.refresh_recommended_at)}};
}

nlohmann::json token_view(const store::TokenRecord& token, const store::OrgRecord& org) {
  std::string username = token.mqtt_name;
  username.append("@").append(org.short_id);
  return {{"token_id", token.id},
          {"user_email", token.user_email},
          {"mqtt_username", username},
          {"provider", token.provider},
          {"integration_id",
           token.integration_id ? nlohmann::json(*token.integration_id) : nlohmann::json(nullptr)},
          {"created_at", format_rfc3339(token.created_at)},
          {"expires_at", format_rfc3339(token.expires_at)}};
}

nlohmann::json user_view(const store::UserRecord& user, const store::OrgRecord& org) {
  std::string username = user.name;
  username.append("@").append(org.short_id);
  return {{"name", user.name},
          {"mqtt_username", username},
          {"created_at", format_rfc3339(user.created_at)}};
}

nlohmann::json key_view(const store::ApiKeyRecord& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"type", key.type},
          {"prefix", key.prefix},
          {"scopes", key.scopes},
          {"ip_allowlist", key.ip_allowlist},
          {"created_at", format_rfc3339(key.created_at)},
          {"last_used_at", time_or_null(key.last_used_at)},
          {"use_count", key.use_count}};
}

nlohmann::json rule_view(const store::AclRuleRecord& rule) {
  return {{"id", rule.id},         {"user_pattern", rule.user_pattern},
          {"topic", rule.topic},   {"permission", rule.permission},
          {"effect", rule.effect}, {"created_at", format_rfc3339(rule.created_at)}};
}

nlohmann::json rule_view(const auth::AclRule& rule) {
  return {{"id", rule.id},
          {"user_pattern", rule.user_pattern},
          {"topic", rule.topic},
          {"permission", auth::permission_name(rule.permission)},
          {"effect", auth::effect_name(rule.effect)}};
}

Result<nlohmann::json> page(const Call& call, const std::string& name,
                            const std::vector<nlohmann::json>& items) {
  std::size_t limit = items.size();
  std::size_t start = 0;
  const auto number = [](const std::string& text, std::size_t& out) {
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty();
  };
  if (auto text = call.query("limit")) {
    if (!number(*text, limit) || limit == 0 || limit > 10000) {
      return fail(ErrorCode::invalid_request, "\"limit\" must be between 1 and 10000");
    }
  }
  if (auto text = call.query("cursor")) {
    if (!number(*text, start) || start > items.size()) {
      return fail(ErrorCode::invalid_request, "\"cursor\" is not one this server gave out");
    }
  }
  const std::size_t end = std::min(items.size(), start + limit);
  nlohmann::json out = {{name, nlohmann::json::array()}};
  for (std::size_t i = start; i < end; ++i) out[name].push_back(items[i]);
  if (end < items.size()) out["next_cursor"] = std::to_string(end);
  return out;
}

}  // namespace cs::api
