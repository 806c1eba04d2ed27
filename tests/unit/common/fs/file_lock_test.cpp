#include "common/fs/file_lock.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::fs::FileLock;

TEST_CASE("a file lock excludes a second holder until it is released", "[fs][lock]") {
  cs::test::TempDir tmp;
  const auto path = std::filesystem::path(tmp.path()) / "x.lock";
  std::optional<FileLock> first;
  first.emplace(FileLock::acquire(path, 1s).value());

  const auto start = std::chrono::steady_clock::now();
  const auto second = FileLock::acquire(path, 100ms);
  CHECK(std::chrono::steady_clock::now() - start >= 100ms);
  REQUIRE_FALSE(second);
  CHECK(second.error().code == cs::ErrorCode::timeout);
  CHECK(second.error().message ==
        "another process has held the lock " + path.string() + " for too long");

  FileLock moved = std::move(*first);
  first.reset();
  CHECK_FALSE(FileLock::acquire(path, 10ms));  // the moved-to object still holds it
  { const FileLock released = std::move(moved); }
  CHECK(FileLock::acquire(path, 10ms));
}

TEST_CASE("a lock file is created readable only by its owner", "[fs][lock]") {
  cs::test::TempDir tmp;
  const auto path = std::filesystem::path(tmp.path()) / "x.lock";
  REQUIRE(FileLock::acquire(path, 1s));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
}

TEST_CASE("a lock in a missing directory is an io error naming it", "[fs][lock]") {
  cs::test::TempDir tmp;
  const auto path = std::filesystem::path(tmp.path()) / "missing" / "x.lock";
  const auto r = FileLock::acquire(path, 1s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::io);
  CHECK(r.error().message ==
        "cannot open lock file " + path.string() + ": No such file or directory");
}
