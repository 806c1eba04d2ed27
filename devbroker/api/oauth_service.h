#pragma once
// OAuth 2.0 for the CLI's `login`, decided without HTTP: the authorization code grant (RFC 6749)
// with PKCE S256 only (RFC 7636), loopback redirect URIs only (RFC 8252), refresh token rotation
// with reuse detection, and revocation (RFC 7009). Routes hand in parameters and `now` and get
// back redirects, tokens, principals or errors.
//
// Authorization requests waiting on the sign-in page and issued codes live in memory, bounded in
// number and in life (5 minutes); the sessions they lead to live in the store (OAuthSessions).

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/api/oauth_sessions.h"
#include "devbroker/auth/auth_service.h"

namespace cs::api {

/// The one client: the cloudsignal CLI (a public client, RFC 6749 section 2.1).
inline constexpr std::string_view k_cli_client_id = "cloudsignal-cli";
inline constexpr std::size_t k_max_state = 512;
inline constexpr std::size_t k_max_oauth_field = 512;

struct OAuthOptions {
  std::chrono::seconds request_ttl{300};  // a sign-in page's pending request
  std::chrono::seconds code_ttl{300};
  std::size_t max_pending_requests = 256;  // beyond it, the oldest request is forgotten
  std::size_t max_codes = 256;             // beyond it, the oldest code is forgotten
  SessionOptions sessions;
};

/// The query of `GET /oauth/authorize` as received; absent parameters are nullopt.
struct AuthorizeParams {
  std::optional<std::string> response_type;
  std::optional<std::string> client_id;
  std::optional<std::string> redirect_uri;
  std::optional<std::string> code_challenge;
  std::optional<std::string> code_challenge_method;
  std::optional<std::string> state;
  std::optional<std::string> scope;
};

/// An authorization request waiting on the sign-in page.
struct PendingAuthorization {
  std::string id;  // the unguessable handle the page's form sends back
  std::string client_id;
  std::string redirect_uri;
  std::string redirect_origin;  // "http://127.0.0.1:54321"
  std::string code_challenge;
  std::string scope;
  std::optional<std::string> state;
  SysSeconds expires_at{};
};

/// Why an authorization request cannot go on. With `redirect`, the client's redirect URI was
/// trusted and the error goes back there (RFC 6749 section 4.1.2.1); without, the browser is
/// shown an error page saying `message`.
struct AuthorizeRefusal {
  std::optional<std::string> redirect;
  std::string message;
};

template <class T>
using AuthorizeResult = tl::expected<T, AuthorizeRefusal>;

enum class Decision { approve, deny };

class OAuthService {
 public:
  /// Signs `account` in to the org of `auth`, keeping sessions in its store (which must have the
  /// OAuth tables) and living as long as this service.
  OAuthService(auth::AuthService& auth, LocalAccount account, OAuthOptions options = {});

  const LocalAccount& account() const { return m_sessions.account(); }

  /// Checks an authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3) and keeps it
  /// pending until answered or expired.
  AuthorizeResult<PendingAuthorization> begin(const AuthorizeParams& params, SysSeconds now);

  /// Answers the pending request `id` once: the redirect back to its client with a code and the
  /// state, or with access_denied. A refusal (an error page) when `id` is unknown, answered
  /// already or expired.
  AuthorizeResult<std::string> decide(const std::string& id, Decision decision, SysSeconds now);

  /// The token endpoint (RFC 6749 sections 4.1.3 and 6) for the form `fields`.
  OAuthResult<TokenGrant> token(const std::map<std::string, std::string>& fields, SysSeconds now);

  /// Ends the session of the access or refresh token `token` (RFC 7009); an unknown token is
  /// not an error.
  Result<void> revoke(const std::string& token) { return m_sessions.revoke(token); }

  /// The principal of the access token `token` at `now`: unauthorized unless it is live.
  Result<Principal> resolve(const std::string& token, SysSeconds now) {
    return m_sessions.resolve(token, now);
  }

  /// Requests waiting on a sign-in page, and codes held (issued or redeemed, not yet expired).
  std::size_t pending_count() const;
  std::size_t code_count() const;

 private:
  struct Code {
    std::string client_id;
    std::string redirect_uri;
    std::string code_challenge;
    std::string scope;
    SysSeconds expires_at{};
    bool redeemed = false;
    std::optional<std::string> session_id;  // the session its redemption started
  };

  OAuthResult<TokenGrant> redeem_code(const std::map<std::string, std::string>& fields,
                                      SysSeconds now);
  OAuthResult<TokenGrant> refresh(const std::map<std::string, std::string>& fields, SysSeconds now);

  OAuthOptions m_options;
  OAuthSessions m_sessions;
  mutable std::mutex m_mutex;  // the two maps; taken before the store's lock, never after
  std::map<std::string, PendingAuthorization> m_pending;  // by SHA-256 hex of the id
  std::map<std::string, Code> m_codes;                    // by SHA-256 hex of the code
};

}  // namespace cs::api
