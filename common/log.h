#pragma once
// A small leveled logger writing one line per event to stderr. Callers check enabled() before
// building an expensive message. Secrets are never passed here.

#include <string_view>

namespace cs::log {

enum class Level { error = 0, warn = 1, info = 2, debug = 3 };

/// Sets the most verbose level that is written (default info).
void set_level(Level level);

/// True when messages at `level` are written.
bool enabled(Level level);

/// Parses "error", "warn", "info" or "debug".
bool parse_level(std::string_view text, Level& level);

/// Writes `message` at `level` as "2026-01-15T13:00:00Z info message".
void write(Level level, std::string_view message);

inline void error(std::string_view m) {
  write(Level::error, m);
}
inline void warn(std::string_view m) {
  write(Level::warn, m);
}
inline void info(std::string_view m) {
  write(Level::info, m);
}
inline void debug(std::string_view m) {
  write(Level::debug, m);
}

}  // namespace cs::log
