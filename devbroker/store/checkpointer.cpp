#include "devbroker/store/checkpointer.h"

#include <algorithm>
#include <sqlite3.h>
#include <string>

#include "common/log.h"
#include "devbroker/store/busy_handler.h"

namespace cs::store {

namespace {

// PASSIVE never waits; a RESTART holds writers off while it waits, so it waits briefly.
Database waiting_briefly(Database connection) {
  set_busy_handler(connection.handle(), k_restart_wait);
  return connection;
}

}  // namespace

Checkpointer::Checkpointer(Database connection, std::chrono::milliseconds interval,
                           int restart_frames)
    : m_db(waiting_briefly(std::move(connection))),
      m_interval(interval),
      m_restart_frames(restart_frames),
      m_thread([this] { run(); }) {}

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

std::int64_t Checkpointer::restarts() const {
  std::lock_guard lock(m_mutex);
  return m_restarts;
}

int Checkpointer::checkpoint(int& copied, bool& restarted) {
  int log_frames = 0;
  int rc = sqlite3_wal_checkpoint_v2(m_db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                     &copied);
  // Nothing written since the last restart: the next commit starts the log over anyway.
  if (rc != SQLITE_OK || log_frames <= m_restart_frames || log_frames == m_restarted_at) return rc;
  int restart_copied = 0;
  rc = sqlite3_wal_checkpoint_v2(m_db.handle(), nullptr, SQLITE_CHECKPOINT_RESTART, &log_frames,
                                 &restart_copied);
  restarted = rc == SQLITE_OK;
  if (restarted) m_restarted_at = log_frames;
  copied = std::max(copied, restart_copied);
  return rc;
}

void Checkpointer::run() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (m_wake.wait_for(lock, m_interval, [this] { return m_stop; })) return;
    lock.unlock();
    int copied = 0;
    bool restarted = false;
    const int rc = checkpoint(copied, restarted);
    lock.lock();
    // A busy database is the normal case for PASSIVE, and a RESTART that found readers staying
    // is busy too: what was not done waits for next time.
    const bool failed = rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED;
    if (failed && !m_failing) {
      log::warn(std::string("WAL checkpoint of ") + m_db.name() + " failed: " + sqlite3_errstr(rc) +
                " (the log grows until one succeeds)");
    } else if (!failed && m_failing) {
      log::info(std::string("WAL checkpoints of ") + m_db.name() + " succeed again");
    }
    m_failing = failed;
    if (copied > 0) m_frames += copied;
    if (restarted) ++m_restarts;
  }
}

}  // namespace cs::store
