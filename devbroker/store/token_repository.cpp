#include "devbroker/store/token_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

#define CS_TOKEN_COLUMNS                                                                         \
  "id, password_hash, user_email, mqtt_name, provider, integration_id, created_at, expires_at, " \
  "revoked_at"

TokenRecord read_token(const Statement& row) {
  return TokenRecord{row.column_text(0), row.column_text(1), row.column_text(2),
                     row.column_text(3), row.column_text(4), row.column_optional_text(5),
                     row.column_time(6), row.column_time(7), row.column_optional_time(8)};
}

Error no_active_token(const std::string& id) {
  return Error(ErrorCode::not_found, concat({"no active token with id ", id}));
}

}  // namespace

Result<void> TokenRepository::insert(const TokenRecord& token) {
  auto done =
      m_db.execute("INSERT INTO tokens (" CS_TOKEN_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   token.id, token.password_hash, token.user_email, token.mqtt_name, token.provider,
                   token.integration_id, token.created_at, token.expires_at, token.revoked_at);
  if (!done && is_unique_violation(done.error(), "tokens.id")) {
    return fail(ErrorCode::conflict, concat({"a token with id ", token.id, " already exists"}));
  }
  if (!done && is_unique_violation(done.error(), "tokens.password_hash")) {
    return fail(ErrorCode::conflict, "a token with the same secret already exists");
  }
  if (!done) return fail(done.error());
  return {};
}

Result<std::optional<TokenRecord>> TokenRepository::find(const std::string& id) const {
  return first_row(m_db.query("SELECT " CS_TOKEN_COLUMNS " FROM tokens WHERE id = ?", id),
                   read_token);
}

Result<std::optional<TokenRecord>> TokenRepository::find_by_hash(
    const std::string& password_hash) const {
  return first_row(
      m_db.query("SELECT " CS_TOKEN_COLUMNS " FROM tokens WHERE password_hash = ?", password_hash),
      read_token);
}

Result<void> TokenRepository::revoke(const std::string& id, SysSeconds now) {
  return expect_changed(
      m_db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id),
      no_active_token(id));
}

Result<std::vector<std::string>> TokenRepository::revoke_for_user(const std::string& user_email,
                                                                  SysSeconds now) {
  return all_rows(m_db.query("UPDATE tokens SET revoked_at = ? WHERE user_email = ? AND "
                             "revoked_at IS NULL RETURNING id",
                             now, user_email),
                  [](const Statement& row) { return row.column_text(0); });
}

Result<void> TokenRepository::extend(const std::string& id, const std::string& new_hash,
                                     SysSeconds new_expiry) {
  auto changed = m_db.execute(
      "UPDATE tokens SET password_hash = ?, expires_at = ? WHERE id = ? AND revoked_at IS NULL",
      new_hash, new_expiry, id);
  if (!changed && is_unique_violation(changed.error(), "tokens.password_hash")) {
    return fail(ErrorCode::conflict, "a token with the same secret already exists");
  }
  return expect_changed(changed, no_active_token(id));
}

Result<std::vector<TokenRecord>> TokenRepository::list_active(SysSeconds now) const {
  return all_rows(m_db.query("SELECT " CS_TOKEN_COLUMNS
                             " FROM tokens WHERE revoked_at IS NULL AND expires_at > ? "
                             "ORDER BY created_at, id",
                             now),
                  read_token);
}

Result<std::int64_t> TokenRepository::delete_expired(SysSeconds now) {
  return m_db.execute("DELETE FROM tokens WHERE expires_at <= ?", now);
}

}  // namespace cs::store

#undef CS_TOKEN_COLUMNS
