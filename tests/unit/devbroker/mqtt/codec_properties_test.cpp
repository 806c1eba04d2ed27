// MQTT 5.0 properties (section 2.2.2): identifiers, where each is allowed, repeats and values.

#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::decode_to;
using cs::mqtt::test::encode_to_bytes;
using cs::mqtt::test::error_of;

namespace {

Bytes concat(Bytes head, const Bytes& tail) {
  head.reserve(head.size() + tail.size());
  for (std::uint8_t byte : tail) head.push_back(byte);
  return head;
}

// A 5.0 QoS 0 PUBLISH to "a" with no payload whose property list is `properties`.
Bytes publish_with(const Bytes& properties) {
  const auto size = static_cast<std::uint8_t>(properties.size());
  const auto remaining = static_cast<std::uint8_t>(4 + size);
  const Bytes head = {
      0x30, remaining,       // PUBLISH, QoS 0
      0x00, 0x01,      'a',  // topic name "a"
      size,                  // property length
  };
  return concat(head, properties);
}

// A 5.0 CONNECT with client identifier "c" whose property list is `properties`.
Bytes connect_with(const Bytes& properties) {
  const auto size = static_cast<std::uint8_t>(properties.size());
  const auto remaining = static_cast<std::uint8_t>(14 + size);
  const Bytes head = {
      0x10, remaining,                      // CONNECT
      0x00, 0x04,      'M', 'Q', 'T', 'T',  // protocol name
      0x05,                                 // protocol level 5
      0x02,                                 // clean start
      0x00, 0x00,                           // keep alive 0
      size,                                 // property length
  };
  return concat(concat(head, properties), {0x00, 0x01, 'c'});  // client identifier "c"
}

}  // namespace

TEST_CASE("user properties repeat and keep their order", "[codec]") {
  // 5.0 3.3.2.3.7: a user property may appear several times, even with the same name.
  const Bytes properties = {
      0x26, 0x00, 0x01, 'k', 0x00, 0x01, '2',  // user property k=2
      0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1',  // user property a=1
      0x26, 0x00, 0x01, 'k', 0x00, 0x01, '1',  // user property k=1
  };
  const auto p = decode_to<Publish>(publish_with(properties), Version::v5);
  CHECK(p.properties.user_properties ==
        std::vector<UserProperty>{{"k", "2"}, {"a", "1"}, {"k", "1"}});
  CHECK(encode_to_bytes(p, Version::v5) == publish_with(properties));
}

TEST_CASE("an unknown property identifier is refused", "[codec][malformed]") {
  // 2.2.2.2: an identifier that is not valid makes the packet malformed.
  CHECK(error_of(publish_with({0x05, 0x00}), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "unknown property identifier 0x05 in PUBLISH properties"});
  CHECK(error_of(publish_with({0x80, 0x01, 0x00}), Version::v5) ==  // identifier 128
        CodecError{ReasonCode::malformed_packet,
                   "unknown property identifier 0x80 in PUBLISH properties"});
}

TEST_CASE("a property identifier with needless bytes is refused", "[codec][malformed]") {
  // [MQTT-1.5.5-1]: 81 00 would be identifier 1 in two bytes.
  CHECK(error_of(publish_with({0x81, 0x00, 0x01}), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "property identifier in PUBLISH properties is not minimally encoded"});
}

TEST_CASE("a property that the packet type does not allow is refused", "[codec][malformed]") {
  // 2.2.2.2: an identifier not valid for the packet type makes the packet malformed.
  CHECK(error_of(publish_with({0x11, 0x00, 0x00, 0x00, 0x01}), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "session expiry interval (0x11) is not allowed in PUBLISH properties"});
  CHECK(error_of(connect_with({0x23, 0x00, 0x01}), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic alias (0x23) is not allowed in CONNECT properties"});
}

TEST_CASE("a will property list only allows will properties", "[codec][malformed]") {
  const Bytes bytes = {
      0x10, 0x17,                       // CONNECT, remaining length 23
      0x00, 0x04, 'M',  'Q', 'T', 'T',  // protocol name
      0x05,                             // protocol level 5
      0x06,                             // will, clean start
      0x00, 0x00,                       // keep alive 0
      0x00,                             // property length 0
      0x00, 0x01, 'c',                  // client identifier
      0x03,                             // will property length 3
      0x23, 0x00, 0x01,                 //   topic alias 1
      0x00, 0x01, 'w',                  // will topic
      0x00, 0x00,                       // will payload
  };
  CHECK(error_of(bytes, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic alias (0x23) is not allowed in CONNECT will properties"});
}

TEST_CASE("a property given twice is refused", "[codec][malformed]") {
  // 5.0: including any property but user property more than once is a Protocol Error.
  CHECK(error_of(connect_with({0x21, 0x00, 0x01, 0x21, 0x00, 0x02}), Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "receive maximum (0x21) appears more than once in CONNECT properties"});
  CHECK(error_of(publish_with({0x03, 0x00, 0x01, 'a', 0x03, 0x00, 0x01, 'b'}), Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "content type (0x03) appears more than once in PUBLISH properties"});
}

TEST_CASE("subscription identifier 0 is refused", "[codec][malformed]") {
  // 5.0 3.3.2.3.8 and 3.8.2.1.2: a value of 0 is a Protocol Error.
  CHECK(error_of(publish_with({0x0B, 0x00}), Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "subscription identifier (0x0B) in PUBLISH properties is 0"});
}

TEST_CASE("a subscription identifier longer than four bytes is refused", "[codec][malformed]") {
  CHECK(
      error_of(publish_with({0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), Version::v5) ==
      CodecError{ReasonCode::malformed_packet,
                 "subscription identifier (0x0B) in PUBLISH properties is longer than four bytes"});
}

TEST_CASE("receive maximum 0 is refused", "[codec][malformed]") {
  // 5.0 3.1.2.11.3: a value of 0 is a Protocol Error.
  CHECK(
      error_of(connect_with({0x21, 0x00, 0x00}), Version::v5) ==
      CodecError{ReasonCode::protocol_error, "receive maximum (0x21) in CONNECT properties is 0"});
}

TEST_CASE("maximum packet size 0 is refused", "[codec][malformed]") {
  // 5.0 3.1.2.11.4: a value of 0 is a Protocol Error.
  CHECK(error_of(connect_with({0x27, 0x00, 0x00, 0x00, 0x00}), Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "maximum packet size (0x27) in CONNECT properties is 0"});
}

TEST_CASE("topic alias 0 is refused", "[codec][malformed]") {
  // [MQTT-3.3.2-8]: a Topic Alias of 0 is not permitted; 3.3.2.3.4: DISCONNECT with 0x94.
  CHECK(
      error_of(publish_with({0x23, 0x00, 0x00}), Version::v5) ==
      CodecError{ReasonCode::topic_alias_invalid, "topic alias (0x23) in PUBLISH properties is 0"});
}

TEST_CASE("a yes-or-no property other than 0 or 1 is refused", "[codec][malformed]") {
  // 5.0 3.1.2.11.6, 3.1.2.11.7, 3.2.2.3.4 and others: other values are a Protocol Error.
  CHECK(error_of(connect_with({0x17, 0x02}), Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "request problem information (0x17) in CONNECT properties is 2; it must be 0 "
                   "or 1"});
  CHECK(error_of({0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02}, Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "maximum QoS (0x24) in CONNACK properties is 2; it must be 0 or 1"});
  CHECK(error_of(publish_with({0x01, 0x07}), Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "payload format indicator (0x01) in PUBLISH properties is 7; it must be 0 or "
                   "1"});
}

TEST_CASE("a response topic with a wildcard is refused", "[codec][malformed]") {
  // [MQTT-3.3.2-14] the Response Topic MUST NOT contain wildcard characters.
  CHECK(error_of(publish_with({0x08, 0x00, 0x03, 'r', '/', '#'}), Version::v5) ==
        CodecError{ReasonCode::topic_name_invalid,
                   "response topic (0x08) in PUBLISH properties contains a wildcard (+ or #)"});
}

TEST_CASE("a property string that is not valid UTF-8 is refused", "[codec][malformed]") {
  const Bytes puback = {
      0x40, 0x09,                   // PUBACK, remaining length 9
      0x00, 0x01,                   // packet identifier 1
      0x00,                         // success
      0x05,                         // property length 5
      0x1F, 0x00, 0x02, 'a', 0x00,  //   reason string "a\0"
  };
  CHECK(error_of(puback, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "reason string (0x1F) in PUBACK properties contains U+0000"});
  CHECK(error_of(publish_with({0x26, 0x00, 0x01, 'k', 0x00, 0x02, 0xED, 0xA0}), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "user property (0x26) in PUBLISH properties is not well-formed UTF-8"});
}

TEST_CASE("a property length longer than four bytes is refused", "[codec][malformed]") {
  CHECK(error_of({0x30, 0x08, 0x00, 0x01, 'a', 0x80, 0x80, 0x80, 0x80, 0x01}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "property length in PUBLISH is longer than four bytes"});
}

TEST_CASE("a property length with needless bytes is refused", "[codec][malformed]") {
  CHECK(error_of({0x30, 0x05, 0x00, 0x01, 'a', 0x80, 0x00}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "property length in PUBLISH is not minimally encoded"});
}

TEST_CASE("a property list longer than the packet is refused", "[codec][malformed]") {
  CHECK(error_of({0x30, 0x05, 0x00, 0x01, 'a', 0x05, 0x01}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "property list of 5 bytes runs past the end of PUBLISH"});
}

TEST_CASE("a property value longer than its property list is refused", "[codec][malformed]") {
  // The property length says 3; message expiry interval needs 4 more bytes after its identifier.
  CHECK(error_of({0x30, 0x09, 0x00, 0x01, 'a', 0x03, 0x02, 0x00, 0x00, 0x00, 0x00}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "message expiry interval (0x02) runs past the end of PUBLISH properties"});
  CHECK(error_of(publish_with({0x03, 0x00, 0x09, 'a'}), Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "content type (0x03) of 9 bytes runs past the end of PUBLISH properties"});
}
