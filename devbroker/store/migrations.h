#pragma once
// The schema as an ordered list of steps. `PRAGMA user_version` records how many steps a
// database has taken; each step runs in its own transaction together with the version bump, so
// a database is always at exactly one version. Steps are only ever appended, never edited.

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct Migration {
  std::string_view summary;  // what the step changes, for messages
  std::string_view sql;      // statements run in the step's transaction
};

/// Stored in the database header (`PRAGMA application_id`) with the first step: "CSig".
inline constexpr std::int32_t k_application_id = 0x43536967;

/// Every schema step in order; step `i` brings `user_version` from `i` to `i + 1`.
std::span<const Migration> migrations();

/// The `user_version` of `db`.
Result<int> schema_version(Database& db);

/// Applies the steps of `steps` that `db` has not taken yet and returns the resulting version.
/// Refuses (io) a database newer than `steps` knows and a database of another application
/// (tables without our schema version, or a foreign application id). A failing step is rolled
/// back and leaves `db` at the version before it.
Result<int> migrate(Database& db, std::span<const Migration> steps = migrations());

}  // namespace cs::store
