// The SQLite connection wrapper: opening, refusing damaged files, statements, transactions and
// the mapping of SQLite failures to errors.

#include "devbroker/store/database.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/process.h"
#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::error_of;
using cs::test::read_file;
using cs::test::TempDir;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string pragma(Database& db, const char* sql) {
  auto statement = db.prepare(sql);
  REQUIRE(statement);
  REQUIRE(statement->step().value());
  return statement->column_text(0);
}

// A real database with a few hundred rows across two tables and an index, closed cleanly (so
// everything is checkpointed into the main file).
void make_database(const std::string& path) {
  auto db = Database::open(path).value();
  REQUIRE(
      db.execute_script("CREATE TABLE a (x INTEGER PRIMARY KEY, y BLOB);"
                        "CREATE TABLE b (x TEXT PRIMARY KEY, y TEXT);"
                        "CREATE INDEX b_y ON b (y);"));
  for (int i = 0; i < 300; ++i) {
    REQUIRE(db.execute("INSERT INTO a (y) VALUES (randomblob(300))"));
    REQUIRE(db.execute("INSERT INTO b VALUES (?, ?)", std::to_string(i), std::string(100, 'v')));
  }
}

}  // namespace

TEST_CASE("open creates the file with mode 0600 and sets WAL, FULL sync and foreign keys",
          "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  const auto old_umask = umask(0);  // whatever the umask, the database stays private
  auto db = Database::open(path);
  umask(old_umask);
  REQUIRE(db);
  CHECK(mode_of(path) == 0600);
  CHECK(pragma(*db, "PRAGMA journal_mode") == "wal");
  CHECK(pragma(*db, "PRAGMA synchronous") == "2");
  CHECK(pragma(*db, "PRAGMA foreign_keys") == "1");
  // Locks are waited for by a busy handler of the store's own (busy_handler_test.cpp).
  CHECK(pragma(*db, "PRAGMA busy_timeout") == "0");
  CHECK(pragma(*db, "PRAGMA journal_size_limit") == "67108864");
  REQUIRE(db->execute_script("CREATE TABLE t (x)"));
  REQUIRE(db->execute("INSERT INTO t VALUES (1)"));
  CHECK(mode_of(path + "-wal") == 0600);
  CHECK(mode_of(path + "-shm") == 0600);
  CHECK(db->name() == path);
}

TEST_CASE("open refuses a missing directory, naming it", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/missing/state.db";
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::io);
  CHECK(db.error().message == "cannot create the database " + path + ": the directory " +
                                  dir.path() + "/missing does not exist");
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/missing"));
}

TEST_CASE("open refuses a file that is not a database and leaves it untouched", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage.push_back(static_cast<char>((i * 7919) % 251));
  write_bytes(path, garbage);
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::io);
  CHECK(db.error().message == "cannot open the database " + path + ": file is not a database");
  CHECK(db.error().hint ==
        "Move the file aside to start with an empty state, or restore it from a backup.");
  CHECK(read_file(path) == garbage);
  CHECK_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_CASE("open refuses a truncated database and leaves it untouched", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  make_database(path);
  const std::string whole = read_file(path);
  REQUIRE(whole.size() > 100000);
  // Cut in the middle of a page, on a page boundary, and inside the header.
  for (std::size_t size : {whole.size() / 2 + 100, std::size_t{4096 * 10}, std::size_t{50}}) {
    CAPTURE(size);
    const std::string truncated = whole.substr(0, size);
    write_bytes(path, truncated);
    auto db = Database::open(path);
    REQUIRE_FALSE(db);
    CHECK(db.error().code == ErrorCode::io);
    CHECK(db.error().message ==
          "cannot open the database " + path + ": database disk image is malformed");
    CHECK(read_file(path) == truncated);
  }
}

TEST_CASE("open refuses a database with a damaged page and leaves it untouched", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  make_database(path);
  std::string damaged = read_file(path);
  // Scribble over the middle of the file, leaving the header intact.
  for (std::size_t i = damaged.size() / 2; i < damaged.size() / 2 + 4096; ++i) {
    damaged[i] = static_cast<char>(0xA5);
  }
  write_bytes(path, damaged);
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::io);
  CHECK(db.error().message == "cannot open the database " + path +
                                  ": integrity check failed: Page 25: btreeInitPage() returns "
                                  "error code 11 (and 11 more problems)");
  CHECK(db.error().hint ==
        "Move the file aside to start with an empty state, or restore it from a backup.");
  CHECK(read_file(path) == damaged);
}

TEST_CASE("an empty file is an empty database", "[store]") {
  TempDir dir;
  const std::string path = dir.path() + "/state.db";
  write_bytes(path, "");
  CHECK(Database::open(path));
}

TEST_CASE("statements bind values in order and read them back by type", "[store]") {
  auto db = Database::open_memory().value();
  REQUIRE(db.execute_script("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n INTEGER)"));
  const cs::Bytes blob{0, 1, 2, 255};
  REQUIRE(db.execute("INSERT INTO t VALUES (?, ?, ?, ?)", std::int64_t{-5}, std::string("a\0b", 3),
                     blob, std::optional<int>{}));
  REQUIRE(
      db.execute("INSERT INTO t VALUES (?, ?, ?, ?)", 7, "x", cs::Bytes{}, std::optional<int>{3}));
  auto statement = db.prepare("SELECT i, s, b, n FROM t ORDER BY rowid");
  REQUIRE(statement);
  REQUIRE(statement->step().value());
  CHECK(statement->column_int(0) == -5);
  CHECK(statement->column_text(1) == std::string("a\0b", 3));
  CHECK(statement->column_blob(2) == blob);
  CHECK(statement->column_is_null(3));
  CHECK(statement->column_optional_int(3) == std::nullopt);
  REQUIRE(statement->step().value());
  CHECK(statement->column_int(0) == 7);
  CHECK(statement->column_blob(2).empty());
  CHECK_FALSE(statement->column_is_null(2));  // an empty blob is not NULL
  CHECK(statement->column_optional_int(3) == 3);
  CHECK_FALSE(statement->step().value());
}

TEST_CASE("a cached statement in use is not handed out twice", "[store]") {
  auto db = Database::open_memory().value();
  REQUIRE(db.execute_script("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);"));
  auto outer = db.prepare("SELECT x FROM t ORDER BY x");
  REQUIRE(outer);
  REQUIRE(outer->step().value());
  {
    auto inner = db.prepare("SELECT x FROM t ORDER BY x");
    REQUIRE(inner);
    REQUIRE(inner->step().value());
    CHECK(inner->column_int(0) == 1);
  }
  REQUIRE(outer->step().value());
  CHECK(outer->column_int(0) == 2);
}

TEST_CASE("SQLite failures become errors with SQLite's message and a matching code", "[store]") {
  auto db = Database::open_memory().value();
  REQUIRE(
      db.execute_script("CREATE TABLE p (id TEXT PRIMARY KEY, v INTEGER CHECK (v > 0));"
                        "CREATE TABLE c (p TEXT REFERENCES p (id));"));
  REQUIRE(db.execute("INSERT INTO p VALUES ('a', 1)"));

  auto duplicate = db.execute("INSERT INTO p VALUES ('a', 2)");
  CHECK(error_of(duplicate).code == ErrorCode::conflict);
  CHECK(error_of(duplicate).message == "in-memory database: UNIQUE constraint failed: p.id");
  CHECK(is_unique_violation(error_of(duplicate), "p.id"));
  CHECK_FALSE(is_unique_violation(error_of(duplicate), "p.v"));

  auto check = db.execute("INSERT INTO p VALUES ('b', 0)");
  CHECK(error_of(check).code == ErrorCode::invalid_request);
  CHECK(error_of(check).message == "in-memory database: CHECK constraint failed: v > 0");

  auto foreign = db.execute("INSERT INTO c VALUES ('zzz')");
  CHECK(error_of(foreign).code == ErrorCode::not_found);
  CHECK(error_of(foreign).message == "in-memory database: FOREIGN KEY constraint failed");

  auto syntax = db.prepare("SELEKT 1");
  CHECK(error_of(syntax).code == ErrorCode::internal);
  CHECK(error_of(syntax).message == "in-memory database: near \"SELEKT\": syntax error");

  CHECK(error_of(db.prepare("SELECT 1; SELECT 2")).message ==
        "prepare() takes exactly one SQL statement");
}

TEST_CASE("a transaction rolls back unless committed", "[store]") {
  auto db = Database::open_memory().value();
  REQUIRE(db.execute_script("CREATE TABLE t (x)"));
  {
    auto transaction = Transaction::begin(db);
    REQUIRE(transaction);
    CHECK(db.in_transaction());
    CHECK(error_of(Transaction::begin(db)).message ==
          "a transaction is already open on this connection");
    REQUIRE(db.execute("INSERT INTO t VALUES (1)"));
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(pragma(db, "SELECT count(*) FROM t") == "0");
  auto transaction = Transaction::begin(db);
  REQUIRE(db.execute("INSERT INTO t VALUES (1)"));
  REQUIRE(transaction->commit());
  CHECK(pragma(db, "SELECT count(*) FROM t") == "1");
}

TEST_CASE("a named in-memory database is shared by reopen, a private one is not", "[store]") {
  auto shared = Database::open_memory("store-test-shared").value();
  REQUIRE(shared.execute_script("CREATE TABLE t (x); INSERT INTO t VALUES (42);"));
  auto other = shared.reopen().value();
  CHECK(pragma(other, "SELECT x FROM t") == "42");

  auto alone = Database::open_memory().value();
  REQUIRE(alone.execute_script("CREATE TABLE t (x)"));
  auto stranger = alone.reopen().value();
  CHECK(error_of(stranger.prepare("SELECT x FROM t")).message ==
        "in-memory database: no such table: t");
}

TEST_CASE("a second connection to a file sees committed writes", "[store]") {
  TempDir dir;
  auto db = Database::open(dir.path() + "/state.db").value();
  auto reader = db.reopen().value();
  REQUIRE(db.execute_script("CREATE TABLE t (x); INSERT INTO t VALUES (7);"));
  CHECK(pragma(reader, "SELECT x FROM t") == "7");
  CHECK(pragma(reader, "PRAGMA journal_mode") == "wal");
}
