#include "devbroker/auth/api_key_cache.h"

#include <catch2/catch.hpp>

using cs::auth::ApiKeyCache;
using cs::auth::CachedApiKey;
using namespace std::chrono_literals;

namespace {

const ApiKeyCache::Clock::time_point t0 = ApiKeyCache::Clock::time_point{} + 10h;

CachedApiKey key(const std::string& id) {
  CachedApiKey k;
  k.record.id = id;
  k.record.type = "secret";
  k.record.hash = "$2b$04$not-kept";
  return k;
}

}  // namespace

TEST_CASE("a remembered key is found with its secret only, without its hash", "[api_key_cache]") {
  ApiKeyCache cache(10, 60s);
  REQUIRE(cache.remember(cache.ticket(), "sk_one", key("k1"), t0));
  const auto found = cache.find("k1", "sk_one", t0 + 59s);
  REQUIRE(found);
  CHECK(found->record.id == "k1");
  CHECK(found->record.hash.empty());
  CHECK_FALSE(cache.find("k1", "sk_onf", t0));
  CHECK_FALSE(cache.find("k1", "sk_one2", t0));
  CHECK_FALSE(cache.find("k2", "sk_one", t0));
  CHECK_FALSE(cache.find("k1", "sk_one", t0 + 60s));  // past the TTL
}

TEST_CASE("invalidating a key (rotate, revoke) drops it at once", "[api_key_cache]") {
  ApiKeyCache cache(10, 60s);
  REQUIRE(cache.remember(cache.ticket(), "sk_one", key("k1"), t0));
  REQUIRE(cache.remember(cache.ticket(), "sk_two", key("k2"), t0));
  cache.invalidate("k1");
  CHECK_FALSE(cache.find("k1", "sk_one", t0));
  CHECK(cache.find("k2", "sk_two", t0));
}

TEST_CASE("a check that began before an invalidation cannot put the old key back",
          "[api_key_cache]") {
  ApiKeyCache cache(10, 60s);
  const auto before = cache.ticket();  // the check reads the row, then runs bcrypt...
  cache.invalidate("k1");              // ...while the key is rotated or revoked
  CHECK_FALSE(cache.remember(before, "sk_old", key("k1"), t0));
  CHECK_FALSE(cache.find("k1", "sk_old", t0));
  CHECK(cache.size() == 0);
  // A check that began after it is remembered.
  CHECK(cache.remember(cache.ticket(), "sk_new", key("k1"), t0));
  CHECK(cache.find("k1", "sk_new", t0));
}

TEST_CASE("a rotated key's new secret replaces its old one", "[api_key_cache]") {
  ApiKeyCache cache(10, 60s);
  REQUIRE(cache.remember(cache.ticket(), "sk_old", key("k1"), t0));
  REQUIRE(cache.remember(cache.ticket(), "sk_new", key("k1"), t0));
  CHECK_FALSE(cache.find("k1", "sk_old", t0));
  CHECK(cache.find("k1", "sk_new", t0));
  CHECK(cache.size() == 1);
}

TEST_CASE("the key cache is bounded, expired entries leaving first", "[api_key_cache]") {
  ApiKeyCache cache(2, 60s);
  REQUIRE(cache.remember(cache.ticket(), "sk_a", key("a"), t0));
  REQUIRE(cache.remember(cache.ticket(), "sk_b", key("b"), t0 + 30s));
  REQUIRE(cache.remember(cache.ticket(), "sk_c", key("c"), t0 + 61s));  // a has expired
  CHECK(cache.size() == 2);
  CHECK(cache.find("b", "sk_b", t0 + 61s));
  CHECK(cache.find("c", "sk_c", t0 + 61s));
  REQUIRE(cache.remember(cache.ticket(), "sk_d", key("d"), t0 + 61s));
  CHECK(cache.size() == 2);
  CHECK(cache.find("d", "sk_d", t0 + 61s));
}
