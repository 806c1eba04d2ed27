#pragma once
// Native MQTT users: a name and a bcrypt password hash.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct UserRecord {
  std::string name;
  std::string password_hash;  // bcrypt
  SysSeconds created_at{};
  bool operator==(const UserRecord&) const = default;
};

class UserRepository {
 public:
  explicit UserRepository(Database& db) : m_db(db) {}

  /// Stores `user`; a conflict error when the name is taken by another user or bound to an
  /// identity-provider identity (IDENTITY.md rule 7).
  Result<void> insert(const UserRecord& user);
  /// The user called `name`, or nullopt.
  Result<std::optional<UserRecord>> find(const std::string& name) const;
  /// Every user, by name.
  Result<std::vector<UserRecord>> list() const;
  /// Replaces the password hash of user `name`; not_found when there is no such user.
  Result<void> set_password_hash(const std::string& name, const std::string& password_hash);
  /// Deletes user `name`; not_found when there is no such user.
  Result<void> remove(const std::string& name);

 private:
  Database& m_db;
};

}  // namespace cs::store
