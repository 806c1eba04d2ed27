#include "devbroker/store/acl_repository.h"

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

#define CS_ACL_COLUMNS "id, user_pattern, topic, permission, effect, created_at, position"

AclRuleRecord read_rule(const Statement& row) {
  return AclRuleRecord{row.column_text(0), row.column_text(1), row.column_text(2),
                       row.column_text(3), row.column_text(4), row.column_time(5),
                       row.column_int(6)};
}

}  // namespace

Result<AclRuleRecord> AclRepository::insert(const AclRuleRecord& rule) {
  // One statement reads the last position and appends, so concurrent inserts cannot collide.
  auto position = all_rows(
      m_db.query("INSERT INTO acl_rules (" CS_ACL_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, "
                 "(SELECT coalesce(max(position), 0) + 1 FROM acl_rules)) RETURNING position",
                 rule.id, rule.user_pattern, rule.topic, rule.permission, rule.effect,
                 rule.created_at),
      [](const Statement& row) { return row.column_int(0); });
  if (!position && is_unique_violation(position.error(), "acl_rules.id")) {
    return fail(ErrorCode::conflict,
                concat({"an access rule with id ", rule.id, " already exists"}));
  }
  if (!position) return fail(position.error());
  if (position->size() != 1) {
    return fail(ErrorCode::internal, "inserting an access rule did not return its position");
  }
  AclRuleRecord stored = rule;
  stored.position = position->front();
  return stored;
}

Result<std::optional<AclRuleRecord>> AclRepository::find(const std::string& id) const {
  return first_row(m_db.query("SELECT " CS_ACL_COLUMNS " FROM acl_rules WHERE id = ?", id),
                   read_rule);
}

Result<std::vector<AclRuleRecord>> AclRepository::list() const {
  return all_rows(m_db.prepare("SELECT " CS_ACL_COLUMNS " FROM acl_rules ORDER BY position"),
                  read_rule);
}

Result<void> AclRepository::remove(const std::string& id) {
  return expect_changed(m_db.execute("DELETE FROM acl_rules WHERE id = ?", id),
                        Error(ErrorCode::not_found, concat({"no access rule with id ", id})));
}

}  // namespace cs::store

#undef CS_ACL_COLUMNS
