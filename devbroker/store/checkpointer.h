#pragma once
// WAL checkpoints off the write path. Every connection is opened with automatic checkpoints off
// (database.cpp), so a commit never stops to copy the log into the database file; instead a
// Checkpointer runs a PASSIVE checkpoint on a connection and thread of its own every interval.
// PASSIVE never waits for readers or writers: it copies what it can and tries again later.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "devbroker/store/database.h"

namespace cs::store {

inline constexpr std::chrono::milliseconds k_checkpoint_interval{1000};

class Checkpointer {
 public:
  /// Starts checkpointing the database of `connection` (a connection of its own) every
  /// `interval`.
  Checkpointer(Database connection, std::chrono::milliseconds interval = k_checkpoint_interval);
  /// Stops the thread; the last connection to close checkpoints what is left.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// How many log frames the checkpoints so far copied into the database file.
  std::int64_t frames_checkpointed() const;

 private:
  void run();

  Database m_db;
  std::chrono::milliseconds m_interval;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::int64_t m_frames = 0;
  bool m_failing = false;
  std::thread m_thread;
};

}  // namespace cs::store
