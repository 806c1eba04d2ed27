#include "cli/browser.h"

#include <fcntl.h>
#include <spawn.h>

#include <cstring>
#include <vector>

extern char** environ;

namespace cs::cli {

Result<void> open_in_browser(const std::string& url, const std::optional<std::string>& browser) {
  std::string program = browser && !browser->empty() ? *browser : "xdg-open";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::string arg = url;
  std::vector<char*> argv = {program.data(), arg.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::string message = "cannot start the browser ";
    message.append(program).append(": ").append(std::strerror(rc));
    return fail(ErrorCode::io, std::move(message), "open the URL above yourself");
  }
  return {};
}

}  // namespace cs::cli
