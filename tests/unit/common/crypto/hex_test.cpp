#include "common/crypto/hex.h"

#include <catch2/catch.hpp>

using cs::Bytes;
using namespace cs::crypto;

TEST_CASE("hex encodes lowercase and decodes either case", "[hex]") {
  CHECK(hex_encode(Bytes{}) == "");
  CHECK(hex_encode(Bytes{0x00, 0x0f, 0xa5, 0xff}) == "000fa5ff");
  CHECK(hex_decode("000FA5ff").value() == Bytes{0x00, 0x0f, 0xa5, 0xff});
}

TEST_CASE("hex decoding refuses odd lengths and non-hex characters", "[hex]") {
  CHECK(hex_decode("abc").error().message == "hex text has an odd length");
  CHECK(hex_decode("zz").error().message == "hex text has a non-hex character");
  CHECK_FALSE(hex_decode("0x"));
  CHECK_FALSE(hex_decode(" 0"));
}
