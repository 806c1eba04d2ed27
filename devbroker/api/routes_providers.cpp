// Identity providers and the token exchange: GET/POST /v2/providers, GET/PATCH/DELETE
// /v2/providers/{id}, POST /v2/providers/{id}/test, POST /v2/tokens/exchange.

#include "devbroker/api/api_server.h"
#include "devbroker/api/body.h"
#include "devbroker/api/routes.h"
#include "devbroker/api/views.h"
#include "devbroker/auth/provider_json.h"
#include "devbroker/auth/provider_service.h"

namespace cs::api {
namespace {

constexpr std::size_t k_max_jwt = 16 * 1024;

// organization_id, when given, must name the org this server serves.
Result<void> check_org(ApiServer& api, const std::optional<std::string>& org) {
  if (org && *org != api.deps().auth.org().id && *org != api.deps().auth.org().short_id) {
    return fail(ErrorCode::org_not_found, "no such organization");
  }
  return {};
}

Result<Reply> list(ApiServer& api, auth::ProviderService& providers, Call& call) {
  if (auto ok = check_org(api, call.query("organization_id")); !ok) return fail(ok.error());
  // Anyone may see the enabled providers (the browser flow needs them); admins see every field.
  const bool admin = call.principal && call.principal->has(auth::ScopeKind::read);
  auto body =
      providers.list_json(admin ? auth::ProviderView::admin_view : auth::ProviderView::public_view);
  return Reply::json(200, std::move(body));
}

Result<Reply> create(auth::ProviderService& providers, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  auto request = auth::NewProvider::from_json(call.body);
  if (!request) return fail(request.error());
  auto created = providers.create(*request, call.now);
  if (!created) return fail(created.error());
  return Reply::json(201, auth::to_admin_json(*created));
}

Result<Reply> get(auth::ProviderService& providers, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  auto found = providers.get(call.param(1));
  if (!found) return fail(found.error());
  return Reply::json(200, auth::to_admin_json(*found));
}

Result<Reply> update(auth::ProviderService& providers, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  auto patch = auth::ProviderPatch::from_json(call.body);
  if (!patch) return fail(patch.error());
  auto updated = providers.update(call.param(1), *patch, call.now);
  if (!updated) return fail(updated.error());
  return Reply::json(200, auth::to_admin_json(*updated));
}

Result<Reply> remove(auth::ProviderService& providers, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  if (auto ok = providers.remove(call.param(1)); !ok) return fail(ok.error());
  return Reply::no_content();
}

Result<Reply> test(auth::ProviderService& providers, Call& call) {
  if (auto ok = require_scope(call.principal, auth::ScopeKind::read); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auto token = fields.required_string("token", k_max_jwt);
  if (!token) return fail(token.error());
  auto result = providers.test(call.param(1), *token, call.now);
  if (!result) return fail(result.error());
  return Reply::json(200, result->to_json());
}

// The exchange: with admin auth the key must allow tokens:exchange; without, the IdP token is
// the credential and organization_id names the org (the browser flow).
Result<Reply> exchange(ApiServer& api, auth::ProviderService& providers, Call& call) {
  const Fields fields(call.body);
  auto org = fields.optional_string("organization_id", 64);
  if (!org) return fail(org.error());
  if (call.principal) {
    if (auto ok = require_scope(call.principal, auth::ScopeKind::tokens_exchange); !ok) {
      return fail(ok.error());
    }
  } else if (!*org) {
    return fail(ErrorCode::invalid_request,
                "\"organization_id\" is required without an Authorization header");
  }
  if (auto ok = check_org(api, *org); !ok) return fail(ok.error());
  auth::ExchangeRequest request;
  auto provider =
      fields.optional_enum("provider", {"supabase", "firebase", "auth0", "clerk", "oidc"});
  if (!provider) return fail(provider.error());
  request.provider = std::move(*provider);
  auto token = fields.required_string("token", k_max_jwt);
  if (!token) return fail(token.error());
  request.token = std::move(*token);
  auto integration = fields.optional_string("integration_id", auth::k_max_integration_id_length);
  if (!integration) return fail(integration.error());
  request.integration_id = std::move(*integration);
  auto issued = providers.exchange(request, call.now);
  if (!issued) return fail(issued.error());
  return Reply::json(200, token_response(*issued, api.deps().auth.org(), call.now));
}

// The dev broker's own: a token from the dev identity provider, shaped like a provider's.
Result<Reply> dev_token(auth::ProviderService& providers, Call& call) {
  if (auto ok = require_full_access(call.principal); !ok) return fail(ok.error());
  const Fields fields(call.body);
  auth::DevTokenRequest request;
  auto provider = fields.required_string("provider", 128);
  if (!provider) return fail(provider.error());
  request.provider = std::move(*provider);
  auto email = fields.required_string("email", 320);
  if (!email) return fail(email.error());
  request.email = std::move(*email);
  auto subject = fields.optional_string("subject", 255);
  if (!subject) return fail(subject.error());
  request.subject = subject->value_or("");
  auto ttl = fields.optional_int("ttl_seconds", 1, 24 * 3600);
  if (!ttl) return fail(ttl.error());
  request.ttl = std::chrono::seconds(ttl->value_or(3600));
  auto minted = providers.mint_dev_token(request, call.now);
  if (!minted) return fail(minted.error());
  return Reply::json(200, {{"token", minted->token},
                           {"provider", auth::to_admin_json(minted->provider)},
                           {"provider_created", minted->provider_created}});
}

}  // namespace

void add_provider_routes(ApiServer& api, auth::ProviderService& providers) {
  auto& router = api.router();
  auto* p = &providers;
  router.add({Method::get, "/v2/providers", Access::optional_admin, BodyKind::none, Cors::yes},
             [&api, p](Call& call) { return list(api, *p, call); });
  router.add({Method::post, "/v2/providers", Access::admin, BodyKind::json},
             [p](Call& call) { return create(*p, call); });
  router.add({Method::get, R"(/v2/providers/([^/]+))", Access::admin, BodyKind::none},
             [p](Call& call) { return get(*p, call); });
  router.add({Method::patch, R"(/v2/providers/([^/]+))", Access::admin, BodyKind::json},
             [p](Call& call) { return update(*p, call); });
  router.add({Method::del, R"(/v2/providers/([^/]+))", Access::admin, BodyKind::none},
             [p](Call& call) { return remove(*p, call); });
  router.add({Method::post, R"(/v2/providers/([^/]+)/test)", Access::admin, BodyKind::json},
             [p](Call& call) { return test(*p, call); });
  router.add(
      {Method::post, "/v2/tokens/exchange", Access::optional_admin, BodyKind::json, Cors::yes},
      [&api, p](Call& call) { return exchange(api, *p, call); });
  router.add({Method::post, "/v2/dev/idp-token", Access::admin, BodyKind::json},
             [p](Call& call) { return dev_token(*p, call); });
}

}  // namespace cs::api
