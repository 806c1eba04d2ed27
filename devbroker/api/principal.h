#pragma once
// Who is calling the HTTP API with admin auth, and what they may do.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "devbroker/auth/scopes.h"

namespace cs::api {

struct Principal {
  enum class Kind { api_key, session };
  Kind kind = Kind::api_key;
  std::string id;                      // the key id or the session id; also the rate-limit bucket
  bool full_access = false;            // an sk_ key or a CLI session
  std::vector<auth::Scope> scopes;     // an rk_ key's
  std::optional<std::string> user_id;  // a CLI session's user
  std::optional<std::string> user_email;  // a CLI session's user

  /// True when the principal may do what `scope` names (full access may do everything).
  bool has(auth::ScopeKind scope) const { return full_access || auth::has_scope(scopes, scope); }
};

/// forbidden unless `principal` exists and has `kind`; unauthorized when there is none.
Result<void> require_scope(const std::optional<Principal>& principal, auth::ScopeKind kind);

/// forbidden unless `principal` exists and has full access; unauthorized when there is none.
Result<void> require_full_access(const std::optional<Principal>& principal);

}  // namespace cs::api
