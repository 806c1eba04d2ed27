// Schema versions: migrating from empty, reopening, refusing newer or foreign databases, and
// rolling back a failed step.

#include "devbroker/store/migrations.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/support/process.h"
#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::error_of;
using cs::test::TempDir;

namespace {

std::set<std::string> tables(Database& db) {
  std::set<std::string> names;
  auto statement = db.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  REQUIRE(statement);
  while (statement->step().value()) names.insert(statement->column_text(0));
  return names;
}

std::int64_t single(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  REQUIRE(statement);
  REQUIRE(statement->step().value());
  return statement->column_int(0);
}

}  // namespace

TEST_CASE("migrating an empty database creates every table at the latest version", "[store]") {
  TempDir dir;
  auto db = Database::open(dir.path() + "/state.db").value();
  CHECK(schema_version(db).value() == 0);
  CHECK(migrate(db).value() == static_cast<int>(migrations().size()));
  CHECK(schema_version(db).value() == 3);
  CHECK(single(db, "PRAGMA application_id") == k_application_id);
  CHECK(tables(db) == std::set<std::string>{"acl_rules", "api_keys", "identity_bindings",
                                            "oauth_sessions", "oauth_tokens", "org", "providers",
                                            "retained", "session_incoming_qos2", "session_queue",
                                            "session_subscriptions", "session_wills", "sessions",
                                            "tokens", "users"});
  CHECK(single(db,
               "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = "
               "'tokens_expires_at'") == 1);
  CHECK(migrate(db).value() == 3);  // nothing left to do
}

TEST_CASE("a database from a newer cloudsignal is refused and left alone", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  {
    auto db = Database::open(path).value();
    REQUIRE(migrate(db));
    REQUIRE(db.execute_script("PRAGMA user_version = 99"));
  }
  auto db = Database::open(path).value();
  auto migrated = migrate(db);
  REQUIRE_FALSE(migrated);
  CHECK(migrated.error().code == ErrorCode::io);
  CHECK(migrated.error().message ==
        "the database " + path +
            " has schema version 99, newer than this cloudsignal supports (3)");
  CHECK(migrated.error().hint == "Upgrade cloudsignal, or use another --data-dir.");
  CHECK(schema_version(db).value() == 99);
}

TEST_CASE("a database of the first schema version gains the CLI login tables", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  {
    auto db = Database::open(path).value();
    REQUIRE(migrate(db, migrations().first(1)).value() == 1);
    REQUIRE(db.execute("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                       "alice", "$2b$hash", 1));
  }
  auto db = Database::open(path).value();
  CHECK(migrate(db).value() == 3);
  CHECK(tables(db).count("oauth_sessions") == 1);
  CHECK(tables(db).count("oauth_tokens") == 1);
  CHECK(tables(db).count("session_wills") == 1);
  CHECK(single(db, "SELECT count(*) FROM users") == 1);
}

TEST_CASE("a database of the second schema version gains the wills table, sessions kept",
          "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  {
    auto db = Database::open(path).value();
    REQUIRE(migrate(db, migrations().first(2)).value() == 2);
    REQUIRE(db.execute(
        "INSERT INTO sessions (client_id, expiry_interval, disconnected_at, version) VALUES "
        "('kept', 300, NULL, 5)"));
  }
  auto db = Database::open(path).value();
  CHECK(migrate(db).value() == 3);
  CHECK(single(db, "SELECT count(*) FROM sessions") == 1);
  REQUIRE(db.execute(
      "INSERT INTO session_wills (client_id, topic, payload, qos, retain, delay, identity) "
      "VALUES ('kept', 'w', x'00', 1, 0, 0, '')"));
  // A will belongs to its session: it goes with it, and cannot exist without one.
  CHECK_FALSE(db.execute(
      "INSERT INTO session_wills (client_id, topic, payload, qos, retain, delay, identity) "
      "VALUES ('nobody', 'w', x'00', 1, 0, 0, '')"));
  REQUIRE(db.execute("DELETE FROM sessions"));
  CHECK(single(db, "SELECT count(*) FROM session_wills") == 0);
}

TEST_CASE("a database of another application is refused", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  auto db = Database::open(path).value();
  REQUIRE(db.execute_script("CREATE TABLE notes (body TEXT)"));
  const std::string expected =
      "the database " + path + " belongs to another application (it has no cloudsignal schema)";
  CHECK(error_of(migrate(db)).message == expected);
  REQUIRE(db.execute_script("PRAGMA user_version = 1"));  // a version, but not our application id
  CHECK(error_of(migrate(db)).message == expected);
  CHECK(error_of(migrate(db)).hint == "Use another --data-dir.");
}

TEST_CASE("a failing migration step is rolled back whole", "[store]") {
  auto db = Database::open_memory().value();
  const Migration steps[] = {
      {"first", "CREATE TABLE a (x);"},
      {"second", "CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);"},
  };
  auto migrated = migrate(db, steps);
  REQUIRE_FALSE(migrated);
  CHECK(migrated.error().message ==
        "cannot upgrade the database to schema version 2 (second): in-memory database: no such "
        "table: nowhere");
  CHECK(schema_version(db).value() == 1);
  CHECK(tables(db) == std::set<std::string>{"a"});
}
