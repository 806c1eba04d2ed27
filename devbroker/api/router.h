#pragma once
// The HTTP API's request pipeline, in one place for every route: admin authentication
// (`Authorization: Bearer sk_…|rk_…|<CLI session token>`), rate limits, CORS, body parsing and
// size limits, and the translation of errors into API.md's error JSON. A route is a spec and a
// handler that takes a Call and returns a Reply or an Error; handlers never write HTTP directly.

#include <chrono>
#include <functional>
#include <httplib.h>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/api/principal.h"
#include "devbroker/api/rate_limiter.h"
#include "devbroker/auth/auth_service.h"

namespace cs::api {

enum class Method { get, post, patch, del };

/// Who may call a route: anyone; anyone, with admin auth honoured when sent; admins only.
enum class Access { open, optional_admin, admin };

/// What the body holds.
enum class BodyKind { none, json, form };

/// Whether browsers on any origin may call the route (the JS client's token routes).
enum class Cors { no, yes };

struct RouteSpec {
  Method method = Method::get;
  std::string pattern;  // httplib regex, e.g. R"(/v2/users/([^/]+))"
  Access access = Access::admin;
  BodyKind body = BodyKind::json;
  Cors cors = Cors::no;
};

struct Call {
  const httplib::Request& request;
  std::string peer;  // "address:port" of the client
  SysSeconds now{};
  std::optional<Principal> principal;              // set when the request carried valid admin auth
  nlohmann::json body = nlohmann::json::object();  // BodyKind::json
  std::map<std::string, std::string> form;         // BodyKind::form

  /// The `index`th capture of the route pattern (1-based), URL-decoded.
  std::string param(std::size_t index) const;
  /// The query parameter `name`, or nullopt.
  std::optional<std::string> query(const std::string& name) const;
};

struct Reply {
  int status = 200;
  nlohmann::json body;   // sent as JSON unless status is 204 or a redirect/html is set
  std::string html;      // an HTML page instead of JSON
  std::string location;  // a 302 redirect target
  std::map<std::string, std::string> headers;

  static Reply json(int status, nlohmann::json body);
  static Reply no_content();
  static Reply page(int status, std::string html);
  static Reply redirect(std::string location);
};

using Handler = std::function<Result<Reply>(Call&)>;
/// Turns an OAuth access token (anything but an API key) into a principal; empty: none accepted.
using SessionResolver = std::function<Result<Principal>(const std::string& token, SysSeconds now)>;

struct RouterOptions {
  std::size_t max_body_bytes = 64 * 1024;
  RateLimit per_principal{100, 200};  // API.md: 100 requests/s per key, bursts of 200
  RateLimit per_address{100, 200};    // requests without admin auth, per client address
  RateLimit failed_auth{1, 10};       // wrong credentials per client address
};

class Router {
 public:
  Router(httplib::Server& server, auth::AuthService& auth, std::function<SysSeconds()> now,
         RouterOptions options);

  /// Serves `spec` with `handler`.
  void add(const RouteSpec& spec, Handler handler);

  /// Accepts CLI session tokens through `resolver` from now on.
  void set_session_resolver(SessionResolver resolver);

  /// Checks `secret` (an API key or a session token) from `peer` as admin auth would; for
  /// routes that take the secret in the body (the JS client's `secret_key`).
  Result<Principal> authenticate(const std::string& secret, const std::string& peer,
                                 SysSeconds now);

 private:
  void handle(const RouteSpec& spec, const Handler& handler, const httplib::Request& request,
              httplib::Response& response);
  Result<Reply> run(const RouteSpec& spec, const Handler& handler, Call& call);
  Result<void> admit(const RouteSpec& spec, Call& call);
  Result<void> limit(RateLimiter& limiter, const std::string& key);

  httplib::Server& m_server;
  auth::AuthService& m_auth;
  std::function<SysSeconds()> m_now;
  RouterOptions m_options;
  SessionResolver m_sessions;
  RateLimiter m_principal_limiter;
  RateLimiter m_address_limiter;
  RateLimiter m_failure_limiter;
};

/// Writes `error` as API.md's error JSON with its HTTP status (and Retry-After for 429).
void write_error(httplib::Response& response, const Error& error);

/// A rate_limited error whose Retry-After is `seconds`.
Error rate_limited(long seconds);

}  // namespace cs::api
