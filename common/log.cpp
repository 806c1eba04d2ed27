#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "common/time/rfc3339.h"

namespace cs::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::mutex g_write_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::error:
      return "error";
    case Level::warn:
      return "warn";
    case Level::info:
      return "info";
    case Level::debug:
      return "debug";
  }
  return "info";
}

}  // namespace

void set_level(Level level) {
  g_level.store(static_cast<int>(level));
}

bool enabled(Level level) {
  return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed);
}

bool parse_level(std::string_view text, Level& level) {
  for (Level l : {Level::error, Level::warn, Level::info, Level::debug}) {
    if (text == level_name(l)) {
      level = l;
      return true;
    }
  }
  return false;
}

void write(Level level, std::string_view message) {
  if (!enabled(level)) return;
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::string line = format_rfc3339(now);
  line.push_back(' ');
  line.append(level_name(level));
  line.push_back(' ');
  line.append(message);
  line.push_back('\n');
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace cs::log
