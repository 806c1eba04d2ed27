#pragma once
// The dev broker's persistent state in one place: opens the database in the data directory (or
// in memory for --ephemeral), brings its schema up to date, and offers the repositories.
//
// Use: `auto store = open_store(dir, Ephemeral::no)`, then `store->bootstrap(now)` once at
// start (creates the organization on first run), `store->repos()` for the API's reads and
// writes, and `store->open_writer()` for the broker's group-committed hot-path writes.

#include <filesystem>
#include <memory>
#include <string_view>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/checkpointer.h"
#include "devbroker/store/database.h"
#include "devbroker/store/repositories.h"
#include "devbroker/store/store_writer.h"

namespace cs::store {

/// The database file inside the data directory.
inline constexpr std::string_view k_database_file = "state.db";
/// The organization bootstrap creates.
inline constexpr std::string_view k_dev_org_name = "cloudsignal dev";
inline constexpr std::int64_t k_default_token_ttl_seconds = 3600;

enum class Ephemeral { no, yes };

struct BootstrapResult {
  bool created = false;  // true on the first run: the caller creates and announces the admin key
  OrgRecord org;
};

class Store {
 public:
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  /// The connection the repositories use; for transactions spanning several repositories.
  Database& database() { return *m_db; }
  /// The repositories over database().
  Repositories& repos() { return *m_repos; }

  /// On an empty database creates the organization (a v4 UUID, short id "org_" + 12 characters
  /// [a-z0-9], k_dev_org_name) and the starter access rule (`%`, `users/%u/#`, pubsub, allow),
  /// both at `now`, in one transaction. Returns the organization and whether it was created.
  Result<BootstrapResult> bootstrap(SysSeconds now);

  /// Starts a StoreWriter over a new connection to the same database.
  Result<std::unique_ptr<StoreWriter>> open_writer(StoreWriterOptions options = {});

 private:
  friend Result<Store> open_store(const std::filesystem::path&, Ephemeral);
  explicit Store(Database db);
  std::unique_ptr<Database> m_db;
  std::unique_ptr<Repositories> m_repos;
  std::unique_ptr<Checkpointer> m_checkpointer;  // for a database file; stops first
};

/// Opens `data_dir`/state.db (the directory must exist), or with `ephemeral` a fresh in-memory
/// database shared only with this store's writer, and migrates it to the current schema.
Result<Store> open_store(const std::filesystem::path& data_dir, Ephemeral ephemeral);

}  // namespace cs::store
