#pragma once
// CLI login sessions: OAuth 2.0 token families kept in the store. A session starts when an
// authorization code is redeemed and holds one live access token and one live refresh token;
// each refresh exchanges both (rotation), and an exchanged refresh token coming back ends the
// session (reuse detection). Only SHA-256 hashes of the tokens are stored, so sessions outlive a
// restart of `cloudsignal dev` without the database holding a usable secret.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/api/principal.h"
#include "devbroker/auth/auth_service.h"

namespace cs::api {

/// The one scope: full access to the organization.
inline constexpr std::string_view k_admin_scope = "admin";
/// Secrets: the prefix, then 43 base64url characters (256 random bits).
inline constexpr std::string_view k_access_token_prefix = "csat_";
inline constexpr std::string_view k_refresh_token_prefix = "csrt_";
/// The local account of the dev org.
inline constexpr std::string_view k_local_account_email = "developer@localhost";

struct LocalAccount {
  std::string id;
  std::string email;
};

/// The local account of `org`: id "usr_" and the 12 characters of its short id, so it is stable
/// across restarts and differs between data directories; email k_local_account_email.
LocalAccount local_account(const store::OrgRecord& org);

enum class OAuthErrorCode {
  invalid_request,
  invalid_client,
  invalid_grant,
  invalid_scope,
  unsupported_grant_type,
  unsupported_response_type,
  access_denied,
  server_error,
};

/// The RFC 6749 name of `code` ("invalid_grant", ...).
std::string_view oauth_error_name(OAuthErrorCode code);

struct OAuthError {
  OAuthErrorCode code = OAuthErrorCode::server_error;
  std::string description;  // for a person; never holds a secret
};

template <class T>
using OAuthResult = tl::expected<T, OAuthError>;

/// What `POST /oauth/token` answers.
struct TokenGrant {
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{};
  std::string scope;
  std::string session_id;
};

struct SessionOptions {
  std::chrono::seconds access_ttl{3600};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};  // from each refresh
  std::size_t max_sessions = 1000;                   // beyond it, the oldest session is revoked
  std::size_t kept_rotated_tokens = 32;              // per session, for reuse detection
};

class OAuthSessions {
 public:
  /// Sessions of `account` in the store of `auth`, which must outlive this object.
  OAuthSessions(auth::AuthService& auth, LocalAccount account, SessionOptions options = {});

  const LocalAccount& account() const { return m_account; }

  /// Starts a session for `client_id` with `scope` at `now` and returns its first tokens;
  /// sessions and tokens that expired by `now` are deleted on the way.
  Result<TokenGrant> start(const std::string& client_id, const std::string& scope, SysSeconds now);

  /// Exchanges the refresh token `refresh_token` for a new pair at `now`: invalid_grant when it
  /// is unknown, expired or was exchanged before (which also ends its session).
  OAuthResult<TokenGrant> refresh(const std::string& refresh_token, SysSeconds now);

  /// Ends session `id` if it exists, logging `why`.
  void end(const std::string& id, std::string_view why);

  /// Ends the session of the access or refresh token `token`; unknown tokens are no error.
  Result<void> revoke(const std::string& token);

  /// The principal of the access token `token` at `now`: unauthorized unless it is live.
  Result<Principal> resolve(const std::string& token, SysSeconds now);

 private:
  auth::AuthService& m_auth;
  LocalAccount m_account;
  SessionOptions m_options;
};

}  // namespace cs::api
