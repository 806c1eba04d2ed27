#include "common/fs/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

namespace cs::fs {

Result<FileLock> FileLock::acquire(const std::filesystem::path& path,
                                   std::chrono::milliseconds timeout) {
  // Each acquisition opens its own file description, so two threads of one process exclude each
  // other exactly as two processes do (flock locks belong to the open file description).
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return fail(ErrorCode::io,
                "cannot open lock file " + path.string() + ": " + std::strerror(errno));
  }
  FileLock lock(fd);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Polling rather than a blocking flock keeps the wait bounded without signals; the pause grows
  // so a long wait costs little CPU while a short one ends quickly.
  auto pause = std::chrono::milliseconds(1);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      return fail(ErrorCode::io, "cannot lock " + path.string() + ": " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail(ErrorCode::timeout,
                  "another process has held the lock " + path.string() + " for too long",
                  "wait for the other cloudsignal command to finish, then try again");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return lock;
}

FileLock::FileLock(FileLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

FileLock::~FileLock() {
  // Closing the only descriptor of the description releases the flock.
  if (m_fd >= 0) ::close(m_fd);
}

}  // namespace cs::fs
