#include "devbroker/store/checkpointer.h"

#include <sqlite3.h>
#include <string>

#include "common/log.h"

namespace cs::store {

Checkpointer::Checkpointer(Database connection, std::chrono::milliseconds interval)
    : m_db(std::move(connection)), m_interval(interval), m_thread([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

std::int64_t Checkpointer::frames_checkpointed() const {
  std::lock_guard lock(m_mutex);
  return m_frames;
}

void Checkpointer::run() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (m_wake.wait_for(lock, m_interval, [this] { return m_stop; })) return;
    lock.unlock();
    int log_frames = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &log_frames, &copied);
    lock.lock();
    // A busy database is the normal case for PASSIVE: what was not copied waits for next time.
    const bool failed = rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED;
    if (failed && !m_failing) {
      log::warn(std::string("WAL checkpoint of ") + m_db.name() + " failed: " + sqlite3_errstr(rc) +
                " (the log grows until one succeeds)");
    } else if (!failed && m_failing) {
      log::info(std::string("WAL checkpoints of ") + m_db.name() + " succeed again");
    }
    m_failing = failed;
    if (copied > 0) m_frames += copied;
  }
}

}  // namespace cs::store
