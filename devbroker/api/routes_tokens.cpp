// The native token routes: POST /v2/tokens/create, POST /v2/tokens/refresh, GET /v2/tokens,
// DELETE /v2/tokens/{id}. The exchange route lives with the providers.

#include "devbroker/api/api_server.h"
#include "devbroker/api/body.h"
#include "devbroker/api/routes.h"
#include "devbroker/api/views.h"
#include "devbroker/auth/secrets.h"

namespace cs::api {
namespace {

constexpr std::size_t k_max_email = 320;
constexpr std::size_t k_max_integration_id = 128;

// Whoever creates a token: the admin auth of the request, else the JS client's `secret_key`.
Result<void> authorize_create(ApiServer& api, Call& call, const Fields& fields) {
  if (!call.principal) {
    auto secret = fields.optional_string("secret_key", 4096);
    if (!secret) return fail(secret.error());
    if (!*secret) {
      return fail(ErrorCode::unauthorized, "creating a token needs an API key",
                  "send \"Authorization: Bearer sk_…\" or \"secret_key\"");
    }
    auto principal = api.router().authenticate(**secret, call.peer, call.now);
    if (!principal) return fail(principal.error());
    call.principal = std::move(*principal);
  }
  return require_scope(call.principal, auth::ScopeKind::tokens_create);
}

// organization_id, when given, must name the org this server serves.
Result<void> check_org(ApiServer& api, const Fields& fields) {
  auto org = fields.optional_string("organization_id", 64);
  if (!org) return fail(org.error());
  if (*org && **org != api.deps().auth.org().id && **org != api.deps().auth.org().short_id) {
    return fail(ErrorCode::org_not_found, "no such organization");
  }
  return {};
}

Result<Reply> create(ApiServer& api, Call& call) {
  const Fields fields(call.body);
  if (auto ok = authorize_create(api, call, fields); !ok) return fail(ok.error());
  if (auto ok = check_org(api, fields); !ok) return fail(ok.error());
  auth::AuthService::TokenRequest request;
  auto email = fields.required_string("user_email", k_max_email);
  if (!email) return fail(email.error());
  request.user_email = std::move(*email);
  auto integration = fields.optional_string("integration_id", k_max_integration_id);
  if (!integration) return fail(integration.error());
  request.integration_id = std::move(*integration);
  auto replace = fields.optional_bool("replace_existing");
  if (!replace) return fail(replace.error());
  request.replace_existing = replace->value_or(true);
  auto ttl = fields.optional_int("ttl_seconds", auth::k_min_token_ttl.count(),
                                 auth::k_max_token_ttl.count());
  if (!ttl) return fail(ttl.error());
  request.ttl_seconds = *ttl;
  auto issued = api.deps().auth.create_token(request, call.now);
  if (!issued) return fail(issued.error());
  return Reply::json(200, token_response(*issued, api.deps().auth.org(), call.now));
}

Result<Reply> refresh(ApiServer& api, Call& call) {
  const Fields fields(call.body);
  auto id = fields.required_string("token_id", 128);
  if (!id) return fail(id.error());
  auto secret = fields.required_string("current_token_password", 512);
  if (!secret) return fail(secret.error());
  auto issued = api.deps().auth.refresh_token(*id, *secret, call.now);
  if (!issued) return fail(issued.error());
  return Reply::json(200, token_response(*issued, api.deps().auth.org(), call.now));
}

Result<Reply> list(ApiServer& api, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  auto tokens = api.deps().auth.list_tokens(call.now);
  if (!tokens) return fail(tokens.error());
  std::vector<nlohmann::json> items;
  for (const auto& token : *tokens) items.push_back(token_view(token, api.deps().auth.org()));
  auto body = page(call, "tokens", items);
  if (!body) return fail(body.error());
  return Reply::json(200, std::move(*body));
}

Result<Reply> revoke(ApiServer& api, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  if (auto ok = api.deps().auth.revoke_token(call.param(1), call.now); !ok) {
    return fail(ok.error());
  }
  return Reply::no_content();
}

}  // namespace

void add_token_routes(ApiServer& api) {
  auto& router = api.router();
  router.add({Method::post, "/v2/tokens/create", Access::optional_admin, BodyKind::json, Cors::yes},
             [&api](Call& call) { return create(api, call); });
  router.add({Method::post, "/v2/tokens/refresh", Access::open, BodyKind::json, Cors::yes},
             [&api](Call& call) { return refresh(api, call); });
  router.add({Method::get, "/v2/tokens", Access::admin, BodyKind::none},
             [&api](Call& call) { return list(api, call); });
  router.add({Method::del, R"(/v2/tokens/([^/]+))", Access::admin, BodyKind::none},
             [&api](Call& call) { return revoke(api, call); });
}

}  // namespace cs::api
