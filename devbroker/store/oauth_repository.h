#pragma once
// CLI login sessions (OAuth 2.0 token families) and their access and refresh tokens. Only the
// SHA-256 hex of a token's secret is stored; lookups go by that hash.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct OAuthSessionRecord {
  std::string id;
  std::string client_id;
  std::string user_id;
  std::string user_email;
  std::string scope;
  SysSeconds created_at{};
  SysSeconds expires_at{};  // when its newest refresh token expires
  bool operator==(const OAuthSessionRecord&) const = default;
};

enum class OAuthTokenKind { access, refresh };

struct OAuthTokenRecord {
  std::string hash;  // SHA-256 hex of the secret
  std::string session_id;
  OAuthTokenKind kind = OAuthTokenKind::access;
  SysSeconds expires_at{};
  std::optional<SysSeconds> rotated_at;  // refresh tokens: when it was exchanged
  bool operator==(const OAuthTokenRecord&) const = default;
};

/// A token found by its hash, with the session it belongs to.
struct OAuthTokenMatch {
  OAuthTokenRecord token;
  OAuthSessionRecord session;
};

class OAuthRepository {
 public:
  explicit OAuthRepository(Database& db) : m_db(db) {}

  /// Stores `session`; a conflict error when its id is taken.
  Result<void> insert_session(const OAuthSessionRecord& session);
  /// Stores `token`; a conflict error when its hash is taken, not_found without its session.
  Result<void> insert_token(const OAuthTokenRecord& token);
  /// The token whose secret hashes to `hash`, expired or rotated ones included, or nullopt.
  Result<std::optional<OAuthTokenMatch>> find_token(const std::string& hash) const;
  /// Marks the refresh token `hash` exchanged at `now`; not_found unless it is a refresh token
  /// not exchanged before (so of two concurrent refreshes only one succeeds).
  Result<void> mark_rotated(const std::string& hash, SysSeconds now);
  /// Deletes the access tokens of session `session_id`; returns how many.
  Result<std::int64_t> delete_access_tokens(const std::string& session_id);
  /// Moves session `id`'s expiry to `expires_at`; not_found when there is no session `id`.
  Result<void> set_session_expiry(const std::string& id, SysSeconds expires_at);
  /// Deletes session `id` with its tokens; true when it existed.
  Result<bool> delete_session(const std::string& id);
  /// Deletes every session but the `keep` newest (by creation); returns how many it deleted.
  Result<std::int64_t> trim_sessions(std::size_t keep);
  /// Deletes every exchanged refresh token of session `session_id` but the `keep` most recently
  /// exchanged; returns how many it deleted.
  Result<std::int64_t> trim_rotated(const std::string& session_id, std::size_t keep);
  /// Deletes sessions and tokens whose expiry is at or before `now`; returns how many rows.
  Result<std::int64_t> delete_expired(SysSeconds now);
  /// Every session, oldest first.
  Result<std::vector<OAuthSessionRecord>> list_sessions() const;

 private:
  Database& m_db;
};

}  // namespace cs::store
