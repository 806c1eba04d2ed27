#include "devbroker/store/user_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

UserRecord read_user(const Statement& row) {
  return UserRecord{row.column_text(0), row.column_text(1), row.column_time(2)};
}

Error no_user(const std::string& name) {
  return Error(ErrorCode::not_found, concat({"no user named '", name, "'"}));
}

}  // namespace

Result<void> UserRepository::insert(const UserRecord& user) {
  // One statement checks and inserts, so an identity binding the name on another connection
  // cannot slip in between (SQLite runs one writer at a time).
  auto done = m_db.execute(
      "INSERT INTO users (name, password_hash, created_at) SELECT ?, ?, ? WHERE NOT EXISTS "
      "(SELECT 1 FROM identity_bindings WHERE name = ?)",
      user.name, user.password_hash, user.created_at, user.name);
  if (!done && is_unique_violation(done.error(), "users.name")) {
    return fail(ErrorCode::conflict, concat({"a user named '", user.name, "' already exists"}));
  }
  if (!done) return fail(done.error());
  if (*done == 0) {
    return fail(ErrorCode::conflict,
                concat({"the name '", user.name,
                        "' belongs to an identity signed in through an identity provider"}),
                "choose another name");
  }
  return {};
}

Result<std::optional<UserRecord>> UserRepository::find(const std::string& name) const {
  return first_row(
      m_db.query("SELECT name, password_hash, created_at FROM users WHERE name = ?", name),
      read_user);
}

Result<std::vector<UserRecord>> UserRepository::list() const {
  return all_rows(m_db.prepare("SELECT name, password_hash, created_at FROM users ORDER BY name"),
                  read_user);
}

Result<void> UserRepository::set_password_hash(const std::string& name,
                                               const std::string& password_hash) {
  return expect_changed(
      m_db.execute("UPDATE users SET password_hash = ? WHERE name = ?", password_hash, name),
      no_user(name));
}

Result<void> UserRepository::remove(const std::string& name) {
  return expect_changed(m_db.execute("DELETE FROM users WHERE name = ?", name), no_user(name));
}

}  // namespace cs::store
