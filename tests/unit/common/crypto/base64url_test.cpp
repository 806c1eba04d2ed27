#include "common/crypto/base64url.h"

#include <catch2/catch.hpp>

using cs::as_bytes;
using cs::Bytes;
using namespace cs::crypto;

TEST_CASE("base64url encodes the RFC 4648 section 10 vectors without padding", "[base64url]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foob") == "Zm9vYg");
  CHECK(base64url_encode("fooba") == "Zm9vYmE");
  CHECK(base64url_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64url uses '-' and '_' where base64 uses '+' and '/'", "[base64url]") {
  const Bytes data{0xfb, 0xff, 0xbf};
  CHECK(base64url_encode(data) == "-_-_");
  CHECK(base64_encode(data) == "+/+/");
  CHECK(base64url_decode("-_-_").value() == data);
}

TEST_CASE("base64url decodes the RFC 4648 vectors back", "[base64url]") {
  for (const char* plain : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    const auto decoded = base64url_decode(base64url_encode(plain));
    REQUIRE(decoded);
    CHECK(cs::to_string(*decoded) == plain);
  }
}

TEST_CASE("base64url decoding is strict", "[base64url]") {
  auto refused = [](std::string_view text) { return !base64url_decode(text).has_value(); };
  CHECK(refused("Zg=="));       // padding
  CHECK(refused("Zm9v YmFy"));  // whitespace
  CHECK(refused("Zm9v\n"));
  CHECK(refused("+/+/"));  // standard alphabet
  CHECK(refused("Z"));     // a dangling 6 bits can never encode a byte
  CHECK(refused("Zh"));    // non-zero trailing bits: "Zg" is the only encoding of "f"
  CHECK(refused("Zm9"));   // "Zm8" is the only encoding of "fo"
  CHECK(refused(std::string_view("Zg\0", 3)));
  const auto err = base64url_decode("Zh").error();
  CHECK(err.code == cs::ErrorCode::invalid_request);
  CHECK(err.message == "base64 text has non-zero trailing bits");
}

TEST_CASE("standard base64 pads and decodes strictly", "[base64]") {
  CHECK(base64_encode(as_bytes("f")) == "Zg==");
  CHECK(base64_encode(as_bytes("fo")) == "Zm8=");
  CHECK(base64_encode(as_bytes("foobar")) == "Zm9vYmFy");
  CHECK(cs::to_string(base64_decode("Zm8=").value()) == "fo");
  CHECK_FALSE(base64_decode("Zm8"));   // padding required
  CHECK_FALSE(base64_decode("Z==="));  // too much padding
  CHECK_FALSE(base64_decode("Zm9="));  // non-zero trailing bits
  CHECK_FALSE(base64_decode("-_-_"));  // url alphabet
}

TEST_CASE("base64url round-trips every byte value", "[base64url]") {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const Bytes slice(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK(base64url_decode(base64url_encode(slice)).value() == slice);
    CHECK(base64_decode(base64_encode(slice)).value() == slice);
  }
}
