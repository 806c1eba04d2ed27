#include "devbroker/store/store_writer.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

Error batch_error(const Error& cause) {
  return Error(ErrorCode::io, concat({"the write was not committed: ", cause.message}));
}

}  // namespace

StoreWriter::StoreWriter(Database connection, StoreWriterOptions options)
    : m_db(std::move(connection)), m_repos(m_db), m_options(options) {
  m_options.queue_capacity = std::max<std::size_t>(m_options.queue_capacity, 1);
  m_options.max_batch = std::max<std::size_t>(m_options.max_batch, 1);
  m_thread = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter() {
  stop();
}

Result<void> StoreWriter::submit(Write write, Done done) {
  bool wake = false;
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping) return fail(ErrorCode::unavailable, "the store writer has stopped");
    if (m_queue.size() >= m_options.queue_capacity) {
      return fail(ErrorCode::unavailable,
                  concat({"the store's write queue is full (",
                          std::to_string(m_options.queue_capacity), " writes)"}));
    }
    m_queue.push_back(Op{std::move(write), std::move(done)});
    ++m_submitted;
    // Only an idle writer needs waking, and only once: one busy with a commit takes this write
    // in its next batch without a signal (a futex wake per write, for nothing, at high rates).
    wake = std::exchange(m_idle, false);
  }
  if (wake) m_work.notify_one();
  return {};
}

void StoreWriter::flush() {
  std::unique_lock lock(m_mutex);
  const std::uint64_t target = m_submitted;
  m_progress.wait(lock, [&] { return m_finished >= target; });
}

void StoreWriter::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_work.notify_one();
  if (m_thread.joinable()) m_thread.join();
}

StoreWriterStats StoreWriter::stats() const {
  std::lock_guard lock(m_mutex);
  return m_stats;
}

void StoreWriter::run() {
  std::vector<Op> batch;
  for (;;) {
    {
      std::unique_lock lock(m_mutex);
      m_idle = true;
      m_work.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
      m_idle = false;
      if (m_queue.empty()) return;  // stopping, and everything queued is done
      // Natural group commit: everything that queued up during the last commit, up to a cap.
      const std::size_t count = std::min(m_queue.size(), m_options.max_batch);
      for (std::size_t i = 0; i < count; ++i) {
        batch.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
      }
    }
    run_batch(batch);
    {
      std::lock_guard lock(m_mutex);
      m_finished += batch.size();
    }
    m_progress.notify_all();
    batch.clear();
  }
}

Result<void> StoreWriter::apply(Op& op) {
  try {
    return op.write(m_repos);
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, concat({"a store write failed: ", e.what()}));
  }
}

Result<void> StoreWriter::apply_in_savepoint(Op& op, Result<void>& result) {
  if (auto saved = m_db.execute("SAVEPOINT store_writer_op"); !saved) return fail(saved.error());
  result = apply(op);
  if (result) {
    if (auto released = m_db.execute("RELEASE store_writer_op"); !released) {
      return fail(released.error());
    }
    return {};
  }
  // A full disk or an I/O error dooms the whole transaction (SQLite may already have rolled it
  // back); any other failure belongs to this write alone.
  if (result.error().code == ErrorCode::io || !m_db.in_transaction()) return fail(result.error());
  auto undone = m_db.execute("ROLLBACK TO store_writer_op");
  if (undone) undone = m_db.execute("RELEASE store_writer_op");
  if (!undone) return fail(undone.error());
  return {};
}

Result<void> StoreWriter::commit_batch(std::vector<Op>& batch, std::vector<Result<void>>& results) {
  if (auto begun = m_db.execute("BEGIN IMMEDIATE"); !begun) return fail(begun.error());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (auto applied = apply_in_savepoint(batch[i], results[i]); !applied) return applied;
  }
  if (auto committed = m_db.execute("COMMIT"); !committed) return fail(committed.error());
  return {};
}

void StoreWriter::run_batch(std::vector<Op>& batch) {
  std::vector<Result<void>> results(batch.size());
  auto committed = commit_batch(batch, results);
  if (!committed) {
    if (m_db.in_transaction()) (void)m_db.execute("ROLLBACK");
    const Error error = batch_error(committed.error());
    for (auto& result : results) result = fail(error);
  }
  {
    std::lock_guard lock(m_mutex);
    ++m_stats.batches;
    if (!committed) ++m_stats.failed_batches;
    m_stats.largest_batch = std::max(m_stats.largest_batch, batch.size());
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(results[i]);
  }
  std::lock_guard lock(m_mutex);
  m_stats.writes += batch.size();
}

}  // namespace cs::store
