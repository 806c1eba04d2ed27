#include "common/fs/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace cs::fs {

DirectoryLock::DirectoryLock(const std::filesystem::path& dir)
    : m_fd(::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (m_fd < 0) return;
  while (::flock(m_fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    ::close(m_fd);
    m_fd = -1;
    return;
  }
}

DirectoryLock::~DirectoryLock() {
  // Closing the descriptor releases the flock.
  if (m_fd >= 0) ::close(m_fd);
}

}  // namespace cs::fs
