// Access lists: GET/POST /v2/acl, DELETE /v2/acl/{id}, POST /v2/acl/check.

#include "devbroker/api/api_server.h"
#include "devbroker/api/body.h"
#include "devbroker/api/routes.h"
#include "devbroker/api/views.h"
#include "devbroker/auth/names.h"

namespace cs::api {
namespace {

Result<Reply> list(ApiServer& api, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  const auto index = api.deps().auth.acl();
  std::vector<nlohmann::json> items;
  for (const auto& rule : index->rules()) items.push_back(rule_view(rule));
  auto body = page(call, "rules", items);
  if (!body) return fail(body.error());
  return Reply::json(200, std::move(*body));
}

Result<Reply> create(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auth::AclRule rule;
  auto pattern = fields.required_string("user_pattern", 256);
  if (!pattern) return fail(pattern.error());
  rule.user_pattern = std::move(*pattern);
  auto topic = fields.required_string("topic", 4096);
  if (!topic) return fail(topic.error());
  rule.topic = std::move(*topic);
  auto permission = fields.optional_enum("permission", {"pub", "sub", "pubsub"});
  if (!permission) return fail(permission.error());
  if (!*permission) return fail(ErrorCode::invalid_request, "\"permission\" is required");
  rule.permission = *auth::parse_permission(**permission);
  auto effect = fields.optional_enum("effect", {"allow", "deny"});
  if (!effect) return fail(effect.error());
  rule.effect = *auth::parse_effect(effect->value_or("allow"));
  auto added = api.deps().auth.add_rule(std::move(rule), call.now);
  if (!added) return fail(added.error());
  return Reply::json(201, rule_view(*added));
}

Result<Reply> remove(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  if (auto ok = api.deps().auth.remove_rule(call.param(1)); !ok) return fail(ok.error());
  return Reply::no_content();
}

// The name part of `username`: "name@org" must name this org; a bare name is taken as is.
Result<std::string> name_of(ApiServer& api, const std::string& username) {
  if (username.find('@') == std::string::npos) return username;
  auto parsed = auth::parse_mqtt_username(username);
  if (!parsed) return fail(parsed.error());
  const auto& org = api.deps().auth.org();
  if (parsed->org != org.short_id && parsed->org != org.id) {
    return fail(ErrorCode::org_not_found, "the username names another organization");
  }
  return parsed->name;
}

Result<Reply> check(ApiServer& api, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auto username = fields.required_string("username", 512);
  if (!username) return fail(username.error());
  auto client_id = fields.optional_string("client_id", 256);
  if (!client_id) return fail(client_id.error());
  auto topic = fields.required_string("topic", 4096);
  if (!topic) return fail(topic.error());
  auto action = fields.optional_enum("action", {"pub", "sub"});
  if (!action) return fail(action.error());
  if (!*action) return fail(ErrorCode::invalid_request, "\"action\" is required");
  auto name = name_of(api, *username);
  if (!name) return fail(name.error());
  const auto index = api.deps().auth.acl();
  const auto decision =
      auth::evaluate(*index, *name, client_id->value_or(""), *topic,
                     **action == "pub" ? auth::Action::publish : auth::Action::subscribe);
  nlohmann::json body = {{"allowed", decision.allowed}};
  if (decision.rule != nullptr) body["rule"] = rule_view(*decision.rule);
  return Reply::json(200, std::move(body));
}

}  // namespace

void add_acl_routes(ApiServer& api) {
  auto& router = api.router();
  router.add({Method::get, "/v2/acl", Access::admin, BodyKind::none},
             [&api](Call& call) { return list(api, call); });
  router.add({Method::post, "/v2/acl", Access::admin, BodyKind::json},
             [&api](Call& call) { return create(api, call); });
  router.add({Method::post, "/v2/acl/check", Access::admin, BodyKind::json},
             [&api](Call& call) { return check(api, call); });
  router.add({Method::del, R"(/v2/acl/([^/]+))", Access::admin, BodyKind::none},
             [&api](Call& call) { return remove(api, call); });
}

}  // namespace cs::api
