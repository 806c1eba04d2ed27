#include "devbroker/store/oauth_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

#define CS_SESSION_COLUMNS "id, client_id, user_id, user_email, scope, created_at, expires_at"

const char* kind_name(OAuthTokenKind kind) {
  return kind == OAuthTokenKind::access ? "access" : "refresh";
}

OAuthSessionRecord read_session(const Statement& row, int first) {
  return OAuthSessionRecord{row.column_text(first),     row.column_text(first + 1),
                            row.column_text(first + 2), row.column_text(first + 3),
                            row.column_text(first + 4), row.column_time(first + 5),
                            row.column_time(first + 6)};
}

OAuthTokenMatch read_match(const Statement& row) {
  OAuthTokenRecord token{
      row.column_text(0), row.column_text(1),
      row.column_text(2) == "access" ? OAuthTokenKind::access : OAuthTokenKind::refresh,
      row.column_time(3), row.column_optional_time(4)};
  return OAuthTokenMatch{std::move(token), read_session(row, 5)};
}

}  // namespace

Result<void> OAuthRepository::insert_session(const OAuthSessionRecord& session) {
  auto done = m_db.execute("INSERT INTO oauth_sessions (" CS_SESSION_COLUMNS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                           session.id, session.client_id, session.user_id, session.user_email,
                           session.scope, session.created_at, session.expires_at);
  if (!done && is_unique_violation(done.error(), "oauth_sessions.id")) {
    return fail(ErrorCode::conflict, concat({"a session with id ", session.id, " already exists"}));
  }
  if (!done) return fail(done.error());
  return {};
}

Result<void> OAuthRepository::insert_token(const OAuthTokenRecord& token) {
  auto done = m_db.execute(
      "INSERT INTO oauth_tokens (hash, session_id, kind, expires_at, rotated_at) "
      "VALUES (?, ?, ?, ?, ?)",
      token.hash, token.session_id, kind_name(token.kind), token.expires_at, token.rotated_at);
  if (!done && is_unique_violation(done.error(), "oauth_tokens.hash")) {
    return fail(ErrorCode::conflict, "a token with the same secret already exists");
  }
  if (!done && done.error().code == ErrorCode::not_found) {
    return fail(ErrorCode::not_found, concat({"no session with id ", token.session_id}));
  }
  if (!done) return fail(done.error());
  return {};
}

Result<std::optional<OAuthTokenMatch>> OAuthRepository::find_token(const std::string& hash) const {
  return first_row(m_db.query("SELECT t.hash, t.session_id, t.kind, t.expires_at, t.rotated_at, "
                              "s.id, s.client_id, s.user_id, s.user_email, s.scope, s.created_at, "
                              "s.expires_at FROM oauth_tokens t JOIN oauth_sessions s "
                              "ON s.id = t.session_id WHERE t.hash = ?",
                              hash),
                   read_match);
}

Result<void> OAuthRepository::mark_rotated(const std::string& hash, SysSeconds now) {
  return expect_changed(m_db.execute("UPDATE oauth_tokens SET rotated_at = ? WHERE hash = ? AND "
                                     "kind = 'refresh' AND rotated_at IS NULL",
                                     now, hash),
                        Error(ErrorCode::not_found, "no refresh token left to exchange"));
}

Result<std::int64_t> OAuthRepository::delete_access_tokens(const std::string& session_id) {
  return m_db.execute("DELETE FROM oauth_tokens WHERE session_id = ? AND kind = 'access'",
                      session_id);
}

Result<void> OAuthRepository::set_session_expiry(const std::string& id, SysSeconds expires_at) {
  return expect_changed(
      m_db.execute("UPDATE oauth_sessions SET expires_at = ? WHERE id = ?", expires_at, id),
      Error(ErrorCode::not_found, concat({"no session with id ", id})));
}

Result<bool> OAuthRepository::delete_session(const std::string& id) {
  auto deleted = m_db.execute("DELETE FROM oauth_sessions WHERE id = ?", id);
  if (!deleted) return fail(deleted.error());
  return *deleted > 0;
}

Result<std::int64_t> OAuthRepository::trim_sessions(std::size_t keep) {
  return m_db.execute(
      "DELETE FROM oauth_sessions WHERE id IN (SELECT id FROM oauth_sessions "
      "ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)",
      keep);
}

Result<std::int64_t> OAuthRepository::trim_rotated(const std::string& session_id,
                                                   std::size_t keep) {
  return m_db.execute(
      "DELETE FROM oauth_tokens WHERE hash IN (SELECT hash FROM oauth_tokens WHERE session_id = ? "
      "AND kind = 'refresh' AND rotated_at IS NOT NULL ORDER BY rotated_at DESC, hash DESC "
      "LIMIT -1 OFFSET ?)",
      session_id, keep);
}

Result<std::int64_t> OAuthRepository::delete_expired(SysSeconds now) {
  auto tokens = m_db.execute("DELETE FROM oauth_tokens WHERE expires_at <= ?", now);
  if (!tokens) return fail(tokens.error());
  auto sessions = m_db.execute("DELETE FROM oauth_sessions WHERE expires_at <= ?", now);
  if (!sessions) return fail(sessions.error());
  return *tokens + *sessions;
}

Result<std::vector<OAuthSessionRecord>> OAuthRepository::list_sessions() const {
  return all_rows(
      m_db.query("SELECT " CS_SESSION_COLUMNS " FROM oauth_sessions ORDER BY created_at, id"),
      [](const Statement& row) { return read_session(row, 0); });
}

}  // namespace cs::store

#undef CS_SESSION_COLUMNS
