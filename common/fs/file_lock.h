#pragma once
// An exclusive advisory lock (flock) on a lock file, held by one object: processes and threads
// that take it around a read-modify-write of a shared file never interleave their updates.

#include <chrono>
#include <filesystem>

#include "common/result.h"

namespace cs::fs {

class FileLock {
 public:
  /// Takes an exclusive lock on `path` (created with mode 0600 when absent), waiting at most
  /// `timeout` for another holder to release it; a `timeout` error names the file.
  static Result<FileLock> acquire(const std::filesystem::path& path,
                                  std::chrono::milliseconds timeout);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  /// Releases the lock.
  ~FileLock();

 private:
  explicit FileLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

}  // namespace cs::fs
