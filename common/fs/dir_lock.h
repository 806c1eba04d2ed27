#pragma once
// An exclusive advisory lock on a directory, so two processes starting on one data directory do
// not both create the same files (a CA, signing keys).

#include <filesystem>

namespace cs::fs {

class DirectoryLock {
 public:
  /// Blocks until it holds an exclusive flock on `dir`/.lock (created 0600 when missing). When
  /// the lock file cannot be opened it holds nothing and locked() is false.
  explicit DirectoryLock(const std::filesystem::path& dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  /// True when the lock is held.
  bool locked() const { return m_fd >= 0; }

 private:
  int m_fd;
};

}  // namespace cs::fs
