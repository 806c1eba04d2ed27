#include "devbroker/store/org_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

OrgRecord read_org(const Statement& row) {
  return OrgRecord{row.column_text(0), row.column_text(1), row.column_text(2), row.column_time(3),
                   row.column_int(4)};
}

}  // namespace

Result<void> OrgRepository::insert(const OrgRecord& org) {
  auto done = m_db.execute(
      "INSERT INTO org (id, short_id, name, created_at, token_ttl_seconds) VALUES (?, ?, ?, ?, ?)",
      org.id, org.short_id, org.name, org.created_at, org.token_ttl_seconds);
  if (!done && done.error().code == ErrorCode::conflict) {
    return fail(ErrorCode::conflict, "an organization already exists");
  }
  if (!done) return fail(done.error());
  return {};
}

Result<std::optional<OrgRecord>> OrgRepository::find() const {
  return first_row(
      m_db.prepare("SELECT id, short_id, name, created_at, token_ttl_seconds FROM org LIMIT 1"),
      read_org);
}

Result<void> OrgRepository::update(const OrgRecord& org) {
  return expect_changed(
      m_db.execute("UPDATE org SET name = ?, token_ttl_seconds = ? WHERE id = ?", org.name,
                   org.token_ttl_seconds, org.id),
      Error(ErrorCode::org_not_found, concat({"no organization with id ", org.id})));
}

}  // namespace cs::store
