#include "devbroker/store/busy_handler.h"

#include <cstdint>
#include <sqlite3.h>
#include <thread>

namespace cs::store {
namespace {

constexpr std::chrono::microseconds k_first_delay{20};
constexpr std::chrono::microseconds k_max_delay{1000};
constexpr int k_doublings = 6;  // 20 µs << 6 = 1280 µs: capped from here on

// SQLite's `count` is how many times the handler ran for this lock; `budget` travels as the
// context pointer's value, in microseconds, so nothing needs to outlive the call.
int wait_for_lock(void* budget, int count) {
  const auto limit = std::chrono::microseconds(reinterpret_cast<std::intptr_t>(budget));
  if (busy_waited(count) >= limit) return 0;
  std::this_thread::sleep_for(busy_delay(count));
  return 1;
}

}  // namespace

std::chrono::microseconds busy_delay(int attempt) {
  if (attempt >= k_doublings) return k_max_delay;
  return std::min(k_first_delay * (1 << std::max(attempt, 0)), k_max_delay);
}

std::chrono::microseconds busy_waited(int attempt) {
  if (attempt <= 0) return {};
  if (attempt <= k_doublings) return k_first_delay * ((1 << attempt) - 1);
  return busy_waited(k_doublings) + k_max_delay * (attempt - k_doublings);
}

void set_busy_handler(sqlite3* db, std::chrono::milliseconds budget) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(budget).count();
  sqlite3_busy_handler(db, wait_for_lock,
                       reinterpret_cast<void*>(static_cast<std::intptr_t>(micros)));
}

}  // namespace cs::store
