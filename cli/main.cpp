// The cloudsignal binary: wires the real process into the command tree.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/browser.h"
#include "common/credentials/libsecret_backend.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  cs::cli::Context ctx{std::cout, std::cerr,
                       [](std::string_view name) -> std::optional<std::string> {
                         const char* v = std::getenv(std::string(name).c_str());
                         if (v == nullptr) return std::nullopt;
                         return std::string(v);
                       }};
  ctx.in = &std::cin;
  ctx.interactive = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
  // Nothing is contacted until a command reads or writes credentials.
  cs::credentials::LibsecretBackend keyring;
  ctx.keyring = &keyring;
  ctx.open_url = [&ctx](const std::string& url) {
    return cs::cli::open_in_browser(url, ctx.getenv("BROWSER"));
  };
  ctx.stdin_is_tty = isatty(STDIN_FILENO) == 1;
  ctx.stdout_is_tty = isatty(STDOUT_FILENO) == 1;
  std::vector<std::string> args(argv + 1, argv + argc);
  const int code = cs::cli::run_cli(args, ctx);
  std::cout.flush();
  return code;
}
