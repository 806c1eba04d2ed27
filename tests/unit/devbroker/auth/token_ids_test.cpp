#include "devbroker/auth/token_ids.h"

#include <catch2/catch.hpp>
#include <set>

using cs::auth::encode_token_id;
using cs::auth::TokenIdGenerator;
using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'900'000'000)};

// A random source that counts, so sequences are predictable.
TokenIdGenerator::Random counting(std::uint64_t start) {
  return [next = start]() mutable { return next++; };
}

}  // namespace

TEST_CASE("a token id is tok_ and 20 base-32 characters: milliseconds, then sequence",
          "[token_ids]") {
  CHECK(encode_token_id(0, 0) == "tok_00000000000000000000");
  CHECK(encode_token_id(1, 31) == "tok_0000000001000000000z");
  CHECK(encode_token_id(1'900'000'000'000, 1) == "tok_01q9gd6e000000000001");
  CHECK(encode_token_id((std::int64_t{1} << 50) - 1, (std::uint64_t{1} << 50) - 1) ==
        "tok_zzzzzzzzzzzzzzzzzzzz");
}

TEST_CASE("token ids grow with time and within a millisecond", "[token_ids]") {
  TokenIdGenerator ids(counting(1000));
  const auto a = ids.next(t0);
  const auto b = ids.next(t0);
  const auto c = ids.next(t0 + 1ms);
  CHECK(a == encode_token_id(1'900'000'000'000, 1000));
  CHECK(b == encode_token_id(1'900'000'000'000, 1001));
  CHECK(c == encode_token_id(1'900'000'000'001, 1001));  // a new random start
  CHECK(a < b);
  CHECK(b < c);
}

TEST_CASE("token ids keep growing when the clock steps back", "[token_ids]") {
  TokenIdGenerator ids(counting(7));
  const auto a = ids.next(t0 + 5s);
  const auto b = ids.next(t0);
  CHECK(b == encode_token_id(1'900'000'005'000, 8));
  CHECK(a < b);
}

TEST_CASE("a sequence start leaves room to count up", "[token_ids]") {
  TokenIdGenerator ids([] { return ~std::uint64_t{0}; });
  const auto a = ids.next(t0);
  CHECK(a == encode_token_id(1'900'000'000'000, (std::uint64_t{1} << 49) - 1));
  CHECK(ids.next(t0) == encode_token_id(1'900'000'000'000, std::uint64_t{1} << 49));
}

TEST_CASE("ids from the CSPRNG are distinct and ordered", "[token_ids]") {
  TokenIdGenerator ids;
  std::set<std::string> seen;
  std::string last;
  for (int i = 0; i < 1000; ++i) {
    auto id = ids.next(t0 + std::chrono::milliseconds(i / 10));
    CHECK(id.size() == 24);
    CHECK(id > last);
    last = id;
    seen.insert(std::move(id));
  }
  CHECK(seen.size() == 1000);
}
