#include "devbroker/auth/key_cache.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>

#include "common/jwt/jwk.h"
#include "tests/unit/devbroker/auth/fake_fetcher.h"

using namespace cs::auth;
using namespace std::chrono_literals;
using cs::test::FakeFetcher;

namespace {

std::string jwks_of(std::initializer_list<const char*> kids) {
  std::vector<cs::jwt::Key> keys;
  for (const char* kid : kids)
    keys.push_back(cs::jwt::generate_ec_key(cs::jwt::KeyType::ec_p256, kid).value());
  return cs::jwt::public_jwks(keys).value().dump();
}

const KeyLocation k_loc{"https://idp.example/jwks", KeyFormat::jwks, ""};
const SteadyTime t0 = SteadyTime{} + 100h;

}  // namespace

TEST_CASE("Cache-Control max-age is read", "[key_cache]") {
  CHECK(parse_max_age("public, max-age=3600, must-revalidate") == 3600s);
  CHECK(parse_max_age("max-age=0") == 0s);
  CHECK_FALSE(parse_max_age("s-maxage=10"));
  CHECK_FALSE(parse_max_age("no-store"));
  CHECK_FALSE(parse_max_age("max-age=abc"));
  CHECK(parse_max_age("max-age=99999999") == std::chrono::seconds(7 * 24 * 3600));
}

TEST_CASE("keys are cached for max-age, else ten minutes", "[key_cache]") {
  FakeFetcher f;
  f.docs[k_loc.url] = {jwks_of({"a"}), 60s, false};
  KeyCache cache(f);
  CHECK(cache.keys(k_loc, "a", t0).value().size() == 1);
  CHECK(cache.keys(k_loc, "a", t0 + 59s).value().size() == 1);
  CHECK(f.requests[k_loc.url] == 1);
  cache.keys(k_loc, "a", t0 + 61s).value();
  CHECK(f.requests[k_loc.url] == 2);

  f.docs[k_loc.url].max_age.reset();
  cache.clear();
  cache.keys(k_loc, "a", t0).value();
  cache.keys(k_loc, "a", t0 + 599s).value();
  CHECK(f.requests[k_loc.url] == 3);
  cache.keys(k_loc, "a", t0 + 601s).value();
  CHECK(f.requests[k_loc.url] == 4);
}

TEST_CASE("an unknown kid refetches at most once per 30 seconds", "[key_cache]") {
  FakeFetcher f;
  f.docs[k_loc.url] = {jwks_of({"a"}), 3600s, false};
  KeyCache cache(f);
  cache.keys(k_loc, "a", t0).value();
  for (int i = 0; i < 100; ++i) cache.keys(k_loc, "nope", t0 + 1s).value();
  CHECK(f.requests[k_loc.url] == 1);  // the first fetch was under 30 s ago
  cache.keys(k_loc, "nope", t0 + 31s).value();
  CHECK(f.requests[k_loc.url] == 2);
  for (int i = 0; i < 100; ++i) cache.keys(k_loc, "nope", t0 + 40s).value();
  CHECK(f.requests[k_loc.url] == 2);

  // A rotated key is picked up by that refetch.
  f.docs[k_loc.url].body = jwks_of({"b"});
  const auto keys = cache.keys(k_loc, "b", t0 + 62s).value();
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].kid() == "b");
}

TEST_CASE("the last good keys keep serving while the endpoint is down", "[key_cache]") {
  FakeFetcher f;
  f.docs[k_loc.url] = {jwks_of({"a"}), 60s, false};
  KeyCache cache(f);
  cache.keys(k_loc, "a", t0).value();
  f.docs[k_loc.url].down = true;
  const auto keys = cache.keys(k_loc, "a", t0 + 120s);
  REQUIRE(keys);
  CHECK(keys->front().kid() == "a");
}

TEST_CASE("with no keys ever fetched the answer is jwks_unavailable, rate-limited", "[key_cache]") {
  FakeFetcher f;
  KeyCache cache(f);
  const auto r = cache.keys(k_loc, "a", t0);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::jwks_unavailable);
  CHECK(r.error().message ==
        "the identity provider's keys at https://idp.example/jwks cannot be fetched: connection "
        "refused");
  for (int i = 0; i < 50; ++i) CHECK_FALSE(cache.keys(k_loc, "a", t0 + 5s));
  CHECK(f.requests[k_loc.url] == 1);
}

TEST_CASE("discovery finds the JWK Set and checks the issuer", "[key_cache]") {
  FakeFetcher f;
  const KeyLocation loc{"https://id.example/.well-known/openid-configuration", KeyFormat::discovery,
                        "https://id.example"};
  f.docs[loc.url] = {
      R"({"issuer":"https://id.example","jwks_uri":"https://id.example/keys"})", {}, false};
  f.docs["https://id.example/keys"] = {jwks_of({"k1", "k2"}), {}, false};
  KeyCache cache(f);
  CHECK(cache.keys(loc, "k2", t0).value().size() == 2);

  KeyCache other(f);
  f.docs[loc.url].body =
      R"({"issuer":"https://evil.example","jwks_uri":"https://id.example/keys"})";
  CHECK(other.keys(loc, "k1", t0)
            .error()
            .message.ends_with("the discovery document names another issuer"));
  f.docs[loc.url].body = R"({"issuer":"https://id.example","jwks_uri":"http://evil.example/keys"})";
  KeyCache third(f);
  CHECK_FALSE(third.keys(loc, "k1", t0));
}

TEST_CASE("a document that is not a key set is jwks_unavailable", "[key_cache]") {
  FakeFetcher f;
  f.docs[k_loc.url] = {"<html>", {}, false};
  KeyCache cache(f);
  CHECK(cache.keys(k_loc, "a", t0).error().code == cs::ErrorCode::jwks_unavailable);
}

namespace {

// Serves one document, holding each request until the gate is open.
class GatedFetcher final : public DocumentFetcher {
 public:
  explicit GatedFetcher(std::string body, bool open) : m_body(std::move(body)), m_open(open) {}

  cs::Result<FetchedDocument> fetch(const std::string&) override {
    std::unique_lock lock(m_mutex);
    ++m_requests;
    m_changed.notify_all();
    m_changed.wait(lock, [&] { return m_open; });
    return FetchedDocument{m_body, 60s};
  }
  void set_open(bool open) {
    std::lock_guard lock(m_mutex);
    m_open = open;
    m_changed.notify_all();
  }
  void wait_for_requests(int n) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_requests >= n; });
  }
  int requests() {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

 private:
  std::string m_body;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  bool m_open;
  int m_requests = 0;
};

}  // namespace

TEST_CASE("threads needing keys share one fetch", "[key_cache][threads]") {
  GatedFetcher f(jwks_of({"a"}), false);
  KeyCache cache(f);
  std::vector<std::future<std::size_t>> results;
  for (int i = 0; i < 8; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      auto keys = cache.keys(k_loc, "a", t0);
      return keys ? keys->size() : 0;
    }));
  }
  f.wait_for_requests(1);
  f.set_open(true);
  for (auto& r : results) CHECK(r.get() == 1);
  CHECK(f.requests() == 1);
}

TEST_CASE("stale keys keep serving while a refresh is in flight", "[key_cache][threads]") {
  GatedFetcher f(jwks_of({"a"}), true);
  KeyCache cache(f);
  REQUIRE(cache.keys(k_loc, "a", t0));
  f.set_open(false);
  auto refreshing =
      std::async(std::launch::async, [&] { return cache.keys(k_loc, "a", t0 + 61s); });
  f.wait_for_requests(2);
  // The refresh is stuck in the network; readers do not wait for it.
  auto reader = std::async(std::launch::async, [&] { return cache.keys(k_loc, "a", t0 + 62s); });
  const bool answered = reader.wait_for(10s) == std::future_status::ready;
  cache.clear();  // forgetting everything meanwhile is safe too
  f.set_open(true);
  CHECK(answered);
  CHECK(reader.get().value().size() == 1);
  CHECK(refreshing.get().value().size() == 1);
  CHECK(f.requests() == 2);
}
