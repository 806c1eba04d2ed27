#include "cli/session.h"

#include <map>
#include <ostream>

namespace cs::cli {
namespace {

// Longer than any session the API grants; a larger `expires_in` is a broken answer.
constexpr long long k_max_expires_in = 366LL * 24 * 3600;

Result<nlohmann::json> post_form(const http::Client& client, std::string_view target,
                                 const std::map<std::string, std::string>& fields) {
  http::Request request;
  request.method = "POST";
  request.target = target;
  request.body = http::form_encode(fields);
  request.content_type = "application/x-www-form-urlencoded";
  auto response = client.send(request);
  if (!response) return fail(response.error());
  if (response->status < 200 || response->status > 299) {
    return fail(http::error_from_response(*response));
  }
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (body.is_discarded()) body = nlohmann::json::object();
  return body;
}

}  // namespace

Result<credentials::CredentialStore> open_store(Context& ctx,
                                                std::optional<credentials::StoreChoice> choice) {
  const auto home = ctx.getenv("HOME");
  if (!home || home->empty()) {
    return fail(ErrorCode::usage, "HOME is not set, so there is no place for credentials",
                "set HOME, or CLOUDSIGNAL_API_KEY to work without a profile");
  }
  credentials::StoreOptions options;
  if (choice) {
    options.choice = *choice;
  } else {
    auto parsed = credentials::parse_store_choice(ctx.getenv(credentials::k_store_env));
    if (!parsed) return fail(parsed.error());
    options.choice = *parsed;
  }
  options.keyring = ctx.keyring;
  options.warn = [&ctx](std::string_view line) { ctx.err << "warning: " << line << '\n'; };
  options.now = [&ctx] { return now_seconds(ctx); };
  return credentials::CredentialStore(std::filesystem::path(*home) / ".cloudsignal",
                                      std::move(options));
}

Result<std::string> profile_name(const std::string& flag, Context& ctx) {
  std::string name = flag;
  if (name.empty()) name = ctx.getenv(k_profile_env).value_or("");
  if (name.empty()) name = credentials::k_default_profile;
  if (auto valid = credentials::validate_profile_name(name); !valid) return fail(valid.error());
  return name;
}

bool needs_refresh(const credentials::Profile& profile, SysSeconds now) {
  return profile.access_token_expires_at &&
         *profile.access_token_expires_at - now <= k_refresh_margin;
}

Result<TokenGrant> parse_token_response(const nlohmann::json& body, SysSeconds now) {
  const auto broken = [](std::string why) {
    return fail(ErrorCode::invalid_request, "the token endpoint answered " + why,
                "try again; if it persists, the API URL may not be a CloudSignal API");
  };
  if (!body.is_object()) return broken("something that is not a JSON object");
  const auto access = body.find("access_token");
  if (access == body.end() || !access->is_string() || access->get<std::string>().empty()) {
    return broken("without an access_token");
  }
  const auto type = body.find("token_type");
  if (type == body.end() || !type->is_string() || type->get<std::string>() != "Bearer") {
    return broken("a token_type other than Bearer");
  }
  const auto expires = body.find("expires_in");
  if (expires == body.end() || !expires->is_number_integer() || expires->get<long long>() <= 0 ||
      expires->get<long long>() > k_max_expires_in) {
    return broken("without a usable expires_in");
  }
  TokenGrant grant;
  grant.access_token = access->get<std::string>();
  grant.expires_at = now + std::chrono::seconds(expires->get<long long>());
  const auto refresh = body.find("refresh_token");
  if (refresh != body.end() && refresh->is_string() && !refresh->get<std::string>().empty()) {
    grant.refresh_token = refresh->get<std::string>();
  }
  return grant;
}

void apply_grant(credentials::Session& session, const TokenGrant& grant) {
  session.secrets.access_token = grant.access_token;
  // Without a new refresh token the old one stays valid (RFC 6749 section 6).
  if (grant.refresh_token) session.secrets.refresh_token = grant.refresh_token;
  session.secrets.api_key.reset();
  session.profile.access_token_expires_at = grant.expires_at;
}

Error session_expired(std::string_view name) {
  std::string hint = "run `cloudsignal login";
  if (name != credentials::k_default_profile) hint.append(" --profile ").append(name);
  hint.append("`");
  return Error{ErrorCode::unauthorized, "session expired, run `cloudsignal login`", hint};
}

Result<TokenGrant> refresh_session(const http::Client& client, std::string_view name,
                                   const std::string& refresh_token, SysSeconds now) {
  auto body = post_form(client, "/oauth/token",
                        {{"grant_type", "refresh_token"},
                         {"refresh_token", refresh_token},
                         {"client_id", std::string(k_cli_client_id)}});
  if (!body) {
    const ErrorCode code = body.error().code;
    if (code == ErrorCode::unreachable || code == ErrorCode::timeout ||
        code == ErrorCode::rate_limited) {
      return fail(body.error());
    }
    return fail(session_expired(name));
  }
  auto grant = parse_token_response(*body, now);
  if (!grant) return fail(session_expired(name));
  return grant;
}

Result<TokenGrant> exchange_code(const http::Client& client, const std::string& code,
                                 const std::string& redirect_uri, const std::string& verifier,
                                 SysSeconds now) {
  auto body = post_form(client, "/oauth/token",
                        {{"grant_type", "authorization_code"},
                         {"code", code},
                         {"redirect_uri", redirect_uri},
                         {"client_id", std::string(k_cli_client_id)},
                         {"code_verifier", verifier}});
  if (!body) {
    Error error = body.error();
    if (error.code == ErrorCode::unreachable || error.code == ErrorCode::timeout) {
      return fail(std::move(error));
    }
    error.message = "the server refused the sign-in code: " + error.message;
    error.code = ErrorCode::unauthorized;
    error.hint = "run `cloudsignal login` again";
    return fail(std::move(error));
  }
  return parse_token_response(*body, now);
}

Result<void> revoke_token(const http::Client& client, const std::string& token) {
  auto body = post_form(client, "/oauth/revoke", {{"token", token}});
  if (!body) return fail(body.error());
  return {};
}

SysSeconds now_seconds(Context& ctx) {
  return std::chrono::floor<std::chrono::seconds>(ctx.now());
}

std::string string_at(const nlohmann::json& object, const char* outer, const char* inner) {
  const auto it = object.find(outer);
  if (it == object.end() || !it->is_object()) return {};
  const auto value = it->find(inner);
  return value != it->end() && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<std::string> optional_string(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace cs::cli
