#pragma once
// Everything a command reads from or writes to the outside world. main() wires the real
// process; tests wire string streams and a fixed environment.

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace cs::cli {

struct Context {
  std::ostream& out;  // data a script may read (tables, JSON)
  std::ostream& err;  // status, progress and errors for a person
  std::function<std::optional<std::string>(std::string_view)> getenv;
  // The wall clock (certificate validity); the real one unless a test sets another.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // Standard input (messages for `pub -l`, a password for `-P -`, secrets passed as `-`,
  // confirmations); null reads as empty.
  std::istream* in = nullptr;
  // A monotonic clock for deadlines; the real one unless a test sets another.
  std::function<std::chrono::steady_clock::time_point()> steady_now = [] {
    return std::chrono::steady_clock::now();
  };
  // Whether stdin and stdout are terminals: prompts and styled tables only then.
  bool stdin_is_tty = false;
  bool stdout_is_tty = false;
};

}  // namespace cs::cli
