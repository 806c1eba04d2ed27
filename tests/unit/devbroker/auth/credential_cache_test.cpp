#include "devbroker/auth/credential_cache.h"

#include <catch2/catch.hpp>

using cs::auth::CredentialCache;
using namespace std::chrono_literals;

namespace {
const CredentialCache::Clock::time_point t0 = CredentialCache::Clock::time_point{} + 10h;
}

TEST_CASE("a remembered secret is found for its scope until its TTL", "[credential_cache]") {
  CredentialCache cache(10, 60s);
  cache.remember("user:alice", "pw", "alice", t0);
  CHECK(cache.find("user:alice", "pw", t0 + 59s) == "alice");
  CHECK_FALSE(cache.find("user:alice", "pw2", t0));
  CHECK_FALSE(cache.find("user:bob", "pw", t0));  // same secret, another user
  CHECK_FALSE(cache.find("user:alice", "pw", t0 + 60s));
  CHECK(cache.size() == 0);  // the expired entry was dropped
}

TEST_CASE("forgetting an owner drops all its entries", "[credential_cache]") {
  CredentialCache cache(10, 60s);
  cache.remember("key", "sk_a", "key_1", t0);
  cache.remember("key", "sk_b", "key_1", t0);
  cache.remember("key", "sk_c", "key_2", t0);
  cache.forget_owner("key_1");
  CHECK_FALSE(cache.find("key", "sk_a", t0));
  CHECK_FALSE(cache.find("key", "sk_b", t0));
  CHECK(cache.find("key", "sk_c", t0) == "key_2");
}

TEST_CASE("the cache is bounded and evicts the least recently used", "[credential_cache]") {
  CredentialCache cache(2, 60s);
  cache.remember("k", "a", "A", t0);
  cache.remember("k", "b", "B", t0);
  CHECK(cache.find("k", "a", t0) == "A");  // a is now the most recent
  cache.remember("k", "c", "C", t0);
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.find("k", "b", t0));
  CHECK(cache.find("k", "a", t0) == "A");
  CHECK(cache.find("k", "c", t0) == "C");
}
