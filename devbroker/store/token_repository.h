#pragma once
// Issued MQTT tokens (`tkn_…` passwords). Only the SHA-256 hex of a token's secret is stored;
// the secret carries enough entropy that a fast hash is safe, and lookups go by that hash.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct TokenRecord {
  std::string id;
  std::string password_hash;  // SHA-256 hex of the tkn_ secret
  std::string user_email;
  std::string mqtt_name;  // the name part of the MQTT username
  std::string provider;   // "native", or the identity provider's type
  std::optional<std::string> integration_id;
  SysSeconds created_at{};
  SysSeconds expires_at{};
  std::optional<SysSeconds> revoked_at;
  bool operator==(const TokenRecord&) const = default;
};

class TokenRepository {
 public:
  explicit TokenRepository(Database& db) : m_db(db) {}

  /// Stores `token`; a conflict error when its id or hash is taken.
  Result<void> insert(const TokenRecord& token);
  /// The token with `id`, revoked and expired ones included, or nullopt.
  Result<std::optional<TokenRecord>> find(const std::string& id) const;
  /// The token whose secret hashes to `password_hash`, revoked and expired ones included (the
  /// caller tells them apart), or nullopt.
  Result<std::optional<TokenRecord>> find_by_hash(const std::string& password_hash) const;
  /// Marks token `id` revoked at `now`; not_found when there is no unrevoked token `id`.
  Result<void> revoke(const std::string& id, SysSeconds now);
  /// Revokes every unrevoked token of `user_email` at `now` and returns their ids.
  Result<std::vector<std::string>> revoke_for_user(const std::string& user_email, SysSeconds now);
  /// Gives token `id` a new secret hash and expiry (refresh); the old secret stops matching at
  /// once. not_found when there is no unrevoked token `id`.
  Result<void> extend(const std::string& id, const std::string& new_hash, SysSeconds new_expiry);
  /// Tokens neither revoked nor expired at `now`, oldest first.
  Result<std::vector<TokenRecord>> list_active(SysSeconds now) const;
  /// Deletes tokens whose expiry is at or before `now` (revoked or not); returns how many.
  Result<std::int64_t> delete_expired(SysSeconds now);

 private:
  Database& m_db;
};

}  // namespace cs::store
