#include "devbroker/api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cs::api {

RateLimiter::Bucket& RateLimiter::bucket(const std::string& key, Clock::time_point now) {
  auto it = m_buckets.find(key);
  if (it == m_buckets.end()) {
    if (m_buckets.size() >= m_max_keys) make_room(now);
    it = m_buckets.emplace(key, Bucket{m_limit.burst, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min(m_limit.burst, b.tokens + elapsed * m_limit.rate);
    b.updated = now;
  }
  return b;
}

void RateLimiter::make_room(Clock::time_point now) {
  const auto refill = std::chrono::duration<double>(m_limit.burst / m_limit.rate);
  std::erase_if(m_buckets, [&](const auto& entry) {
    const auto& b = entry.second;
    return b.tokens + std::chrono::duration<double>(now - b.updated).count() * m_limit.rate >=
               m_limit.burst ||
           now - b.updated >= refill;
  });
  if (m_buckets.size() < m_max_keys) return;
  auto stalest = std::min_element(
      m_buckets.begin(), m_buckets.end(),
      [](const auto& a, const auto& b) { return a.second.updated < b.second.updated; });
  m_buckets.erase(stalest);
}

std::chrono::milliseconds RateLimiter::take(const std::string& key, Clock::time_point now) {
  if (m_limit.unlimited()) return std::chrono::milliseconds(0);
  std::lock_guard lock(m_mutex);
  Bucket& b = bucket(key, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::chrono::milliseconds(0);
  }
  const double seconds = (1 - b.tokens) / m_limit.rate;
  return std::chrono::milliseconds(static_cast<long>(std::ceil(seconds * 1000)));
}

std::chrono::milliseconds RateLimiter::wait_time(const std::string& key, Clock::time_point now) {
  if (m_limit.unlimited()) return std::chrono::milliseconds(0);
  std::lock_guard lock(m_mutex);
  Bucket& b = bucket(key, now);
  if (b.tokens >= 1) return std::chrono::milliseconds(0);
  const double seconds = (1 - b.tokens) / m_limit.rate;
  return std::chrono::milliseconds(static_cast<long>(std::ceil(seconds * 1000)));
}

long retry_after_seconds(std::chrono::milliseconds wait) {
  return std::max<long>(1, static_cast<long>((wait.count() + 999) / 1000));
}

}  // namespace cs::api
