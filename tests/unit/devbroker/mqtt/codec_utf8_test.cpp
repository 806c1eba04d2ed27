// UTF-8 encoded strings (3.1.1 section 1.5.3, 5.0 section 1.5.4).

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::error_of;

namespace {

// A 3.1.1 PUBLISH, QoS 0, whose topic name is `topic` (its bytes exactly).
Bytes publish_with_topic(const std::string& topic) {
  Bytes bytes(4 + topic.size());
  bytes[0] = 0x30;                                         // PUBLISH, QoS 0
  bytes[1] = static_cast<std::uint8_t>(2 + topic.size());  // remaining length
  bytes[3] = static_cast<std::uint8_t>(topic.size());      // topic name length
  std::copy(topic.begin(), topic.end(), bytes.begin() + 4);
  return bytes;
}

}  // namespace

TEST_CASE("well-formed UTF-8 strings are accepted", "[codec]") {
  CHECK(valid_utf8_string(""));
  CHECK(valid_utf8_string("sensors/kitchen/temperature"));
  CHECK(valid_utf8_string("caf\xC3\xA9"));                  // U+00E9, two bytes
  CHECK(valid_utf8_string("\xE2\x82\xAC"));                 // U+20AC, three bytes
  CHECK(valid_utf8_string("\xED\x9F\xBF"));                 // U+D7FF, just below the surrogates
  CHECK(valid_utf8_string("\xEE\x80\x80"));                 // U+E000, just above them
  CHECK(valid_utf8_string("\xEF\xBB\xBF"));                 // [MQTT-1.5.4-3] U+FEFF stays
  CHECK(valid_utf8_string("\xF0\x9F\x98\x80"));             // U+1F600, four bytes
  CHECK(valid_utf8_string("\xF4\x8F\xBF\xBF"));             // U+10FFFF, the last code point
  CHECK(valid_utf8_string("0123456789abcdef\xC3\xA9xyz"));  // past the eight-byte fast path
  CHECK(valid_utf8_string(std::string(65535, 'a')));
}

TEST_CASE("ill-formed UTF-8 strings are refused", "[codec]") {
  using namespace std::string_literals;
  CHECK_FALSE(valid_utf8_string("a\0b"s));             // [MQTT-1.5.4-2] U+0000
  CHECK_FALSE(valid_utf8_string("abcdefgh\0"s));       // U+0000 after the fast path
  CHECK_FALSE(valid_utf8_string("abcd\0fghijk"s));     // U+0000 inside an eight-byte word
  CHECK_FALSE(valid_utf8_string("\xED\xA0\x80"));      // [MQTT-1.5.4-1] U+D800
  CHECK_FALSE(valid_utf8_string("\xED\xBF\xBF"));      // U+DFFF
  CHECK_FALSE(valid_utf8_string("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid_utf8_string("\xC1\xBF"));          // overlong U+007F
  CHECK_FALSE(valid_utf8_string("\xE0\x9F\xBF"));      // overlong U+07FF
  CHECK_FALSE(valid_utf8_string("\xF0\x8F\xBF\xBF"));  // overlong U+FFFF
  CHECK_FALSE(valid_utf8_string("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(valid_utf8_string("\xF5\x80\x80\x80"));
  CHECK_FALSE(valid_utf8_string("\xF8\x88\x80\x80\x80"));
  CHECK_FALSE(valid_utf8_string("\xFF"));
  CHECK_FALSE(valid_utf8_string("\x80"));  // a continuation with no lead
  CHECK_FALSE(valid_utf8_string("\xC3"));  // cut short
  CHECK_FALSE(valid_utf8_string("\xE2\x82"));
  CHECK_FALSE(valid_utf8_string("\xC3\x28"));  // the lead is not followed by a continuation
  CHECK_FALSE(valid_utf8_string(std::string(65536, 'a')));
}

TEST_CASE("a topic name holding U+0000 makes the packet malformed", "[codec][malformed]") {
  // [MQTT-1.5.4-2] (3.1.1 [MQTT-1.5.3-2]).
  CHECK(error_of(publish_with_topic(std::string("a\0b", 3)), Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "topic name in PUBLISH contains U+0000"});
}

TEST_CASE("a topic name holding a surrogate makes the packet malformed", "[codec][malformed]") {
  // [MQTT-1.5.4-1] (3.1.1 [MQTT-1.5.3-1]): ED A0..BF xx encodes U+D800..U+DFFF.
  CHECK(error_of(publish_with_topic("a/\xED\xA0\x80"), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic name in PUBLISH contains a UTF-16 surrogate (U+D800..U+DFFF)"});
  CHECK(error_of(publish_with_topic("\xED\xBF\xBF"), Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic name in PUBLISH contains a UTF-16 surrogate (U+D800..U+DFFF)"});
}

TEST_CASE("a topic name with an overlong encoding makes the packet malformed",
          "[codec][malformed]") {
  CHECK(error_of(publish_with_topic("\xC0\xAF"), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic name in PUBLISH contains an overlong UTF-8 encoding"});
  CHECK(error_of(publish_with_topic("\xE0\x80\xAF"), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic name in PUBLISH contains an overlong UTF-8 encoding"});
}

TEST_CASE("a topic name above U+10FFFF makes the packet malformed", "[codec][malformed]") {
  CHECK(error_of(publish_with_topic("\xF4\x90\x80\x80"), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic name in PUBLISH contains a code point above U+10FFFF"});
}

TEST_CASE("a topic name with a stray byte makes the packet malformed", "[codec][malformed]") {
  CHECK(error_of(publish_with_topic("a\x80"), Version::v5) ==
        CodecError{ReasonCode::malformed_packet, "topic name in PUBLISH is not well-formed UTF-8"});
  CHECK(error_of(publish_with_topic("ab\xE2\x82"), Version::v5) ==
        CodecError{ReasonCode::malformed_packet, "topic name in PUBLISH is not well-formed UTF-8"});
}
