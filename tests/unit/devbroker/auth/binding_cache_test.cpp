#include "devbroker/auth/binding_cache.h"

#include <catch2/catch.hpp>

using cs::auth::BindingCache;

TEST_CASE("a remembered binding is found by provider and subject", "[binding_cache]") {
  BindingCache cache;
  cache.remember("prv_1", "user-a", "alice");
  CHECK(cache.find("prv_1", "user-a") == "alice");
  CHECK_FALSE(cache.find("prv_2", "user-a"));
  CHECK_FALSE(cache.find("prv_1", "user-b"));
  // The pair is not a concatenation: ("prv_1u", "ser-a") is another identity.
  CHECK_FALSE(cache.find("prv_1u", "ser-a"));
}

TEST_CASE("forgetting a provider drops its bindings only", "[binding_cache]") {
  BindingCache cache;
  cache.remember("prv_1", "a", "alice");
  cache.remember("prv_1", "b", "bob");
  cache.remember("prv_10", "c", "carol");
  cache.forget_provider("prv_1");
  CHECK_FALSE(cache.find("prv_1", "a"));
  CHECK_FALSE(cache.find("prv_1", "b"));
  CHECK(cache.find("prv_10", "c") == "carol");
}

TEST_CASE("the binding cache is bounded", "[binding_cache]") {
  BindingCache cache(2);
  cache.remember("p", "a", "A");
  cache.remember("p", "b", "B");
  cache.remember("p", "c", "C");
  CHECK(cache.size() == 2);
  CHECK(cache.find("p", "c") == "C");
  cache.remember("p", "c", "C");
  CHECK(cache.size() == 2);
}
