#pragma once
// Token buckets keyed by who is asking (an API key, a session, an address): `rate` requests per
// second with bursts of `burst`. Thread-safe; the clock is passed in. The number of buckets is
// bounded: when full, buckets that have refilled completely (which limit nothing) are dropped,
// and if none has, the stalest one is. A rate of 0 limits nothing.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cs::api {

struct RateLimit {
  double rate = 100;   // tokens per second; 0 = no limit
  double burst = 200;  // bucket size

  /// `rate` requests per second with bursts of twice that (API.md's ratio); 0 = no limit.
  static RateLimit per_second(double rate) { return RateLimit{rate, 2 * rate}; }
  bool unlimited() const { return rate <= 0; }
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimit limit, std::size_t max_keys = 10000)
      : m_limit(limit), m_max_keys(max_keys) {}

  /// Takes one token from `key`'s bucket at `now`: zero when allowed, else how long until a
  /// token is available (for Retry-After).
  std::chrono::milliseconds take(const std::string& key, Clock::time_point now);

  /// How long until `key`'s bucket holds a token at `now`, without taking one.
  std::chrono::milliseconds wait_time(const std::string& key, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  Bucket& bucket(const std::string& key, Clock::time_point now);
  void make_room(Clock::time_point now);

  RateLimit m_limit;
  std::size_t m_max_keys;
  std::mutex m_mutex;
  std::unordered_map<std::string, Bucket> m_buckets;
};

/// Whole seconds for a Retry-After header: `wait` rounded up, at least 1.
long retry_after_seconds(std::chrono::milliseconds wait);

}  // namespace cs::api
