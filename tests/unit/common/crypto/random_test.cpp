#include "common/crypto/random.h"

#include <catch2/catch.hpp>
#include <set>

#include "common/crypto/base64url.h"

using namespace cs::crypto;

TEST_CASE("random_bytes returns the requested count, different each time", "[random]") {
  CHECK(random_bytes(0).empty());
  const auto a = random_bytes(32);
  const auto b = random_bytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
}

TEST_CASE("random_secret carries the prefix and the entropy as base64url", "[random]") {
  const auto s = random_secret("tkn_", 24);
  CHECK(s.starts_with("tkn_"));
  CHECK(s.size() == 4 + 32);
  CHECK(base64url_decode(s.substr(4)).value().size() == 24);
}

TEST_CASE("random_string draws only from the alphabet and covers it", "[random]") {
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const auto s = random_string(alphabet, 4000);
  CHECK(s.size() == 4000);
  std::set<char> seen(s.begin(), s.end());
  CHECK(seen.size() == alphabet.size());
  for (char c : seen) CHECK(alphabet.find(c) != std::string::npos);
}

TEST_CASE("random_uuid_v4 has the RFC 9562 layout, version 4 and variant bits", "[random]") {
  const auto a = random_uuid_v4();
  REQUIRE(a.size() == 36);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      CHECK(a[i] == '-');
    } else {
      CHECK(std::string("0123456789abcdef").find(a[i]) != std::string::npos);
    }
  }
  CHECK(a[14] == '4');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  CHECK(random_uuid_v4() != a);
}
