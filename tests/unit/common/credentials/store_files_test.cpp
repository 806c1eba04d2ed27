// The store's files: permissions, atomic replacement, damaged files, write failures, and the
// lock that keeps concurrent writers from losing updates.

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "common/credentials/store.h"
#include "tests/unit/common/credentials/store_fixture.h"

using namespace std::chrono_literals;
using namespace cs::credentials;
using namespace cs::credentials::test;
using cs::ErrorCode;

namespace {

void write_raw(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace

TEST_CASE("group or world access to the credentials is narrowed, with a warning", "[credentials]") {
  StoreFixture f;
  REQUIRE(f.store(StoreChoice::file).save("default", sample_session()));
  REQUIRE(::chmod(f.file().c_str(), 0644) == 0);
  REQUIRE(::chmod(f.dir.c_str(), 0755) == 0);
  CHECK(f.store().load("default").value());
  CHECK(mode_of(f.file()) == 0600);
  CHECK(mode_of(f.dir) == 0700);
  REQUIRE(f.warnings.size() == 2);
  CHECK(f.warnings[0] == "credentials directory " + f.dir.string() +
                             " was accessible to other users (mode 0755); it is now 0700.");
  CHECK(f.warnings[1] == "credentials file " + f.file().string() +
                             " was accessible to other users (mode 0644); it is now 0600. Its "
                             "secrets may have been read: consider signing in again.");
  f.warnings.clear();
  CHECK(f.store().load("default").value());
  CHECK(f.warnings.empty());
}

TEST_CASE("saving replaces the file atomically and leaves no temporary file", "[credentials]") {
  StoreFixture f;
  const auto store = f.store(StoreChoice::file);
  REQUIRE(store.save("default", sample_session()));
  const std::string before = f.text();
  const int old_fd = ::open(f.file().c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(old_fd >= 0);
  struct stat old_st {};
  REQUIRE(::fstat(old_fd, &old_st) == 0);

  REQUIRE(store.save("work", sample_session("at-w", "rt-w")));
  struct stat new_st {};
  REQUIRE(::stat(f.file().c_str(), &new_st) == 0);
  CHECK(new_st.st_ino != old_st.st_ino);  // a new file took the name; the old one was not edited
  std::string old_text(before.size() + 16, '\0');
  const ssize_t n = ::pread(old_fd, old_text.data(), old_text.size(), 0);
  ::close(old_fd);
  old_text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  CHECK(old_text == before);
  CHECK(parse_document(f.text())->profiles.size() == 2);
  CHECK(entries(f.dir) == std::vector<std::string>{"credentials.json", "credentials.lock"});
}

TEST_CASE("a write that fails part-way leaves the old file whole", "[credentials]") {
  StoreFixture f;
  const auto store = f.store(StoreChoice::file);
  REQUIRE(store.save("default", sample_session()));
  const std::string before = f.text();
  REQUIRE(before.size() > 200);

  // A file size limit below the new file's size fails its write as a full disk would.
  struct rlimit saved {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  const auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tiny = saved;
  tiny.rlim_cur = 100;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
  const auto r = store.save("work", sample_session(std::string(500, 'a'), "rt-w"));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, old_handler);

  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::io);
  CHECK(r.error().message == "cannot write " + f.file().string() + ": File too large");
  CHECK(f.text() == before);
  CHECK(entries(f.dir) == std::vector<std::string>{"credentials.json", "credentials.lock"});
  CHECK(store.resolve_secrets("default")->access_token == "at-1");
}

TEST_CASE("a damaged file is reported, moved aside and never overwritten", "[credentials]") {
  StoreFixture f;
  const std::string damaged =
      "{\"version\": 1, \"profiles\": {\"default\": {\"access_token\": \"at";
  write_raw(f.file(), damaged);
  const auto aside = f.file().string() + ".corrupt-20260115T130000Z";

  const auto r = f.store().save("default", sample_session());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::io);
  CHECK(r.error().message == "credentials file " + f.file().string() +
                                 " is damaged: not valid JSON; it was moved to " + aside);
  CHECK(r.error().hint == "sign in again with `cloudsignal login`");
  CHECK(cs::test::read_file(aside) == damaged);
  CHECK_FALSE(std::filesystem::exists(f.file()));

  // The next write starts afresh; the damaged copy stays.
  REQUIRE(f.store().save("default", sample_session()));
  CHECK(cs::test::read_file(aside) == damaged);

  // Damage found by a read is handled the same way, without replacing the first copy.
  write_raw(f.file(), R"({"version": 1, "profiles": {"default": {"storage": "file"}}})");
  const auto listed = f.store().list();
  REQUIRE_FALSE(listed);
  CHECK(listed.error().message == "credentials file " + f.file().string() +
                                      " is damaged: profile \"default\": api_url is missing; it "
                                      "was moved to " +
                                      aside + "-2");
  CHECK(cs::test::read_file(aside) == damaged);
  CHECK(std::filesystem::exists(aside + "-2"));
  CHECK(f.store().list().value().empty());
}

TEST_CASE("a file from a newer cloudsignal is neither moved nor overwritten", "[credentials]") {
  StoreFixture f;
  const std::string newer = R"({"version": 2, "profiles": {"default": {"vault": "x"}}})";
  write_raw(f.file(), newer);
  const auto r = f.store().save("default", sample_session());
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "credentials file " + f.file().string() +
                                 " cannot be used: written by a newer cloudsignal (file version "
                                 "2, this cloudsignal reads version 1)");
  CHECK(r.error().hint == "upgrade cloudsignal");
  CHECK(f.store().load("default").error().reason == k_reason_newer_version);
  CHECK(f.text() == newer);
  CHECK(entries(f.dir) == std::vector<std::string>{"credentials.json", "credentials.lock"});
}

TEST_CASE("a credentials path that is not a file is an error and is left alone", "[credentials]") {
  StoreFixture f;
  std::filesystem::create_directories(f.file());
  const auto r = f.store().list();
  REQUIRE_FALSE(r);
  CHECK(r.error().message == f.file().string() + " is not a regular file");
  CHECK(std::filesystem::is_directory(f.file()));
}

TEST_CASE("concurrent writers in threads lose no update", "[credentials][lock]") {
  StoreFixture f;
  REQUIRE(f.store(StoreChoice::file).save("counter", sample_session("0")));
  constexpr int k_threads = 6;
  constexpr int k_rounds = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&f, &failures, t] {
      const auto store = f.store(StoreChoice::file);
      for (int i = 0; i < k_rounds; ++i) {
        const auto mine = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!store.save("t" + std::to_string(t), sample_session(mine))) ++failures;
        const auto bumped = store.update("counter", [](Session& s) -> cs::Result<void> {
          s.secrets.access_token = std::to_string(std::stoi(*s.secrets.access_token) + 1);
          return {};
        });
        if (!bumped) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  const auto store = f.store(StoreChoice::file);
  CHECK(store.resolve_secrets("counter")->access_token == std::to_string(k_threads * k_rounds));
  for (int t = 0; t < k_threads; ++t) {
    CHECK(store.resolve_secrets("t" + std::to_string(t))->access_token ==
          "t" + std::to_string(t) + "-" + std::to_string(k_rounds - 1));
  }
  CHECK(entries(f.dir) == std::vector<std::string>{"credentials.json", "credentials.lock"});
}

TEST_CASE("a lock held too long makes the store give up with a clear error",
          "[credentials][lock]") {
  StoreFixture f;
  REQUIRE(f.store(StoreChoice::file).save("default", sample_session()));
  auto held = cs::fs::FileLock::acquire(f.dir / "credentials.lock", 1s);
  REQUIRE(held);
  StoreOptions options;
  options.choice = StoreChoice::file;
  options.lock_timeout = 100ms;
  const CredentialStore impatient(f.dir, options);
  const auto r = impatient.save("default", sample_session("at-2"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::timeout);
  CHECK(r.error().message == "another process has held the lock " +
                                 (f.dir / "credentials.lock").string() + " for too long");
  CHECK(impatient.load("default").error().code == ErrorCode::timeout);
  { const auto released = std::move(*held); }
  CHECK(impatient.save("default", sample_session("at-2")));
  CHECK(impatient.resolve_secrets("default")->access_token == "at-2");
}
