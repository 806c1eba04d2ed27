#include "devbroker/store/provider_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

#define CS_PROVIDER_COLUMNS \
  "id, type, name, enabled, username_claim, config, dev, created_at, updated_at"

Result<ProviderRecord> read_provider(const Statement& row) {
  ProviderRecord provider;
  provider.id = row.column_text(0);
  provider.config = nlohmann::json::parse(row.column_text(5), nullptr, false);
  if (!provider.config.is_object()) {
    return fail(ErrorCode::io,
                concat({"the stored configuration of provider ", provider.id, " is damaged"}));
  }
  provider.type = row.column_text(1);
  provider.name = row.column_text(2);
  provider.enabled = row.column_int(3) != 0;
  provider.username_claim = row.column_text(4);
  provider.dev = row.column_int(6) != 0;
  provider.created_at = row.column_time(7);
  provider.updated_at = row.column_time(8);
  return provider;
}

Error no_provider(const std::string& id) {
  return Error(ErrorCode::provider_not_found, concat({"no identity provider with id ", id}));
}

Result<void> name_conflict(const Error& error, const ProviderRecord& provider) {
  if (is_unique_violation(error, "providers.name")) {
    return fail(ErrorCode::conflict,
                concat({"an identity provider named '", provider.name, "' already exists"}));
  }
  if (is_unique_violation(error, "providers.id")) {
    return fail(ErrorCode::conflict,
                concat({"an identity provider with id ", provider.id, " already exists"}));
  }
  return fail(error);
}

}  // namespace

Result<void> ProviderRepository::insert(const ProviderRecord& provider) {
  auto done = m_db.execute(
      "INSERT INTO providers (" CS_PROVIDER_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      provider.id, provider.type, provider.name, provider.enabled, provider.username_claim,
      provider.config.dump(), provider.dev, provider.created_at, provider.updated_at);
  if (!done) return name_conflict(done.error(), provider);
  return {};
}

Result<std::optional<ProviderRecord>> ProviderRepository::find(const std::string& id) const {
  return first_row(m_db.query("SELECT " CS_PROVIDER_COLUMNS " FROM providers WHERE id = ?", id),
                   read_provider);
}

Result<std::optional<ProviderRecord>> ProviderRepository::find_by_name(
    const std::string& name) const {
  return first_row(m_db.query("SELECT " CS_PROVIDER_COLUMNS " FROM providers WHERE name = ?", name),
                   read_provider);
}

Result<std::vector<ProviderRecord>> ProviderRepository::list() const {
  return all_rows(
      m_db.prepare("SELECT " CS_PROVIDER_COLUMNS " FROM providers ORDER BY created_at, id"),
      read_provider);
}

Result<void> ProviderRepository::update(const ProviderRecord& provider) {
  auto changed = m_db.execute(
      "UPDATE providers SET type = ?, name = ?, enabled = ?, username_claim = ?, config = ?, "
      "dev = ?, updated_at = ? WHERE id = ?",
      provider.type, provider.name, provider.enabled, provider.username_claim,
      provider.config.dump(), provider.dev, provider.updated_at, provider.id);
  if (!changed) return name_conflict(changed.error(), provider);
  return expect_changed(changed, no_provider(provider.id));
}

Result<void> ProviderRepository::remove(const std::string& id) {
  return expect_changed(m_db.execute("DELETE FROM providers WHERE id = ?", id), no_provider(id));
}

}  // namespace cs::store

#undef CS_PROVIDER_COLUMNS
