// API keys: GET/POST /v2/keys, DELETE /v2/keys/{id}, POST /v2/keys/{id}/rotate.

#include "devbroker/api/api_server.h"
#include "devbroker/api/body.h"
#include "devbroker/api/routes.h"
#include "devbroker/api/views.h"

namespace cs::api {
namespace {

constexpr std::size_t k_max_scopes = 64;
constexpr std::size_t k_max_allowlist = 64;

Result<Reply> list(ApiServer& api, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  auto keys = api.deps().auth.list_keys();
  if (!keys) return fail(keys.error());
  std::vector<nlohmann::json> items;
  for (const auto& key : *keys) {
    if (!key.revoked_at) items.push_back(key_view(key));
  }
  auto body = page(call, "keys", items);
  if (!body) return fail(body.error());
  return Reply::json(200, std::move(*body));
}

Result<Reply> create(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auto name = fields.required_string("name", 128);
  if (!name) return fail(name.error());
  auto type = fields.optional_enum("type", {"secret", "restricted"});
  if (!type) return fail(type.error());
  if (!*type) return fail(ErrorCode::invalid_request, "\"type\" is required");
  auto scopes = fields.string_list("scopes", k_max_scopes, 1100);
  if (!scopes) return fail(scopes.error());
  auto allowlist = fields.string_list("ip_allowlist", k_max_allowlist, 64);
  if (!allowlist) return fail(allowlist.error());
  const auto kind = **type == "secret" ? auth::KeyType::secret : auth::KeyType::restricted;
  auto created = api.deps().auth.create_key(*name, kind, *scopes, *allowlist, call.now);
  if (!created) return fail(created.error());
  auto body = key_view(created->record);
  body["key"] = created->secret;
  return Reply::json(201, std::move(body));
}

Result<Reply> remove(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  if (auto ok = api.deps().auth.revoke_key(call.param(1), call.now); !ok) return fail(ok.error());
  return Reply::no_content();
}

Result<Reply> rotate(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  auto rotated = api.deps().auth.rotate_key(call.param(1));
  if (!rotated) return fail(rotated.error());
  auto body = key_view(rotated->record);
  body["key"] = rotated->secret;
  return Reply::json(200, std::move(body));
}

}  // namespace

void add_key_routes(ApiServer& api) {
  auto& router = api.router();
  router.add({Method::get, "/v2/keys", Access::admin, BodyKind::none},
             [&api](Call& call) { return list(api, call); });
  router.add({Method::post, "/v2/keys", Access::admin, BodyKind::json},
             [&api](Call& call) { return create(api, call); });
  router.add({Method::del, R"(/v2/keys/([^/]+))", Access::admin, BodyKind::none},
             [&api](Call& call) { return remove(api, call); });
  router.add({Method::post, R"(/v2/keys/([^/]+)/rotate)", Access::admin, BodyKind::none},
             [&api](Call& call) { return rotate(api, call); });
}

}  // namespace cs::api
