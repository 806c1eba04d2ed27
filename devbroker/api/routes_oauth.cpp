// The CLI login: GET /oauth/authorize (the sign-in page), POST /oauth/authorize (its answer),
// POST /oauth/token, POST /oauth/revoke; and the session resolver that makes the access tokens
// admin credentials on every route.

#include <arpa/inet.h>

#include <memory>

#include "common/http/url.h"
#include "devbroker/api/api_server.h"
#include "devbroker/api/oauth_service.h"
#include "devbroker/api/routes.h"
#include "devbroker/api/signin_page.h"

namespace cs::api {
namespace {

struct OAuthRoutes {
  OAuthRoutes(auth::AuthService& auth, RateLimit failed_auth)
      : service(auth, local_account(auth.org())), failures(failed_auth) {}
  OAuthService service;
  RateLimiter failures;  // failed code and refresh token redemptions per client address
};

constexpr std::pair<const char*, std::optional<std::string> AuthorizeParams::*>
    k_authorize_params[] = {
        {"response_type", &AuthorizeParams::response_type},
        {"client_id", &AuthorizeParams::client_id},
        {"redirect_uri", &AuthorizeParams::redirect_uri},
        {"code_challenge", &AuthorizeParams::code_challenge},
        {"code_challenge_method", &AuthorizeParams::code_challenge_method},
        {"state", &AuthorizeParams::state},
        {"scope", &AuthorizeParams::scope},
};

Reply error_page(int status, std::string_view message) {
  Reply reply = Reply::page(status, render_error_page(message));
  reply.headers = page_headers("");
  return reply;
}

Reply refusal_reply(const AuthorizeRefusal& refusal) {
  if (refusal.redirect) return Reply::redirect(*refusal.redirect);
  return error_page(400, refusal.message);
}

// True for the names a browser on this machine uses: an IP address or localhost. A DNS name
// would mean a page whose name was pointed at 127.0.0.1 (DNS rebinding).
bool is_local_host_header(std::string_view host) {
  if (host.empty()) return true;
  std::string name;
  if (host.front() == '[') {
    name = host.substr(1, host.find(']') - 1);
  } else {
    name = host.substr(0, host.rfind(':'));
  }
  unsigned char address[16];
  return name == "localhost" || inet_pton(AF_INET, name.c_str(), address) == 1 ||
         inet_pton(AF_INET6, name.c_str(), address) == 1;
}

// The sign-in page signs in whoever can reach it, so it is served to this machine only, even
// when cloudsignal dev listens on other addresses.
std::optional<Reply> local_only(const httplib::Request& request) {
  if (!http::is_loopback_host(request.remote_addr)) {
    return error_page(403,
                      "Sign-in is offered only to a browser on the machine that runs cloudsignal "
                      "dev.");
  }
  if (!is_local_host_header(request.get_header_value("Host"))) {
    return error_page(403, "Open the sign-in page at 127.0.0.1 or localhost.");
  }
  return std::nullopt;
}

Result<Reply> show_page(ApiServer& api, OAuthRoutes& routes, Call& call) {
  if (auto refusal = local_only(call.request)) return *refusal;
  AuthorizeParams params;
  for (const auto& [name, field] : k_authorize_params) {
    if (call.request.get_param_value_count(name) > 1) {
      return error_page(400, std::string("The parameter ").append(name).append(" is repeated."));
    }
    params.*field = call.query(name);
  }
  auto pending = routes.service.begin(params, call.now);
  if (!pending) return refusal_reply(pending.error());
  const auto& org = api.deps().auth.org();
  Reply reply = Reply::page(
      200, render_signin_page({org.name, org.short_id, routes.service.account().email,
                               pending->client_id, pending->redirect_origin, pending->id}));
  reply.headers = page_headers(pending->redirect_origin);
  return reply;
}

Result<Reply> answer_page(OAuthRoutes& routes, Call& call) {
  if (auto refusal = local_only(call.request)) return *refusal;
  const auto id = call.form.find("request_id");
  const auto decision = call.form.find("decision");
  if (id == call.form.end() || decision == call.form.end() ||
      (decision->second != "approve" && decision->second != "deny")) {
    return error_page(400, "The sign-in form came back incomplete.");
  }
  auto location = routes.service.decide(
      id->second, decision->second == "approve" ? Decision::approve : Decision::deny, call.now);
  if (!location) return refusal_reply(location.error());
  return Reply::redirect(std::move(*location));
}

Reply no_cache(Reply reply) {
  reply.headers["Pragma"] = "no-cache";  // RFC 6749 section 5.1
  return reply;
}

Result<Reply> token(OAuthRoutes& routes, Call& call) {
  const std::string& address = call.request.remote_addr;
  const auto wait = routes.failures.wait_time(address, RateLimiter::Clock::now());
  if (wait.count() > 0) return fail(rate_limited(retry_after_seconds(wait)));
  auto grant = routes.service.token(call.form, call.now);
  if (!grant) {
    const auto code = grant.error().code;
    if (code == OAuthErrorCode::server_error) {
      return fail(ErrorCode::internal, grant.error().description);
    }
    // Every wrong code or refresh token costs the sender, so guessing is slowed to a trickle.
    if (code == OAuthErrorCode::invalid_grant || code == OAuthErrorCode::invalid_client) {
      routes.failures.take(address, RateLimiter::Clock::now());
    }
    return no_cache(Reply::json(400, {{"error", oauth_error_name(code)},
                                      {"error_description", grant.error().description}}));
  }
  return no_cache(Reply::json(200, {{"access_token", grant->access_token},
                                    {"token_type", "Bearer"},
                                    {"expires_in", grant->expires_in.count()},
                                    {"refresh_token", grant->refresh_token},
                                    {"scope", grant->scope}}));
}

Result<Reply> revoke(OAuthRoutes& routes, Call& call) {
  const auto token = call.form.find("token");
  if (token == call.form.end() || token->second.empty()) {
    return Reply::json(400,
                       {{"error", "invalid_request"}, {"error_description", "token is missing"}});
  }
  if (auto ok = routes.service.revoke(token->second); !ok) return fail(ok.error());
  return Reply::json(200, nlohmann::json::object());
}

}  // namespace

void add_oauth_routes(ApiServer& api) {
  auto routes = std::make_shared<OAuthRoutes>(api.deps().auth, api.options().router.failed_auth);
  auto& router = api.router();
  router.set_session_resolver([routes](const std::string& token, SysSeconds now) {
    return routes->service.resolve(token, now);
  });
  router.add({Method::get, "/oauth/authorize", Access::open, BodyKind::none},
             [&api, routes](Call& call) { return show_page(api, *routes, call); });
  router.add({Method::post, "/oauth/authorize", Access::open, BodyKind::form},
             [routes](Call& call) { return answer_page(*routes, call); });
  router.add({Method::post, "/oauth/token", Access::open, BodyKind::form},
             [routes](Call& call) { return token(*routes, call); });
  router.add({Method::post, "/oauth/revoke", Access::open, BodyKind::form},
             [routes](Call& call) { return revoke(*routes, call); });
}

}  // namespace cs::api
