#include "devbroker/store/checkpointer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <sqlite3.h>
#include <thread>

#include "tests/support/process.h"

namespace {

using cs::store::Database;
using namespace std::chrono_literals;

// About 6 MB in one transaction: more than SQLite's default threshold of 1000 pages.
constexpr const char* k_fill =
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1500) "
    "INSERT INTO t SELECT randomblob(4000) FROM c;";

// The frames in the write-ahead log of `db` now.
int log_frames(Database& db) {
  int frames = -1;
  int copied = -1;
  REQUIRE(sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                    &copied) == SQLITE_OK);
  return frames;
}

}  // namespace

TEST_CASE("a commit never stops to checkpoint the log", "[store][checkpoint]") {
  cs::test::TempDir dir;
  auto db = Database::open(dir.path() + "/state.db");
  REQUIRE(db);
  REQUIRE(db->execute_script("CREATE TABLE t (x BLOB);"));
  REQUIRE(db->execute_script(k_fill));
  REQUIRE(db->execute_script("INSERT INTO t VALUES (x'00');"));
  // With automatic checkpoints, the second commit would have copied the first one's frames and
  // the log would have started over; here every frame is still in it.
  auto other = db->reopen();
  REQUIRE(other);
  CHECK(log_frames(*other) > 1000);
}

TEST_CASE("the Checkpointer copies the log into the database on its own thread",
          "[store][checkpoint]") {
  cs::test::TempDir dir;
  auto db = Database::open(dir.path() + "/state.db");
  REQUIRE(db);
  REQUIRE(db->execute_script("CREATE TABLE t (x BLOB);"));
  REQUIRE(db->execute_script(k_fill));
  auto connection = db->reopen();
  REQUIRE(connection);
  {
    cs::store::Checkpointer checkpointer(std::move(*connection), 10ms);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (checkpointer.frames_checkpointed() < 1000) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(10ms);
    }
    // Writers go on meanwhile, and their rows are read back.
    REQUIRE(db->execute_script("INSERT INTO t VALUES (x'01');"));
  }
  auto count = db->query("SELECT count(*) FROM t");
  REQUIRE(count);
  const auto row = count->step();
  REQUIRE(row);
  REQUIRE(*row);
  CHECK(count->column_int(0) == 1501);
}

TEST_CASE("the Checkpointer restarts a long log so that commits write from its start",
          "[store][checkpoint]") {
  cs::test::TempDir dir;
  auto db = Database::open(dir.path() + "/state.db");
  REQUIRE(db);
  REQUIRE(db->execute_script("CREATE TABLE t (x BLOB);"));
  REQUIRE(db->execute_script(k_fill));
  auto connection = db->reopen();
  REQUIRE(connection);
  {
    cs::store::Checkpointer checkpointer(std::move(*connection), 10ms, 100);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (checkpointer.restarts() < 1) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(10ms);
    }
  }  // stopped, so that its checkpoints do not race the one that counts the frames below
  // The next commit starts the log over: it holds that commit's frames only.
  REQUIRE(db->execute_script("INSERT INTO t VALUES (x'01');"));
  auto other = db->reopen();
  REQUIRE(other);
  CHECK(log_frames(*other) < 100);
}
