#include "devbroker/api/rate_limiter.h"

#include <catch2/catch.hpp>

namespace cs::api {

using namespace std::chrono_literals;

TEST_CASE("a bucket allows its burst, then refills at its rate", "[api][rate]") {
  RateLimiter limiter(RateLimit{10, 3});
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  CHECK(limiter.take("k", t0) == 0ms);
  CHECK(limiter.take("k", t0) == 0ms);
  CHECK(limiter.take("k", t0) == 0ms);
  CHECK(limiter.take("k", t0) == 100ms);    // one token every 100 ms
  CHECK(limiter.take("other", t0) == 0ms);  // buckets are per key
  CHECK(limiter.take("k", t0 + 50ms) == 50ms);
  CHECK(limiter.take("k", t0 + 100ms) == 0ms);
  CHECK(limiter.wait_time("k", t0 + 100ms) == 100ms);
  // A long pause refills to the burst, never beyond.
  for (int i = 0; i < 3; ++i) CHECK(limiter.take("k", t0 + 1h) == 0ms);
  CHECK(limiter.take("k", t0 + 1h) > 0ms);
}

TEST_CASE("the number of buckets is bounded", "[api][rate]") {
  RateLimiter limiter(RateLimit{1, 2}, 3);
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) {
    limiter.take("k" + std::to_string(i), t0 + i * 1ms);
    limiter.take("k" + std::to_string(i), t0 + i * 1ms);
  }
  // k0..k2 are empty and recent: a new key evicts the stalest (k0) rather than growing the map.
  CHECK(limiter.take("new", t0 + 3ms) == 0ms);
  // The exhausted keys that were kept are still limited; k0 starts afresh.
  CHECK(limiter.take("k2", t0 + 3ms) > 0ms);
  CHECK(limiter.take("k1", t0 + 3ms) > 0ms);
}

TEST_CASE("a rate of 0 limits nothing and keeps no buckets", "[api][rate]") {
  RateLimiter limiter(RateLimit::per_second(0), 1);
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 10000; ++i) REQUIRE(limiter.take("k" + std::to_string(i % 7), t0) == 0ms);
  CHECK(limiter.wait_time("k0", t0) == 0ms);
}

TEST_CASE("per_second keeps API.md's burst of twice the rate", "[api][rate]") {
  RateLimiter limiter(RateLimit::per_second(5));
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i) CHECK(limiter.take("k", t0) == 0ms);
  CHECK(limiter.take("k", t0) == 200ms);
}

TEST_CASE("Retry-After is whole seconds, rounded up, at least one", "[api][rate]") {
  CHECK(retry_after_seconds(0ms) == 1);
  CHECK(retry_after_seconds(10ms) == 1);
  CHECK(retry_after_seconds(1000ms) == 1);
  CHECK(retry_after_seconds(1001ms) == 2);
}

}  // namespace cs::api
