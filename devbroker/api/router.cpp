#include "devbroker/api/router.h"

#include <future>

#include "common/log.h"
#include "devbroker/api/body.h"
#include "devbroker/auth/secrets.h"

namespace cs::api {
namespace {

std::string peer_of(const httplib::Request& request) {
  std::string peer = request.remote_addr.find(':') != std::string::npos
                         ? "[" + request.remote_addr + "]"
                         : request.remote_addr;
  peer.append(":").append(std::to_string(request.remote_port));
  return peer;
}

const char* method_name(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
  }
  return "GET";
}

// The bearer secret of an Authorization header; nullopt when the header is absent, an error when
// it is present but not a bearer credential.
Result<std::optional<std::string>> bearer(const httplib::Request& request) {
  if (!request.has_header("Authorization")) return std::nullopt;
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view k_scheme = "Bearer ";
  if (header.size() <= k_scheme.size() ||
      !std::equal(k_scheme.begin(), k_scheme.end(), header.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return fail(ErrorCode::unauthorized, "the Authorization header must be \"Bearer <key>\"");
  }
  auto secret = header.substr(k_scheme.size());
  while (!secret.empty() && secret.back() == ' ') secret.pop_back();
  if (secret.empty() || secret.size() > 4096) {
    return fail(ErrorCode::unauthorized, "the Authorization header holds no usable credential");
  }
  return secret;
}

void add_cors_headers(httplib::Response& response) {
  response.set_header("Access-Control-Allow-Origin", "*");
  response.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  response.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  response.set_header("Access-Control-Max-Age", "600");
}

bool content_type_is(const httplib::Request& request, std::string_view type) {
  const std::string value = request.get_header_value("Content-Type");
  const auto semicolon = value.find(';');
  std::string bare = value.substr(0, semicolon);
  while (!bare.empty() && bare.back() == ' ') bare.pop_back();
  std::transform(bare.begin(), bare.end(), bare.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return bare == type;
}

}  // namespace

std::string Call::param(std::size_t index) const {
  if (index >= request.matches.size()) return {};
  return httplib::detail::decode_url(request.matches[static_cast<int>(index)].str(), false);
}

std::optional<std::string> Call::query(const std::string& name) const {
  if (!request.has_param(name)) return std::nullopt;
  return request.get_param_value(name);
}

Reply Reply::json(int status, nlohmann::json body) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

Reply Reply::no_content() {
  Reply reply;
  reply.status = 204;
  return reply;
}

Reply Reply::page(int status, std::string html) {
  Reply reply;
  reply.status = status;
  reply.html = std::move(html);
  return reply;
}

Reply Reply::redirect(std::string location) {
  Reply reply;
  reply.status = 302;
  reply.location = std::move(location);
  return reply;
}

Error rate_limited(long seconds) {
  Error error(ErrorCode::rate_limited,
              "too many requests; retry after " + std::to_string(seconds) + " s");
  error.retry_after = seconds;
  return error;
}

void write_error(httplib::Response& response, const Error& error) {
  response.status = http_status(error.code);
  if (error.code == ErrorCode::rate_limited) {
    response.set_header("Retry-After", std::to_string(std::max(1L, error.retry_after)));
  }
  response.set_content(to_http_json(error), "application/json");
}

Router::Router(httplib::Server& server, auth::AuthService& auth, std::function<SysSeconds()> now,
               RouterOptions options)
    : m_server(server),
      m_auth(auth),
      m_now(std::move(now)),
      m_options(options),
      m_principal_limiter(options.per_principal),
      m_address_limiter(options.per_address),
      m_failure_limiter(options.failed_auth) {}

void Router::set_session_resolver(SessionResolver resolver) {
  m_sessions = std::move(resolver);
}

void Router::add(const RouteSpec& spec, Handler handler) {
  auto route = [this, spec, handler = std::move(handler)](const httplib::Request& request,
                                                          httplib::Response& response) {
    handle(spec, handler, request, response);
  };
  switch (spec.method) {
    case Method::get:
      m_server.Get(spec.pattern, route);
      break;
    case Method::post:
      m_server.Post(spec.pattern, route);
      break;
    case Method::patch:
      m_server.Patch(spec.pattern, route);
      break;
    case Method::del:
      m_server.Delete(spec.pattern, route);
      break;
  }
  if (spec.cors == Cors::yes) {
    m_server.Options(spec.pattern, [](const httplib::Request&, httplib::Response& response) {
      add_cors_headers(response);
      response.status = 204;
    });
  }
}

Result<void> Router::limit(RateLimiter& limiter, const std::string& key) {
  const auto wait = limiter.take(key, RateLimiter::Clock::now());
  if (wait.count() == 0) return {};
  return fail(rate_limited(retry_after_seconds(wait)));
}

Result<Principal> Router::authenticate(const std::string& secret, const std::string& peer,
                                       SysSeconds now) {
  // A client that keeps presenting wrong credentials is slowed down before any check is made.
  const std::string address = peer.substr(0, peer.rfind(':'));
  const auto failures = m_failure_limiter.wait_time(address, RateLimiter::Clock::now());
  if (failures.count() > 0) return fail(rate_limited(retry_after_seconds(failures)));
  Result<Principal> principal = fail(ErrorCode::unauthorized, "unknown credential");
  if (auth::parse_api_key(secret)) {
    std::promise<Result<auth::AuthService::KeyAccess>> promise;
    auto future = promise.get_future();
    m_auth.verify_api_key(secret, peer, now, [&promise](Result<auth::AuthService::KeyAccess> key) {
      promise.set_value(std::move(key));
    });
    auto key = future.get();
    if (key) {
      Principal p;
      p.kind = Principal::Kind::api_key;
      p.id = "key:" + key->record.id;
      p.full_access = key->full_access();
      p.scopes = std::move(key->scopes);
      principal = std::move(p);
    } else {
      principal = fail(key.error());
    }
  } else if (m_sessions) {
    principal = m_sessions(secret, now);
  }
  if (!principal && principal.error().code == ErrorCode::unauthorized) {
    m_failure_limiter.take(address, RateLimiter::Clock::now());
    return fail(ErrorCode::unauthorized, "invalid credentials",
                "check the API key or run `cloudsignal login` again");
  }
  return principal;
}

Result<void> Router::admit(const RouteSpec& spec, Call& call) {
  auto secret = bearer(call.request);
  if (!secret) return fail(secret.error());
  if (*secret && spec.access != Access::open) {
    auto principal = authenticate(**secret, call.peer, call.now);
    if (!principal) return fail(principal.error());
    call.principal = std::move(*principal);
  }
  if (spec.access == Access::admin && !call.principal) {
    return fail(ErrorCode::unauthorized, "this route needs an API key or a CLI session",
                "send \"Authorization: Bearer sk_…\"");
  }
  if (call.principal) return limit(m_principal_limiter, call.principal->id);
  return limit(m_address_limiter, call.request.remote_addr);
}

Result<Reply> Router::run(const RouteSpec& spec, const Handler& handler, Call& call) {
  if (auto ok = admit(spec, call); !ok) return fail(ok.error());
  if (spec.body == BodyKind::json) {
    if (!call.request.body.empty() && !content_type_is(call.request, "application/json")) {
      return fail(ErrorCode::invalid_request, "the request body must be application/json");
    }
    auto body = parse_json_object(call.request.body);
    if (!body) return fail(body.error());
    call.body = std::move(*body);
  } else if (spec.body == BodyKind::form) {
    if (!content_type_is(call.request, "application/x-www-form-urlencoded")) {
      return fail(ErrorCode::invalid_request,
                  "the request body must be application/x-www-form-urlencoded");
    }
    auto form = parse_form(call.request.body);
    if (!form) return fail(form.error());
    call.form = std::move(*form);
  }
  return handler(call);
}

void Router::handle(const RouteSpec& spec, const Handler& handler, const httplib::Request& request,
                    httplib::Response& response) {
  Call call{request, peer_of(request), m_now(), std::nullopt, nlohmann::json::object(), {}};
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
  if (spec.cors == Cors::yes) add_cors_headers(response);
  auto reply = run(spec, handler, call);
  if (!reply) {
    log::debug(std::string(method_name(spec.method)) + " " + request.path + " -> " +
               std::to_string(http_status(reply.error().code)) + " " + reply.error().message);
    write_error(response, reply.error());
    return;
  }
  response.status = reply->status;
  for (const auto& [name, value] : reply->headers) response.set_header(name, value);
  if (!reply->location.empty()) {
    response.set_redirect(reply->location, reply->status);
  } else if (!reply->html.empty()) {
    response.set_content(reply->html, "text/html; charset=utf-8");
  } else if (reply->status != 204) {
    response.set_content(reply->body.dump(), "application/json");
  }
  log::debug(std::string(method_name(spec.method)) + " " + request.path + " -> " +
             std::to_string(reply->status));
}

}  // namespace cs::api
