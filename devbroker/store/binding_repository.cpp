#include "devbroker/store/binding_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

BindingRecord read_binding(const Statement& row) {
  return BindingRecord{row.column_text(0), row.column_text(1), row.column_text(2),
                       row.column_time(3)};
}

}  // namespace

Result<std::optional<BindingRecord>> BindingRepository::find(const std::string& provider_id,
                                                             const std::string& subject) const {
  return first_row(m_db.query("SELECT provider_id, subject, name, created_at FROM "
                              "identity_bindings WHERE provider_id = ? AND subject = ?",
                              provider_id, subject),
                   read_binding);
}

Result<std::optional<BindingRecord>> BindingRepository::find_by_name(
    const std::string& name) const {
  return first_row(m_db.query("SELECT provider_id, subject, name, created_at FROM "
                              "identity_bindings WHERE name = ?",
                              name),
                   read_binding);
}

Result<void> BindingRepository::insert(const BindingRecord& binding) {
  // Native MQTT users own their names too; checked in the inserting statement itself so that a
  // user created on another connection cannot slip in between.
  auto done = m_db.execute(
      "INSERT INTO identity_bindings (provider_id, subject, name, created_at) SELECT ?, ?, ?, ? "
      "WHERE NOT EXISTS (SELECT 1 FROM users WHERE name = ?)",
      binding.provider_id, binding.subject, binding.name, binding.created_at, binding.name);
  if (!done && is_unique_violation(done.error(), "identity_bindings.name")) {
    return fail(ErrorCode::conflict,
                concat({"the name '", binding.name, "' belongs to another identity"}));
  }
  if (!done && is_unique_violation(done.error(),
                                   "identity_bindings.provider_id, identity_bindings.subject")) {
    return fail(ErrorCode::conflict, "this identity already has a name");
  }
  if (!done) return fail(done.error());
  if (*done == 0) {
    return fail(ErrorCode::conflict,
                concat({"the name '", binding.name, "' belongs to a native MQTT user"}));
  }
  return {};
}

Result<void> BindingRepository::remove(const std::string& provider_id, const std::string& subject) {
  return expect_changed(
      m_db.execute("DELETE FROM identity_bindings WHERE provider_id = ? AND subject = ?",
                   provider_id, subject),
      Error(ErrorCode::not_found, "no name is bound to this identity"));
}

}  // namespace cs::store
