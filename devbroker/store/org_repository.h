#pragma once
// The organization the dev broker serves: exactly one row, created by Store::bootstrap.

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct OrgRecord {
  std::string id;        // UUID
  std::string short_id;  // "org_" + 12 characters [a-z0-9]
  std::string name;
  SysSeconds created_at{};
  std::int64_t token_ttl_seconds = 3600;  // default lifetime of issued tokens
  bool operator==(const OrgRecord&) const = default;
};

class OrgRepository {
 public:
  explicit OrgRepository(Database& db) : m_db(db) {}

  /// Stores `org`; a conflict error when an organization already exists.
  Result<void> insert(const OrgRecord& org);
  /// The organization, or nullopt before bootstrap.
  Result<std::optional<OrgRecord>> find() const;
  /// Replaces the name and token lifetime of the organization with id `org.id`; not_found when
  /// there is none.
  Result<void> update(const OrgRecord& org);

 private:
  Database& m_db;
};

}  // namespace cs::store
