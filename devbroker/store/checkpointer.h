#pragma once
// WAL checkpoints off the write path. Every connection is opened with automatic checkpoints off
// (database.cpp), so a commit never stops to copy the log into the database file; instead a
// Checkpointer runs a PASSIVE checkpoint on a connection and thread of its own every interval.
// PASSIVE never waits for readers or writers: it copies what it can and tries again later.
//
// Under steady load a reader is nearly always on some snapshot, so PASSIVE rarely copies the
// whole log and the log never starts over: it grows without bound. Once it holds more than
// `restart_frames` frames, the Checkpointer runs a RESTART checkpoint, which waits (a few
// milliseconds at most, else it tries again next time) for readers to leave the log so that the
// next commit writes from its start; journal_size_limit (database.cpp) then trims the file.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "devbroker/store/database.h"

namespace cs::store {

inline constexpr std::chrono::milliseconds k_checkpoint_interval{1000};
/// A log past this many frames (32 MiB of 4 KiB pages) is restarted.
inline constexpr int k_restart_frames = 8192;
/// How long a RESTART checkpoint may wait for the write lock and for readers.
inline constexpr std::chrono::milliseconds k_restart_wait{20};

class Checkpointer {
 public:
  /// Starts checkpointing the database of `connection` (a connection of its own) every
  /// `interval`, restarting the log once it holds more than `restart_frames` frames.
  Checkpointer(Database connection, std::chrono::milliseconds interval = k_checkpoint_interval,
               int restart_frames = k_restart_frames);
  /// Stops the thread; the last connection to close checkpoints what is left.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// How many log frames the checkpoints so far copied into the database file.
  std::int64_t frames_checkpointed() const;
  /// How many times the log was restarted.
  std::int64_t restarts() const;

 private:
  void run();
  // One PASSIVE checkpoint, then a RESTART when the log is long; the frames copied, or the
  // failing SQLite result code.
  int checkpoint(int& copied, bool& restarted);

  Database m_db;
  std::chrono::milliseconds m_interval;
  int m_restart_frames;
  int m_restarted_at = -1;  // the log's length at the last restart (checkpoint thread only)
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::int64_t m_frames = 0;
  std::int64_t m_restarts = 0;
  bool m_failing = false;
  std::thread m_thread;
};

}  // namespace cs::store
