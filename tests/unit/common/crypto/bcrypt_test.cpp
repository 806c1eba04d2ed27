#include "common/crypto/bcrypt.h"

#include <catch2/catch.hpp>

using namespace cs::crypto;

TEST_CASE("bcrypt verifies a published $2a$ vector", "[bcrypt]") {
  // From the crypt_blowfish test suite (Openwall), also used by libxcrypt's tests.
  const char* hash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  CHECK(bcrypt_verify("U*U", hash));
  CHECK_FALSE(bcrypt_verify("U*V", hash));
}

TEST_CASE("bcrypt hashes round-trip with a fresh salt", "[bcrypt]") {
  const auto a = bcrypt_hash("correct horse battery staple", 4);
  const auto b = bcrypt_hash("correct horse battery staple", 4);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->starts_with("$2b$04$"));
  CHECK(a->size() == 60);
  CHECK(*a != *b);  // different salts
  CHECK(bcrypt_verify("correct horse battery staple", *a));
  CHECK(bcrypt_verify("correct horse battery staple", *b));
  CHECK_FALSE(bcrypt_verify("correct horse battery stapl", *a));
  CHECK_FALSE(bcrypt_verify("", *a));
}

TEST_CASE("bcrypt uses cost 10 by default", "[bcrypt]") {
  const auto h = bcrypt_hash("pw");
  REQUIRE(h);
  CHECK(h->starts_with("$2b$10$"));
}

TEST_CASE("bcrypt refuses bad costs and passwords it would truncate", "[bcrypt]") {
  CHECK(bcrypt_hash("pw", 3).error().message == "bcrypt cost must be between 4 and 31");
  CHECK_FALSE(bcrypt_hash("pw", 32));
  const std::string long_pw(73, 'a');
  CHECK(bcrypt_hash(long_pw, 4).error().message ==
        "password must be at most 72 bytes and contain no NUL");
  CHECK_FALSE(bcrypt_hash(std::string_view("a\0b", 3), 4));
  CHECK(bcrypt_hash(std::string(72, 'a'), 4));
}

TEST_CASE("bcrypt_verify rejects malformed hashes and over-long passwords", "[bcrypt]") {
  const auto h = bcrypt_hash(std::string(72, 'a'), 4);
  REQUIRE(h);
  // A 73-byte password would match a 72-byte one under plain bcrypt; we refuse it instead.
  CHECK_FALSE(bcrypt_verify(std::string(73, 'a'), *h));
  CHECK_FALSE(bcrypt_verify("pw", ""));
  CHECK_FALSE(bcrypt_verify("pw", "*0"));
  CHECK_FALSE(bcrypt_verify("pw", "$1$salt$abc"));  // MD5-crypt is not bcrypt
  CHECK_FALSE(bcrypt_verify("pw", "$2b$04$short"));
  CHECK_FALSE(bcrypt_verify("pw", h->substr(0, 59)));  // truncated hash
}
