#include "common/crypto/constant_time.h"

#include <catch2/catch.hpp>

using cs::crypto::constant_time_equal;

TEST_CASE("constant_time_equal compares contents and lengths", "[constant_time]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("tkn_abc", "tkn_abc"));
  CHECK_FALSE(constant_time_equal("tkn_abc", "tkn_abd"));
  CHECK_FALSE(constant_time_equal("tkn_abc", "tkn_ab"));
  CHECK_FALSE(constant_time_equal("", "x"));
  CHECK_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}
