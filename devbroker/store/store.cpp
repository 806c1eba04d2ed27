#include "devbroker/store/store.h"

#include "common/crypto/hex.h"
#include "common/crypto/random.h"
#include "devbroker/auth/names.h"
#include "devbroker/store/migrations.h"
#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

Result<Database> open_database(const std::filesystem::path& data_dir, Ephemeral ephemeral) {
  if (ephemeral == Ephemeral::yes) {
    // A unique name keeps two stores in one process apart; the writer reopens it by name.
    return Database::open_memory(
        concat({"cloudsignal-", crypto::hex_encode(crypto::random_bytes(8))}));
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return fail(ErrorCode::io,
                concat({"the data directory ", data_dir.string(), " does not exist"}),
                "Create it, or pass another --data-dir.");
  }
  return Database::open(data_dir / k_database_file);
}

}  // namespace

Store::Store(Database db)
    : m_db(std::make_unique<Database>(std::move(db))),
      m_repos(std::make_unique<Repositories>(*m_db)) {}

Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> open_store(const std::filesystem::path& data_dir, Ephemeral ephemeral) {
  auto db = open_database(data_dir, ephemeral);
  if (!db) return fail(db.error());
  if (auto migrated = migrate(*db); !migrated) return fail(migrated.error());
  std::unique_ptr<Checkpointer> checkpointer;
  if (ephemeral == Ephemeral::no) {
    auto connection = db->reopen();
    if (!connection) return fail(connection.error());
    checkpointer = std::make_unique<Checkpointer>(std::move(*connection));
  }
  Store store(std::move(*db));
  store.m_checkpointer = std::move(checkpointer);
  return store;
}

Result<BootstrapResult> Store::bootstrap(SysSeconds now) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return fail(transaction.error());
  auto existing = m_repos->org.find();
  if (!existing) return fail(existing.error());
  if (*existing) return BootstrapResult{false, std::move(**existing)};

  OrgRecord org{crypto::random_uuid_v4(), auth::generate_org_short_id(),
                std::string(k_dev_org_name), now, k_default_token_ttl_seconds};
  if (auto inserted = m_repos->org.insert(org); !inserted) return fail(inserted.error());
  AclRuleRecord starter{crypto::random_uuid_v4(), "%", "users/%u/#", "pubsub", "allow", now, 0};
  if (auto inserted = m_repos->acl.insert(starter); !inserted) return fail(inserted.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return BootstrapResult{true, std::move(org)};
}

Result<std::unique_ptr<StoreWriter>> Store::open_writer(StoreWriterOptions options) {
  auto connection = m_db->reopen();
  if (!connection) return fail(connection.error());
  return std::make_unique<StoreWriter>(std::move(*connection), options);
}

}  // namespace cs::store
