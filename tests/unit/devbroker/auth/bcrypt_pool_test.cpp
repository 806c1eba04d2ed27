#include "devbroker/auth/bcrypt_pool.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>

#include "common/crypto/bcrypt.h"

using cs::auth::BcryptPool;

TEST_CASE("the pool checks passwords off the caller's thread", "[bcrypt_pool]") {
  const std::string hash = cs::crypto::bcrypt_hash("right", 4).value();
  BcryptPool pool(2, 16);
  std::promise<bool> good, bad;
  const auto caller = std::this_thread::get_id();
  std::thread::id worker;
  REQUIRE(pool.submit("right", hash, [&](bool ok) {
    worker = std::this_thread::get_id();
    good.set_value(ok);
  }));
  REQUIRE(pool.submit("wrong", hash, [&](bool ok) { bad.set_value(ok); }));
  CHECK(good.get_future().get());
  CHECK_FALSE(bad.get_future().get());
  CHECK(worker != caller);
}

TEST_CASE("a full queue turns work away instead of growing", "[bcrypt_pool]") {
  const std::string hash = cs::crypto::bcrypt_hash("pw", 8).value();
  std::atomic<int> done{0};
  int accepted = 0, refused = 0;
  {
    BcryptPool pool(1, 3);
    for (int i = 0; i < 20; ++i) {
      if (pool.submit("pw", hash, [&](bool) { ++done; })) {
        ++accepted;
      } else {
        ++refused;
      }
    }
    CHECK(pool.pending() <= 4);
  }  // the destructor finishes what was accepted
  CHECK(refused > 0);
  CHECK(accepted <= 4);
  CHECK(done == accepted);
}
