#pragma once
// Access rules, kept in the order they were added. Evaluation (deny wins, no match denies) is
// the ACL module's; the store only keeps the rules and their order.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct AclRuleRecord {
  std::string id;
  std::string user_pattern;      // "%" or a name
  std::string topic;             // an MQTT filter, may use %u and %c
  std::string permission;        // "pub", "sub" or "pubsub"
  std::string effect = "allow";  // "allow" or "deny"
  SysSeconds created_at{};
  std::int64_t position = 0;  // assigned by insert; rules list in ascending position
  bool operator==(const AclRuleRecord&) const = default;
};

class AclRepository {
 public:
  explicit AclRepository(Database& db) : m_db(db) {}

  /// Appends `rule` after every existing rule and returns it with its position; conflict when
  /// its id is taken, invalid_request for an unknown permission or effect.
  Result<AclRuleRecord> insert(const AclRuleRecord& rule);
  /// The rule with `id`, or nullopt.
  Result<std::optional<AclRuleRecord>> find(const std::string& id) const;
  /// Every rule in order.
  Result<std::vector<AclRuleRecord>> list() const;
  /// Deletes rule `id`; not_found when there is none.
  Result<void> remove(const std::string& id);

 private:
  Database& m_db;
};

}  // namespace cs::store
