// Crash durability of the store: a child process writes through StoreWriter and reports each
// write it was told is committed; after SIGKILL, every reported write must be in the database.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <sstream>
#include <string>

#include "devbroker/store/store.h"
#include "tests/support/process.h"

extern char** environ;

using namespace std::chrono_literals;
using namespace cs::store;

namespace {

constexpr std::size_t k_acknowledged_before_kill = 3000;

struct Child {
  pid_t pid = -1;
  int out = -1;  // the read end of the child's stdout
};

Child spawn_child(const std::string& data_dir) {
  int fds[2];
  REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::string binary = CS_STORE_CRASH_CHILD;
  std::string dir = data_dir;
  char* argv[] = {binary.data(), dir.data(), nullptr};
  Child child;
  const int rc = posix_spawn(&child.pid, binary.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  REQUIRE(rc == 0);
  child.out = fds[0];
  return child;
}

// Reads whatever is available within `wait`; returns false at end of file.
bool read_some(int fd, std::string& into, std::chrono::milliseconds wait) {
  pollfd pfd{fd, POLLIN, 0};
  if (poll(&pfd, 1, static_cast<int>(wait.count())) <= 0) return true;
  char buffer[65536];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::set<std::int64_t> ids_in(const std::string& text) {
  std::set<std::int64_t> ids;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (lines.eof()) break;  // an unterminated last line was never fully reported
    ids.insert(std::stoll(line));
  }
  return ids;
}

}  // namespace

TEST_CASE("every write acknowledged before SIGKILL is in the database after reopening",
          "[integration][store]") {
  cs::test::TempDir dir;
  Child child = spawn_child(dir.path());
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool open = true;
  while (open &&
         std::count(output.begin(), output.end(), '\n') <
             static_cast<std::ptrdiff_t>(k_acknowledged_before_kill) &&
         std::chrono::steady_clock::now() < deadline) {
    open = read_some(child.out, output, 100ms);
  }
  REQUIRE(kill(child.pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(child.pid, &status, 0) == child.pid);
  while (read_some(child.out, output, 1000ms)) {
  }  // what was written before the kill is still in the pipe
  close(child.out);
  INFO("child output: " << output.substr(0, 200));
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  const auto acknowledged = ids_in(output);
  REQUIRE(acknowledged.size() >= k_acknowledged_before_kill);

  auto store = open_store(dir.path(), Ephemeral::no);
  REQUIRE(store);
  const auto session = store->repos().sessions.load("crash").value();
  REQUIRE(session);
  std::set<std::int64_t> queued;
  for (const auto& message : session->queue) queued.insert(message.seq);
  std::set<std::string> retained;
  const auto retained_messages = store->repos().retained.list(cs::SysSeconds{}).value();
  for (const auto& message : retained_messages) {
    retained.insert(message.topic);
  }
  std::size_t missing = 0;
  for (std::int64_t id : acknowledged) {
    if (!queued.contains(id) || !retained.contains("crash/" + std::to_string(id))) ++missing;
  }
  CHECK(missing == 0);
  CHECK(queued.size() >= acknowledged.size());  // committed but not yet reported is fine
  CHECK(queued.size() == retained.size());      // each write is all or nothing
}
