#include "devbroker/api/oauth_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/crypto/constant_time.h"
#include "common/crypto/pkce.h"
#include "common/crypto/random.h"
#include "common/log.h"
#include "devbroker/api/oauth_redirect.h"
#include "devbroker/auth/secrets.h"

namespace cs::api {
namespace {

constexpr std::size_t k_secret_entropy_bytes = 32;  // 256 bits: 43 base64url characters
constexpr std::size_t k_s256_challenge_length = 43;

using Params = std::vector<std::pair<std::string, std::string>>;
using Fields = std::map<std::string, std::string>;

tl::unexpected<OAuthError> oauth_fail(OAuthErrorCode code, std::string description) {
  return tl::unexpected<OAuthError>(OAuthError{code, std::move(description)});
}

tl::unexpected<AuthorizeRefusal> refuse_page(std::string message) {
  return tl::unexpected<AuthorizeRefusal>(AuthorizeRefusal{std::nullopt, std::move(message)});
}

// A form field: RFC 6749 section 3.1 treats an empty value as absent.
OAuthResult<std::string> required(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end() || it->second.empty()) {
    return oauth_fail(OAuthErrorCode::invalid_request, name + " is missing");
  }
  if (it->second.size() > k_max_oauth_field) {
    return oauth_fail(OAuthErrorCode::invalid_request, name + " is too long");
  }
  return it->second;
}

std::optional<std::string> optional_field(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

struct CodeRequest {
  std::string code;
  std::string redirect_uri;
  std::string client_id;
  std::string verifier;
};

// The fields of an authorization_code grant, checked for what needs no lookup.
OAuthResult<CodeRequest> read_code_request(const Fields& fields) {
  CodeRequest request;
  for (auto [name, value] :
       {std::pair{"code", &request.code}, std::pair{"redirect_uri", &request.redirect_uri},
        std::pair{"client_id", &request.client_id},
        std::pair{"code_verifier", &request.verifier}}) {
    auto field = required(fields, name);
    if (!field) return tl::unexpected(field.error());
    *value = std::move(*field);
  }
  if (request.client_id != k_cli_client_id) {
    return oauth_fail(OAuthErrorCode::invalid_client, "unknown client_id");
  }
  if (!crypto::is_valid_pkce_verifier(request.verifier)) {
    return oauth_fail(OAuthErrorCode::invalid_request,
                      "code_verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~");
  }
  return request;
}

bool is_s256_challenge(const std::optional<std::string>& challenge) {
  if (!challenge || challenge->size() != k_s256_challenge_length) return false;
  return std::all_of(challenge->begin(), challenge->end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// Drops expired entries; if `map` is still full, the ones closest to expiry go, so that memory
// stays bounded however many requests arrive.
template <class Map>
void make_room(Map& map, std::size_t max, SysSeconds now) {
  std::erase_if(map, [now](const auto& entry) { return now >= entry.second.expires_at; });
  while (!map.empty() && map.size() >= max) {
    map.erase(std::min_element(map.begin(), map.end(), [](const auto& a, const auto& b) {
      return a.second.expires_at < b.second.expires_at;
    }));
  }
}

}  // namespace

OAuthService::OAuthService(auth::AuthService& auth, LocalAccount account, OAuthOptions options)
    : m_options(options), m_sessions(auth, std::move(account), options.sessions) {}

AuthorizeResult<PendingAuthorization> OAuthService::begin(const AuthorizeParams& params,
                                                          SysSeconds now) {
  // Until client and redirect URI are known good, nothing is sent to the redirect URI.
  if (!params.client_id) return refuse_page("The request names no client (client_id).");
  if (*params.client_id != k_cli_client_id)
    return refuse_page("The request names an unknown client.");
  if (!params.redirect_uri) return refuse_page("The request has no redirect_uri.");
  auto redirect = parse_loopback_redirect(*params.redirect_uri);
  if (!redirect) return refuse_page("The " + redirect.error().message + ".");

  const bool state_ok =
      params.state && !params.state->empty() && params.state->size() <= k_max_state;
  auto refuse = [&](OAuthErrorCode code, std::string why) {
    Params query{{"error", std::string(oauth_error_name(code))}, {"error_description", why}};
    if (state_ok) query.emplace_back("state", *params.state);
    return tl::unexpected<AuthorizeRefusal>(
        AuthorizeRefusal{with_query(redirect->uri, query), std::move(why)});
  };
  if (!params.response_type)
    return refuse(OAuthErrorCode::invalid_request, "response_type is missing");
  if (*params.response_type != "code") {
    return refuse(OAuthErrorCode::unsupported_response_type, "response_type must be code");
  }
  if (!state_ok)
    return refuse(OAuthErrorCode::invalid_request, "state must be 1 to 512 characters");
  if (params.code_challenge_method != "S256") {
    return refuse(OAuthErrorCode::invalid_request,
                  "code_challenge_method must be S256 (plain is not accepted)");
  }
  if (!is_s256_challenge(params.code_challenge)) {
    return refuse(OAuthErrorCode::invalid_request,
                  "code_challenge must be an S256 challenge: 43 base64url characters");
  }
  if (params.scope && *params.scope != k_admin_scope) {
    return refuse(OAuthErrorCode::invalid_scope, "the only scope is admin");
  }

  PendingAuthorization pending{crypto::random_secret("", k_secret_entropy_bytes),
                               *params.client_id,
                               redirect->uri,
                               redirect->origin,
                               *params.code_challenge,
                               std::string(k_admin_scope),
                               params.state,
                               now + m_options.request_ttl};
  std::lock_guard lock(m_mutex);
  make_room(m_pending, m_options.max_pending_requests, now);
  m_pending.emplace(auth::token_hash(pending.id), pending);
  return pending;
}

AuthorizeResult<std::string> OAuthService::decide(const std::string& id, Decision decision,
                                                  SysSeconds now) {
  std::lock_guard lock(m_mutex);
  const auto it = m_pending.find(auth::token_hash(id));
  if (it == m_pending.end() || now >= it->second.expires_at) {
    if (it != m_pending.end()) m_pending.erase(it);
    return refuse_page(
        "This sign-in request is unknown, was answered already or has expired. Run "
        "`cloudsignal login` again.");
  }
  const PendingAuthorization request = std::move(it->second);
  m_pending.erase(it);
  Params query;
  if (decision == Decision::deny) {
    query = {{"error", "access_denied"}, {"error_description", "the sign-in was denied"}};
  } else {
    std::string code = crypto::random_secret("", k_secret_entropy_bytes);
    make_room(m_codes, m_options.max_codes, now);
    m_codes.emplace(auth::token_hash(code),
                    Code{request.client_id, request.redirect_uri, request.code_challenge,
                         request.scope, now + m_options.code_ttl, false, std::nullopt});
    query = {{"code", std::move(code)}};
  }
  if (request.state) query.emplace_back("state", *request.state);
  return with_query(request.redirect_uri, query);
}

OAuthResult<TokenGrant> OAuthService::token(const Fields& fields, SysSeconds now) {
  auto grant_type = required(fields, "grant_type");
  if (!grant_type) return tl::unexpected(grant_type.error());
  if (*grant_type == "authorization_code") return redeem_code(fields, now);
  if (*grant_type == "refresh_token") return refresh(fields, now);
  return oauth_fail(OAuthErrorCode::unsupported_grant_type,
                    "grant_type must be authorization_code or refresh_token");
}

OAuthResult<TokenGrant> OAuthService::redeem_code(const Fields& fields, SysSeconds now) {
  auto request = read_code_request(fields);
  if (!request) return tl::unexpected(request.error());
  const auto& [code, redirect_uri, client_id, verifier] = *request;
  std::lock_guard lock(m_mutex);
  const auto it = m_codes.find(auth::token_hash(code));
  const auto unknown = [] {
    return oauth_fail(OAuthErrorCode::invalid_grant,
                      "the authorization code is unknown, used already or expired");
  };
  if (it == m_codes.end()) return unknown();
  Code& entry = it->second;
  if (entry.redeemed) {
    // RFC 6749 section 4.1.2: a code presented twice may be in an attacker's hands.
    if (entry.session_id) m_sessions.end(*entry.session_id, "its authorization code came back");
    entry.session_id.reset();
    return unknown();
  }
  entry.redeemed = true;
  if (now >= entry.expires_at) return unknown();
  if (client_id != entry.client_id) {
    return oauth_fail(OAuthErrorCode::invalid_grant, "the code was issued to another client");
  }
  if (redirect_uri != entry.redirect_uri) {
    return oauth_fail(OAuthErrorCode::invalid_grant,
                      "redirect_uri differs from the one of the authorization request");
  }
  if (!crypto::constant_time_equal(crypto::pkce_challenge_s256(verifier), entry.code_challenge)) {
    return oauth_fail(OAuthErrorCode::invalid_grant,
                      "code_verifier does not match the code_challenge");
  }
  auto grant = m_sessions.start(entry.client_id, entry.scope, now);
  if (!grant) {
    log::error("CLI login: could not start a session: " + grant.error().message);
    return oauth_fail(OAuthErrorCode::server_error, "the server could not complete the request");
  }
  entry.session_id = grant->session_id;
  return std::move(*grant);
}

OAuthResult<TokenGrant> OAuthService::refresh(const Fields& fields, SysSeconds now) {
  auto token = required(fields, "refresh_token");
  if (!token) return tl::unexpected(token.error());
  if (auto client = optional_field(fields, "client_id"); client && *client != k_cli_client_id) {
    return oauth_fail(OAuthErrorCode::invalid_client, "unknown client_id");
  }
  if (auto scope = optional_field(fields, "scope"); scope && *scope != k_admin_scope) {
    return oauth_fail(OAuthErrorCode::invalid_scope, "the only scope is admin");
  }
  return m_sessions.refresh(*token, now);
}

std::size_t OAuthService::pending_count() const {
  std::lock_guard lock(m_mutex);
  return m_pending.size();
}

std::size_t OAuthService::code_count() const {
  std::lock_guard lock(m_mutex);
  return m_codes.size();
}

}  // namespace cs::api
