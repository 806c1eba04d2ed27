#include "common/fs/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/crypto/random.h"

namespace cs::fs {
namespace {

auto io_error(const std::string& what, const std::filesystem::path& path, int err) {
  return fail(ErrorCode::io, what + " " + path.string() + ": " + std::strerror(err));
}

// Writes all of `content` to `fd`, retrying short writes and interrupted calls.
bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                               unsigned mode) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  auto temp = dir / ("." + path.filename().string() + ".tmp-" +
                     crypto::random_string(crypto::k_lowercase_alnum, 8));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return io_error("cannot create", temp, errno);
  // The umask may have narrowed `mode`; set it exactly (it never widens beyond `mode`).
  bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
  const int write_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(temp.c_str());
    return io_error("cannot write", path, write_errno);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return io_error("cannot replace", path, err);
  }
  // Make the rename itself durable.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

Result<void> make_private_dir(const std::filesystem::path& path, unsigned mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return {};
  if (path.has_parent_path() && !path.parent_path().empty()) {
    auto parent = make_private_dir(path.parent_path(), mode);
    if (!parent) return parent;
  }
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return io_error("cannot create directory", path, errno);
  }
  if (!std::filesystem::is_directory(path, ec)) {
    return fail(ErrorCode::io, path.string() + " exists and is not a directory");
  }
  return {};
}

}  // namespace cs::fs
