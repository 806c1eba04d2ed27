#pragma once
// Which MQTT name each identity-provider identity owns (IDENTITY.md rule 7): the first identity
// to claim a name keeps it; the caller derives a suffixed name for a later one.

#include <optional>
#include <string>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct BindingRecord {
  std::string provider_id;
  std::string subject;  // the token's `sub`
  std::string name;     // the MQTT name this identity owns
  SysSeconds created_at{};
  bool operator==(const BindingRecord&) const = default;
};

class BindingRepository {
 public:
  explicit BindingRepository(Database& db) : m_db(db) {}

  /// The binding of identity (`provider_id`, `subject`), or nullopt.
  Result<std::optional<BindingRecord>> find(const std::string& provider_id,
                                            const std::string& subject) const;
  /// The binding that owns `name`, or nullopt.
  Result<std::optional<BindingRecord>> find_by_name(const std::string& name) const;
  /// Stores `binding`; a conflict error when the name is owned by another identity or by a
  /// native MQTT user, or the identity already has a name.
  Result<void> insert(const BindingRecord& binding);
  /// Deletes the binding of (`provider_id`, `subject`); not_found when there is none.
  Result<void> remove(const std::string& provider_id, const std::string& subject);

 private:
  Database& m_db;
};

}  // namespace cs::store
