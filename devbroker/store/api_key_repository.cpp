#include "devbroker/store/api_key_repository.h"

#include <nlohmann/json.hpp>

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

#define CS_API_KEY_COLUMNS                                                                    \
  "id, name, type, prefix, hash, scopes, ip_allowlist, created_at, last_used_at, use_count, " \
  "revoked_at"

std::string to_json_text(const std::vector<std::string>& list) {
  return nlohmann::json(list).dump();
}

Result<std::vector<std::string>> from_json_text(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> list;
  bool ok = json.is_array();
  if (ok) {
    for (const auto& item : json) {
      ok = ok && item.is_string();
      if (ok) list.push_back(item.get<std::string>());
    }
  }
  // Never read a damaged list as empty: an empty allow-list would admit every address.
  if (!ok) return fail(ErrorCode::io, "a stored API key has a damaged scope or address list");
  return list;
}

Result<ApiKeyRecord> read_key(const Statement& row) {
  auto scopes = from_json_text(row.column_text(5));
  if (!scopes) return fail(scopes.error());
  auto ip_allowlist = from_json_text(row.column_text(6));
  if (!ip_allowlist) return fail(ip_allowlist.error());
  ApiKeyRecord key;
  key.id = row.column_text(0);
  key.name = row.column_text(1);
  key.type = row.column_text(2);
  key.prefix = row.column_text(3);
  key.hash = row.column_text(4);
  key.scopes = std::move(*scopes);
  key.ip_allowlist = std::move(*ip_allowlist);
  key.created_at = row.column_time(7);
  key.last_used_at = row.column_optional_time(8);
  key.use_count = row.column_int(9);
  key.revoked_at = row.column_optional_time(10);
  return key;
}

Error no_key(const std::string& id) {
  return Error(ErrorCode::not_found, concat({"no API key with id ", id}));
}

}  // namespace

Result<void> ApiKeyRepository::insert(const ApiKeyRecord& key) {
  auto done = m_db.execute("INSERT INTO api_keys (" CS_API_KEY_COLUMNS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           key.id, key.name, key.type, key.prefix, key.hash,
                           to_json_text(key.scopes), to_json_text(key.ip_allowlist), key.created_at,
                           key.last_used_at, key.use_count, key.revoked_at);
  if (!done && is_unique_violation(done.error(), "api_keys.id")) {
    return fail(ErrorCode::conflict, concat({"an API key with id ", key.id, " already exists"}));
  }
  if (!done) return fail(done.error());
  return {};
}

Result<std::optional<ApiKeyRecord>> ApiKeyRepository::find(const std::string& id) const {
  return first_row(m_db.query("SELECT " CS_API_KEY_COLUMNS " FROM api_keys WHERE id = ?", id),
                   read_key);
}

Result<std::vector<ApiKeyRecord>> ApiKeyRepository::find_by_prefix(
    const std::string& prefix) const {
  return all_rows(m_db.query("SELECT " CS_API_KEY_COLUMNS
                             " FROM api_keys WHERE prefix = ? AND revoked_at IS NULL "
                             "ORDER BY created_at, id",
                             prefix),
                  read_key);
}

Result<std::vector<ApiKeyRecord>> ApiKeyRepository::list() const {
  return all_rows(m_db.prepare("SELECT " CS_API_KEY_COLUMNS
                               " FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, id"),
                  read_key);
}

Result<void> ApiKeyRepository::record_use(const std::string& id, SysSeconds now,
                                          std::int64_t count) {
  return expect_changed(
      m_db.execute("UPDATE api_keys SET last_used_at = ?, use_count = use_count + ? WHERE id = ?",
                   now, count, id),
      no_key(id));
}

Result<void> ApiKeyRepository::rotate(const std::string& id, const std::string& new_prefix,
                                      const std::string& new_hash) {
  return expect_changed(m_db.execute("UPDATE api_keys SET prefix = ?, hash = ? "
                                     "WHERE id = ? AND revoked_at IS NULL",
                                     new_prefix, new_hash, id),
                        no_key(id));
}

Result<void> ApiKeyRepository::revoke(const std::string& id, SysSeconds now) {
  return expect_changed(
      m_db.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now,
                   id),
      no_key(id));
}

}  // namespace cs::store

#undef CS_API_KEY_COLUMNS
