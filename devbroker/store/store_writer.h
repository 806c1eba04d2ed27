#pragma once
// Group commit for the broker's hot path. One thread owns its own connection and runs queued
// writes in batches: each batch is one transaction, and only after it commits (synchronous=FULL:
// durable) does each write's completion callback run, so a PUBACK sent from a callback is never
// ahead of the disk. A batch is whatever queued up while the previous one committed, at most
// `max_batch` writes.
//
// Within a batch each write runs under its own savepoint: a write that fails (a conflict, a
// missing row) is undone alone and its callback gets its error, the others commit. A failure of
// the transaction itself (disk full, I/O error) fails every write of the batch with an io error;
// the writer lives on and the next batch starts afresh.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/result.h"
#include "devbroker/store/database.h"
#include "devbroker/store/repositories.h"

namespace cs::store {

struct StoreWriterOptions {
  std::size_t queue_capacity = 65536;  // writes waiting; submit refuses more
  std::size_t max_batch = 1024;        // writes per transaction
};

struct StoreWriterStats {
  std::uint64_t batches = 0;         // transactions attempted
  std::uint64_t writes = 0;          // writes whose callback has run
  std::uint64_t failed_batches = 0;  // transactions that did not commit
  std::size_t largest_batch = 0;
};

class StoreWriter {
 public:
  /// A write: runs on the writer thread inside the batch's transaction (so it must not begin
  /// one); returning an error undoes what it did.
  using Write = std::function<Result<void>(Repositories&)>;
  /// Its completion: runs on the writer thread after the commit (or the failure); it must be
  /// quick (post the result to the owner's event loop) and must not call flush() or stop().
  using Done = std::function<void(const Result<void>&)>;

  /// Starts the writer thread over `connection`, which it owns from now on.
  explicit StoreWriter(Database connection, StoreWriterOptions options = {});
  /// Stops as stop() does.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  /// Queues `write`, whose `done` (may be empty) will be called exactly once. Refuses with
  /// `unavailable` when the queue is full or the writer is stopping; `done` is then not called.
  Result<void> submit(Write write, Done done);

  /// Waits until every write submitted before this call has committed or failed and its
  /// callback has returned.
  void flush();

  /// Refuses new writes, commits everything already queued, runs its callbacks and ends the
  /// thread. Safe to call more than once from the owning thread.
  void stop();

  StoreWriterStats stats() const;

 private:
  struct Op {
    Write write;
    Done done;
  };
  void run();
  // Runs `batch` in one transaction, then calls back.
  void run_batch(std::vector<Op>& batch);
  // Runs every write of `batch`, each one's outcome into `results`, and commits; an error means
  // the transaction failed as a whole.
  Result<void> commit_batch(std::vector<Op>& batch, std::vector<Result<void>>& results);
  // Runs `op` under a savepoint, its outcome into `result`; an error means the transaction
  // cannot go on.
  Result<void> apply_in_savepoint(Op& op, Result<void>& result);
  Result<void> apply(Op& op);

  Database m_db;
  Repositories m_repos;
  StoreWriterOptions m_options;
  mutable std::mutex m_mutex;
  std::condition_variable m_work;      // the thread waits for writes or stop
  std::condition_variable m_progress;  // flush() waits for completions
  std::deque<Op> m_queue;
  std::uint64_t m_submitted = 0;
  std::uint64_t m_finished = 0;
  bool m_stopping = false;
  bool m_idle = false;  // the thread waits for writes: the next submit must wake it
  StoreWriterStats m_stats;
  std::thread m_thread;  // last: starts once everything above exists
};

}  // namespace cs::store
