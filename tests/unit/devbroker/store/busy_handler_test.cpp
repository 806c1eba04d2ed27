#include "devbroker/store/busy_handler.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <thread>

#include "devbroker/store/database.h"
#include "tests/support/process.h"

using cs::store::busy_delay;
using cs::store::busy_waited;
using namespace std::chrono_literals;

TEST_CASE("a busy connection waits 20 µs, doubling up to 1 ms", "[store][busy]") {
  CHECK(busy_delay(0) == 20us);
  CHECK(busy_delay(1) == 40us);
  CHECK(busy_delay(4) == 320us);
  CHECK(busy_delay(5) == 640us);
  CHECK(busy_delay(6) == 1000us);
  CHECK(busy_delay(1000) == 1000us);
}

TEST_CASE("the busy waits add up as they are slept", "[store][busy]") {
  CHECK(busy_waited(0) == 0us);
  CHECK(busy_waited(1) == 20us);
  CHECK(busy_waited(6) == 1260us);
  CHECK(busy_waited(7) == 2260us);
  for (int attempt = 0; attempt < 20; ++attempt) {
    CHECK(busy_waited(attempt + 1) == busy_waited(attempt) + busy_delay(attempt));
  }
}

TEST_CASE("a connection waits for another's write lock, then gives up after its budget",
          "[store][busy]") {
  cs::test::TempDir dir;
  auto db = cs::store::Database::open(dir.path() + "/state.db");
  REQUIRE(db);
  REQUIRE(db->execute_script("CREATE TABLE t (x INTEGER);"));
  auto other = db->reopen();
  REQUIRE(other);
  cs::store::set_busy_handler(other->handle(), 5ms);
  REQUIRE(db->execute("BEGIN IMMEDIATE"));
  const auto start = std::chrono::steady_clock::now();
  const auto refused = other->execute("BEGIN IMMEDIATE");
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == cs::ErrorCode::unavailable);
  CHECK(waited >= 5ms);
  CHECK(waited < 1s);
  REQUIRE(db->execute("COMMIT"));
  REQUIRE(other->execute("BEGIN IMMEDIATE"));
  REQUIRE(other->execute("COMMIT"));
}

TEST_CASE("a connection the store opens waits for a lock held briefly", "[store][busy]") {
  cs::test::TempDir dir;
  auto db = cs::store::Database::open(dir.path() + "/state.db");
  REQUIRE(db);
  REQUIRE(db->execute_script("CREATE TABLE t (x INTEGER);"));
  auto other = db->reopen();
  REQUIRE(other);
  REQUIRE(db->execute("BEGIN IMMEDIATE"));
  bool released = false;
  std::thread holder([&] {
    std::this_thread::sleep_for(30ms);
    released = db->execute("COMMIT").has_value();
  });
  const auto waited = other->execute("BEGIN IMMEDIATE");
  holder.join();
  CHECK(released);
  REQUIRE(waited);
  REQUIRE(other->execute("COMMIT"));
}
