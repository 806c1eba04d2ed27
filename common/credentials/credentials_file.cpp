#include "common/credentials/credentials_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "common/fs/atomic_file.h"

namespace cs::credentials {
namespace {

constexpr int k_max_aside_attempts = 100;

tl::unexpected<Error> io_error(std::string what, const std::filesystem::path& path, int err) {
  what.append(" ").append(path.string()).append(": ").append(std::strerror(err));
  return fail(ErrorCode::io, std::move(what));
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Closes the descriptor it holds on every return path.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Result<std::string> read_all(int fd, const std::filesystem::path& file) {
  std::string text;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", file, errno);
    if (n == 0) return text;
    // A file that grows past the limit while being read is as damaged as one that started there.
    if (text.size() + static_cast<std::size_t>(n) > k_max_file_bytes)
      return text.append(buffer, static_cast<std::size_t>(n));
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

// Group or other access to a file of secrets means they may have been read already: narrow the
// mode (fixing beats refusing, which would leave the file exposed) and say so.
Result<void> restrict_file(int fd, const struct stat& st, const std::filesystem::path& file,
                           const WarningSink& warn) {
  if ((st.st_mode & 077) == 0) return {};
  if (::fchmod(fd, 0600) != 0) {
    auto error = io_error("cannot narrow the permissions (now " + octal_mode(st.st_mode) + ") of",
                          file, errno);
    error.value().hint = "run: chmod 600 " + file.string();
    return error;
  }
  if (warn) {
    std::string line = "credentials file ";
    line.append(file.string())
        .append(" was accessible to other users (mode ")
        .append(octal_mode(st.st_mode))
        .append("); it is now 0600. Its secrets may have been read: consider signing in again.");
    warn(line);
  }
  return {};
}

std::string compact_time(SysSeconds now) {
  std::string text;
  for (const char c : format_rfc3339(now)) {
    if (c != '-' && c != ':') text.push_back(c);
  }
  return text;
}

// Renames without replacing: renameat2 where the file system supports it, else link + unlink.
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::link(from.c_str(), to.c_str()) != 0) return -1;
  return ::unlink(from.c_str());
}

}  // namespace

Result<void> restrict_directory(const std::filesystem::path& dir, const WarningSink& warn) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return io_error("cannot inspect", dir, errno);
  if ((st.st_mode & 077) == 0) return {};
  if (::chmod(dir.c_str(), 0700) != 0) {
    return io_error("cannot narrow the permissions (now " + octal_mode(st.st_mode) + ") of", dir,
                    errno);
  }
  if (warn) {
    std::string line = "credentials directory ";
    line.append(dir.string())
        .append(" was accessible to other users (mode ")
        .append(octal_mode(st.st_mode))
        .append("); it is now 0700.");
    warn(line);
  }
  return {};
}

Result<Document> read_document(const std::filesystem::path& file, const WarningSink& warn) {
  const Fd f{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0 && errno == ENOENT) return Document{};
  if (f.fd < 0) return io_error("cannot open", file, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return io_error("cannot inspect", file, errno);
  if (!S_ISREG(st.st_mode)) return fail(ErrorCode::io, file.string() + " is not a regular file");
  if (auto r = restrict_file(f.fd, st, file, warn); !r) return fail(r.error());
  auto text = read_all(f.fd, file);
  if (!text) return fail(text.error());
  auto document = parse_document(*text);
  if (document) return document;
  Error error = document.error();
  std::string message = "credentials file ";
  message.append(file.string());
  message.append(error.reason == k_reason_corrupt ? " is damaged: " : " cannot be used: ");
  error.message = message.append(error.message);
  return fail(std::move(error));
}

Result<void> write_document(const std::filesystem::path& file, const Document& document) {
  return fs::write_file_atomic(file, serialize_document(document), 0600);
}

Result<std::filesystem::path> move_aside(const std::filesystem::path& file, SysSeconds now) {
  const std::string base = file.string() + ".corrupt-" + compact_time(now);
  for (int attempt = 1; attempt <= k_max_aside_attempts; ++attempt) {
    std::filesystem::path target = base;
    if (attempt > 1) target += "-" + std::to_string(attempt);
    if (rename_no_replace(file, target) == 0) {
      const Fd dir{::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
      if (dir.fd >= 0) ::fsync(dir.fd);
      return target;
    }
    if (errno != EEXIST) return io_error("cannot move aside", file, errno);
  }
  return fail(ErrorCode::io, "cannot move aside " + file.string() + ": too many damaged copies",
              "delete old " + file.filename().string() + ".corrupt-* files");
}

}  // namespace cs::credentials
