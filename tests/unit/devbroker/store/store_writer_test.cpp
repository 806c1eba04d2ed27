// Group commit: batching, callbacks only after commit, backpressure, failures of one write and
// of a whole batch, and shutdown.

#include "devbroker/store/store_writer.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::Result;
using cs::test::at;
using cs::test::TestStore;

namespace {

// A write that holds the writer thread until released, so that the test can line up the
// writes of the next batch.
class Gate {
 public:
  StoreWriter::Write write() {
    return [this](Repositories&) {
      m_started.set_value();
      m_released.wait();
      return Result<void>{};
    };
  }
  void wait_started() { m_started_future.wait(); }
  void release() { m_release.set_value(); }

 private:
  std::promise<void> m_started;
  std::future<void> m_started_future = m_started.get_future();
  std::promise<void> m_release;
  std::shared_future<void> m_released = m_release.get_future().share();
};

StoreWriter::Write insert_user(const std::string& name) {
  return [name](Repositories& repos) { return repos.users.insert({name, "h", at(1)}); };
}

bool has_user(Database& db, const std::string& name) {
  auto statement = db.query("SELECT count(*) FROM users WHERE name = ?", name);
  return statement && statement->step().value_or(false) && statement->column_int(0) == 1;
}

// Collects callback results on the writer thread; the test reads them after flush().
struct Outcomes {
  std::mutex mutex;
  std::vector<Result<void>> results;
  StoreWriter::Done done() {
    return [this](const Result<void>& result) {
      std::lock_guard lock(mutex);
      results.push_back(result);
    };
  }
};

}  // namespace

TEST_CASE("concurrent writes all commit, and each callback runs once, after its commit",
          "[store]") {
  TestStore t;
  auto writer = t.store.open_writer().value();
  auto reader = t.store.database().reopen().value();  // used only inside callbacks
  constexpr int k_threads = 8;
  constexpr int k_per_thread = 250;
  std::vector<std::atomic<int>> calls(k_threads * k_per_thread);
  std::vector<std::atomic<bool>> visible(k_threads * k_per_thread);
  std::vector<std::atomic<bool>> ok(k_threads * k_per_thread);

  std::vector<std::thread> submitters;
  for (int thread = 0; thread < k_threads; ++thread) {
    submitters.emplace_back([&, thread] {
      for (int i = 0; i < k_per_thread; ++i) {
        const int id = thread * k_per_thread + i;
        const std::string name = "u" + std::to_string(id);
        auto submitted = writer->submit(insert_user(name), [&, id, name](const Result<void>& r) {
          calls[id]++;
          ok[id] = r.has_value();
          visible[id] = has_user(reader, name);  // a second connection sees it: committed
        });
        if (!submitted) calls[id] += 100;  // makes the check below fail
      }
    });
  }
  for (auto& s : submitters) s.join();
  writer->flush();

  int once = 0, committed = 0, seen = 0;
  for (int id = 0; id < k_threads * k_per_thread; ++id) {
    once += calls[id] == 1;
    committed += ok[id];
    seen += visible[id];
  }
  CHECK(once == k_threads * k_per_thread);
  CHECK(committed == k_threads * k_per_thread);
  CHECK(seen == k_threads * k_per_thread);
  const auto stats = writer->stats();
  CHECK(stats.writes == k_threads * k_per_thread);
  CHECK(stats.failed_batches == 0);
  CHECK(stats.batches <= stats.writes);
  CHECK(t.repos().users.list().value().size() == k_threads * k_per_thread);
}

TEST_CASE("writes queued during a commit form the next batch, up to max_batch", "[store]") {
  TestStore t;
  for (std::size_t max_batch : {std::size_t{1024}, std::size_t{10}}) {
    CAPTURE(max_batch);
    auto writer = t.store.open_writer({.queue_capacity = 1000, .max_batch = max_batch}).value();
    Gate gate;
    REQUIRE(writer->submit(gate.write(), {}));
    gate.wait_started();
    for (int i = 0; i < 35; ++i) {
      REQUIRE(writer->submit(insert_user("b" + std::to_string(max_batch) + "_" + std::to_string(i)),
                             {}));
    }
    gate.release();
    writer->flush();
    const auto stats = writer->stats();
    CHECK(stats.writes == 36);
    CHECK(stats.batches == (max_batch == 10 ? 5 : 2));  // the gate alone, then 35 (or 10+10+10+5)
    CHECK(stats.largest_batch == std::min<std::size_t>(35, max_batch));
  }
}

TEST_CASE("an idle writer wakes for each write after a quiet spell", "[store]") {
  TestStore t;
  auto writer = t.store.open_writer().value();
  for (int i = 0; i < 20; ++i) {
    // The writer is waiting again before each write: only a wake can start its batch.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::promise<Result<void>> committed;
    auto future = committed.get_future();
    REQUIRE(writer->submit(insert_user("quiet" + std::to_string(i)),
                           [&committed](const Result<void>& r) { committed.set_value(r); }));
    REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(future.get());
  }
  CHECK(writer->stats().batches == 20);
}

TEST_CASE("a full queue refuses writes without calling back", "[store]") {
  TestStore t;
  auto writer = t.store.open_writer({.queue_capacity = 4, .max_batch = 1024}).value();
  Gate gate;
  Outcomes outcomes;
  REQUIRE(writer->submit(gate.write(), outcomes.done()));
  gate.wait_started();  // the gate has left the queue
  for (int i = 0; i < 4; ++i)
    REQUIRE(writer->submit(insert_user(std::to_string(i)), outcomes.done()));
  auto refused = writer->submit(insert_user("x"), outcomes.done());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::unavailable);
  CHECK(refused.error().message == "the store's write queue is full (4 writes)");
  gate.release();
  writer->flush();
  CHECK(outcomes.results.size() == 5);
  CHECK_FALSE(t.repos().users.find("x").value());
}

TEST_CASE("a failing write is undone alone and the rest of its batch commits", "[store]") {
  TestStore t;
  REQUIRE(t.repos().users.insert({"taken", "h", at(1)}));
  auto writer = t.store.open_writer().value();
  Gate gate;
  Outcomes outcomes;
  REQUIRE(writer->submit(gate.write(), {}));
  gate.wait_started();
  REQUIRE(writer->submit(insert_user("first"), outcomes.done()));
  REQUIRE(writer->submit(
      [](Repositories& repos) -> Result<void> {
        if (auto r = repos.users.insert({"half", "h", at(1)}); !r) return r;
        return repos.users.insert({"taken", "h", at(1)});  // conflicts after a write
      },
      outcomes.done()));
  REQUIRE(writer->submit(
      [](Repositories& repos) -> Result<void> {
        (void)repos.users.insert({"thrown", "h", at(1)});
        throw std::runtime_error("boom");
      },
      outcomes.done()));
  REQUIRE(writer->submit(insert_user("last"), outcomes.done()));
  gate.release();
  writer->flush();

  REQUIRE(outcomes.results.size() == 4);
  CHECK(outcomes.results[0].has_value());
  CHECK(outcomes.results[1].error().code == ErrorCode::conflict);
  CHECK(outcomes.results[1].error().message == "a user named 'taken' already exists");
  CHECK(outcomes.results[2].error().code == ErrorCode::internal);
  CHECK(outcomes.results[2].error().message == "a store write failed: boom");
  CHECK(outcomes.results[3].has_value());
  CHECK(t.repos().users.find("first").value());
  CHECK(t.repos().users.find("last").value());
  CHECK_FALSE(t.repos().users.find("half").value());
  CHECK_FALSE(t.repos().users.find("thrown").value());
  CHECK(writer->stats().batches == 2);
  CHECK(writer->stats().failed_batches == 0);
}

TEST_CASE("a full disk fails the whole batch with an io error, and the next batch recovers",
          "[store]") {
  TestStore t;
  auto& db = t.store.database();
  RetainedRecord big{"big/old", cs::Bytes(200 * 1024, 1), cs::mqtt::QoS::at_most_once, {}, {}};
  REQUIRE(t.repos().retained.put(big));

  // The writer's connection may not grow the file: the next page it needs is "disk full".
  auto connection = db.reopen().value();
  std::int64_t page_count = 0;
  {
    auto pages = connection.prepare("PRAGMA page_count");
    REQUIRE(pages->step().value());
    page_count = pages->column_int(0);
  }
  REQUIRE(connection.execute_script("PRAGMA max_page_count = " + std::to_string(page_count)));
  StoreWriter writer(std::move(connection));

  Gate gate;
  Outcomes outcomes;
  RetainedRecord fresh{"big/new", cs::Bytes(150 * 1024, 2), cs::mqtt::QoS::at_most_once, {}, {}};
  auto put_fresh = [fresh](Repositories& repos) { return repos.retained.put(fresh); };
  REQUIRE(writer.submit(gate.write(), {}));
  gate.wait_started();
  REQUIRE(writer.submit(insert_user("small"), outcomes.done()));
  REQUIRE(writer.submit(put_fresh, outcomes.done()));
  gate.release();
  writer.flush();

  REQUIRE(outcomes.results.size() == 2);
  const std::string expected =
      "the write was not committed: " + t.db_path() + ": database or disk is full";
  for (const auto& result : outcomes.results) {
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::io);
    CHECK(result.error().message == expected);
  }
  CHECK_FALSE(t.repos().users.find("small").value());
  CHECK(t.repos().retained.list(at(0)).value().size() == 1);
  CHECK(writer.stats().failed_batches == 1);

  REQUIRE(t.repos().retained.remove("big/old"));  // frees pages for reuse
  outcomes.results.clear();
  REQUIRE(writer.submit(insert_user("small"), outcomes.done()));
  REQUIRE(writer.submit(put_fresh, outcomes.done()));
  writer.flush();
  REQUIRE(outcomes.results.size() == 2);
  CHECK(outcomes.results[0].has_value());
  CHECK(outcomes.results[1].has_value());
  CHECK(t.repos().users.find("small").value());
  CHECK(t.repos().retained.list(at(0)).value() == std::vector<RetainedRecord>{fresh});
}

TEST_CASE("stop commits everything queued, then refuses new writes", "[store]") {
  TestStore t;
  std::atomic<int> done{0};
  {
    auto writer = t.store.open_writer().value();
    for (int i = 0; i < 500; ++i) {
      REQUIRE(writer->submit(insert_user("s" + std::to_string(i)),
                             [&](const Result<void>& r) { done += r ? 1 : 1000; }));
    }
    writer->stop();
    CHECK(done == 500);
    auto late = writer->submit(insert_user("late"), {});
    CHECK(late.error().code == ErrorCode::unavailable);
    CHECK(late.error().message == "the store writer has stopped");
    writer->stop();  // twice is fine
  }
  CHECK(t.repos().users.list().value().size() == 500);

  {
    auto writer = t.store.open_writer().value();
    for (int i = 0; i < 100; ++i) REQUIRE(writer->submit(insert_user("d" + std::to_string(i)), {}));
  }  // the destructor flushes too
  CHECK(t.repos().users.list().value().size() == 600);
}
