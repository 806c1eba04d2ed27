#pragma once
// Admin API keys (`sk_…` full access, `rk_…` restricted to scopes). A key is stored as its
// public prefix, which narrows a lookup to a few rows, and a bcrypt hash of the whole key.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct ApiKeyRecord {
  std::string id;
  std::string name;
  std::string type;    // "secret" or "restricted"
  std::string prefix;  // the key's first characters, shown in listings
  std::string hash;    // bcrypt of the whole key
  std::vector<std::string> scopes;
  std::vector<std::string> ip_allowlist;  // CIDR blocks; empty = any address
  SysSeconds created_at{};
  std::optional<SysSeconds> last_used_at;
  std::int64_t use_count = 0;
  std::optional<SysSeconds> revoked_at;
  bool operator==(const ApiKeyRecord&) const = default;
};

class ApiKeyRepository {
 public:
  explicit ApiKeyRepository(Database& db) : m_db(db) {}

  /// Stores `key`; a conflict error when its id is taken, invalid_request for an unknown type.
  Result<void> insert(const ApiKeyRecord& key);
  /// The key with `id`, revoked ones included, or nullopt.
  Result<std::optional<ApiKeyRecord>> find(const std::string& id) const;
  /// The unrevoked keys whose prefix is `prefix` (the candidates to check a presented key
  /// against), oldest first.
  Result<std::vector<ApiKeyRecord>> find_by_prefix(const std::string& prefix) const;
  /// Every unrevoked key, oldest first.
  Result<std::vector<ApiKeyRecord>> list() const;
  /// Counts `count` uses of key `id`, the last at `now`; not_found when there is no key `id`.
  Result<void> record_use(const std::string& id, SysSeconds now, std::int64_t count = 1);
  /// Replaces the prefix and hash of key `id` (rotation); not_found when there is no unrevoked
  /// key `id`.
  Result<void> rotate(const std::string& id, const std::string& new_prefix,
                      const std::string& new_hash);
  /// Marks key `id` revoked at `now`; not_found when there is no unrevoked key `id`.
  Result<void> revoke(const std::string& id, SysSeconds now);

 private:
  Database& m_db;
};

}  // namespace cs::store
