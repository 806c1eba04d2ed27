#pragma once
// Everything a command reads from or writes to the outside world. main() wires the real
// process; tests wire string streams, a fixed environment and no keyring.

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cs::credentials {
class SecretBackend;
}

namespace cs::cli {

struct Context {
  std::ostream& out;  // data a script may read (tables, JSON)
  std::ostream& err;  // status, progress and errors for a person
  std::function<std::optional<std::string>(std::string_view)> getenv;
  // The wall clock (certificate validity, token expiry); the real one unless a test sets another.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // Standard input (a token for `login --with-token`, messages for `pub -l`, a password for
  // `-P -`, secrets passed as `-`, confirmations); null reads as empty.
  std::istream* in = nullptr;
  // A monotonic clock for deadlines; the real one unless a test sets another.
  std::function<std::chrono::steady_clock::time_point()> steady_now = [] {
    return std::chrono::steady_clock::now();
  };
  bool interactive = false;  // stdin and stderr are a terminal (a person may answer)
  // The OS keyring for credentials; null when there is none (tests use the file).
  credentials::SecretBackend* keyring = nullptr;
  // Opens a URL in the user's browser (`login`); empty when there is none to open.
  std::function<Result<void>(const std::string& url)> open_url = nullptr;
  // Whether stdin and stdout are terminals: prompts and styled tables only then.
  bool stdin_is_tty = false;
  bool stdout_is_tty = false;
  // -q / --quiet: results and errors only, no progress or confirmations.
  bool quiet = false;

  /// Where a command says what it did ("Created user ..."): `err`, or nowhere under --quiet.
  std::ostream& status();
  /// True when the environment variable `name` is set to something other than "".
  bool env_set(std::string_view name) const;
};

}  // namespace cs::cli
