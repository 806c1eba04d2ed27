// MQTT users: GET/POST /v2/users, DELETE /v2/users/{name}, POST /v2/users/{name}/password.

#include "devbroker/api/api_server.h"
#include "devbroker/api/body.h"
#include "devbroker/api/routes.h"
#include "devbroker/api/views.h"

namespace cs::api {
namespace {

constexpr std::size_t k_max_password = 256;

Result<Reply> list(ApiServer& api, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  auto users = api.deps().auth.list_users();
  if (!users) return fail(users.error());
  std::vector<nlohmann::json> items;
  for (const auto& user : *users) items.push_back(user_view(user, api.deps().auth.org()));
  auto body = page(call, "users", items);
  if (!body) return fail(body.error());
  return Reply::json(200, std::move(*body));
}

Result<Reply> create(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auto name = fields.required_string("name", 256);
  if (!name) return fail(name.error());
  auto password = fields.optional_string("password", k_max_password);
  if (!password) return fail(password.error());
  const bool generated = !*password;
  auto created = api.deps().auth.create_user(*name, std::move(*password), call.now);
  if (!created) return fail(created.error());
  auto body = user_view(created->record, api.deps().auth.org());
  // A password the caller chose is never echoed; a generated one is shown this once.
  if (generated) body["password"] = created->password;
  return Reply::json(201, std::move(body));
}

Result<Reply> remove(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  if (auto ok = api.deps().auth.delete_user(call.param(1)); !ok) return fail(ok.error());
  return Reply::no_content();
}

Result<Reply> set_password(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auto password = fields.required_string("password", k_max_password);
  if (!password) return fail(password.error());
  if (auto ok = api.deps().auth.set_user_password(call.param(1), *password); !ok) {
    return fail(ok.error());
  }
  return Reply::no_content();
}

}  // namespace

void add_user_routes(ApiServer& api) {
  auto& router = api.router();
  router.add({Method::get, "/v2/users", Access::admin, BodyKind::none},
             [&api](Call& call) { return list(api, call); });
  router.add({Method::post, "/v2/users", Access::admin, BodyKind::json},
             [&api](Call& call) { return create(api, call); });
  router.add({Method::del, R"(/v2/users/([^/]+))", Access::admin, BodyKind::none},
             [&api](Call& call) { return remove(api, call); });
  router.add({Method::post, R"(/v2/users/([^/]+)/password)", Access::admin, BodyKind::json},
             [&api](Call& call) { return set_password(api, call); });
}

}  // namespace cs::api
