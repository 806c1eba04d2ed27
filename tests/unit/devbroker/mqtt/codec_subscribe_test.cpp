// SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (3.1.1 and 5.0 sections 3.8 to 3.11).

#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::decode_to;
using cs::mqtt::test::encode_to_bytes;
using cs::mqtt::test::error_of;

TEST_CASE("a 3.1.1 SUBSCRIBE decodes and encodes", "[codec]") {
  const Bytes bytes = {
      0x82, 0x0E,                       // SUBSCRIBE, flags 0010, remaining length 14
      0x00, 0x01,                       // packet identifier 1
      0x00, 0x03, 'a', '/', 'b', 0x01,  // "a/b", QoS 1
      0x00, 0x03, 'c', '/', '#', 0x02,  // "c/#", QoS 2
  };
  Subscribe expected;
  expected.packet_id = 1;
  expected.subscriptions = {{"a/b", QoS::at_least_once}, {"c/#", QoS::exactly_once}};
  CHECK(decode_to<Subscribe>(bytes, Version::v311) == expected);
  CHECK(encode_to_bytes(expected, Version::v311) == bytes);
}

TEST_CASE("a 5.0 SUBSCRIBE with options and properties", "[codec]") {
  const Bytes bytes = {
      0x82, 0x20,                              // SUBSCRIBE, remaining length 32
      0x00, 0x02,                              // packet identifier 2
      0x0A,                                    // property length 10
      0x0B, 0x80, 0x01,                        //   subscription identifier 128
      0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',  //   user property k=v
      0x00, 0x03, 'a',  '/', 'b',              // "a/b"
      0x2D,                                    //   retain handling 2, RAP, no local, QoS 1
      0x00, 0x0A, '$',  's', 'h',  'a',  'r', 'e', '/', 'g', '/', 't',  // "$share/g/t"
      0x12,  //   retain handling 1, QoS 2
  };
  Subscribe expected;
  expected.packet_id = 2;
  expected.properties.subscription_identifiers = {128};
  expected.properties.user_properties = {{"k", "v"}};
  expected.subscriptions = {{"a/b", QoS::at_least_once, true, true, 2},
                            {"$share/g/t", QoS::exactly_once, false, false, 1}};
  CHECK(decode_to<Subscribe>(bytes, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == bytes);
}

TEST_CASE("a 3.1.1 SUBSCRIBE encoding keeps only the QoS of the options", "[codec]") {
  Subscribe s;
  s.packet_id = 9;
  s.properties.subscription_identifiers = {4};
  s.subscriptions = {{"t", QoS::at_least_once, true, true, 2}};
  CHECK(encode_to_bytes(s, Version::v311) == Bytes{0x82, 0x06, 0x00, 0x09, 0x00, 0x01, 't', 0x01});
}

TEST_CASE("a SUBSCRIBE with no topic filters is refused", "[codec][malformed]") {
  // 3.1.1 [MQTT-3.8.3-3], 5.0 [MQTT-3.8.3-2]: at least one filter.
  CHECK(error_of({0x82, 0x02, 0x00, 0x01}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "SUBSCRIBE has no topic filters"});
  CHECK(error_of({0x82, 0x03, 0x00, 0x01, 0x00}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "SUBSCRIBE has no topic filters"});
}

TEST_CASE("a SUBSCRIBE with packet identifier 0 is refused", "[codec][malformed]") {
  CHECK(error_of({0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 'a', 0x00}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "packet identifier in SUBSCRIBE is 0"});
}

TEST_CASE("3.1.1 subscription options with reserved bits are refused", "[codec][malformed]") {
  // [MQTT-3-8.3-4] reserved bits in the payload make the packet malformed.
  CHECK(error_of({0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x04}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "subscription options in SUBSCRIBE have reserved bits set"});
}

TEST_CASE("3.1.1 subscription options asking for QoS 3 are refused", "[codec][malformed]") {
  // [MQTT-3-8.3-4] QoS must be 0, 1 or 2.
  CHECK(
      error_of({0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03}, Version::v311) ==
      CodecError{ReasonCode::malformed_packet, "subscription options in SUBSCRIBE ask for QoS 3"});
}

TEST_CASE("5.0 subscription options with reserved bits are refused", "[codec][malformed]") {
  // [MQTT-3.8.3-5] bits 6 and 7 are reserved.
  CHECK(error_of({0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x40}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "subscription options in SUBSCRIBE have reserved bits set"});
}

TEST_CASE("5.0 subscription options asking for QoS 3 are refused", "[codec][malformed]") {
  // 5.0 3.8.3.1: a Maximum QoS of 3 is a Protocol Error.
  CHECK(error_of({0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x03}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "subscription options in SUBSCRIBE ask for QoS 3"});
}

TEST_CASE("5.0 subscription options with retain handling 3 are refused", "[codec][malformed]") {
  // 5.0 3.8.3.1: a Retain Handling of 3 is a Protocol Error.
  CHECK(error_of({0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x30}, Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "subscription options in SUBSCRIBE have retain handling 3"});
}

TEST_CASE("no local on a shared subscription is refused", "[codec][malformed]") {
  // [MQTT-3.8.3-4] No Local on a Shared Subscription is a Protocol Error.
  const Bytes bytes = {
      0x82, 0x10,                                                    // SUBSCRIBE, length 16
      0x00, 0x01,                                                    // packet identifier 1
      0x00,                                                          // property length 0
      0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 't',  // "$share/g/t"
      0x04,                                                          //   no local
  };
  CHECK(error_of(bytes, Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "subscription options in SUBSCRIBE set no local on a shared subscription"});
}

TEST_CASE("a SUBSCRIBE filter without its options is refused", "[codec][malformed]") {
  CHECK(error_of({0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "subscription options runs past the end of SUBSCRIBE"});
}

TEST_CASE("a SUBSCRIBE with two subscription identifiers is refused", "[codec][malformed]") {
  // 5.0 3.8.2.1.2: including the Subscription Identifier more than once is a Protocol Error.
  const Bytes bytes = {
      0x82, 0x0B,             // SUBSCRIBE, remaining length 11
      0x00, 0x01,             // packet identifier 1
      0x04,                   // property length 4
      0x0B, 0x01,             //   subscription identifier 1
      0x0B, 0x02,             //   subscription identifier 2
      0x00, 0x01, 'a', 0x00,  // "a", QoS 0
  };
  CHECK(
      error_of(bytes, Version::v5) ==
      CodecError{ReasonCode::protocol_error,
                 "subscription identifier (0x0B) appears more than once in SUBSCRIBE properties"});
}

TEST_CASE("a SUBACK decodes and encodes in both versions", "[codec]") {
  const Bytes v311 = {
      0x90, 0x05,        // SUBACK, remaining length 5
      0x00, 0x01,        // packet identifier 1
      0x00, 0x01, 0x80,  // granted QoS 0, granted QoS 1, failure
  };
  const auto a = decode_to<Suback>(v311, Version::v311);
  CHECK(a.packet_id == 1);
  CHECK(a.reason_codes == std::vector<std::uint8_t>{0x00, 0x01, 0x80});
  CHECK(encode_to_bytes(a, Version::v311) == v311);

  const Bytes v5 = {
      0x90, 0x0A,             // SUBACK, remaining length 10
      0x00, 0x01,             // packet identifier 1
      0x04,                   // property length 4
      0x1F, 0x00, 0x01, 'x',  //   reason string "x"
      0x00, 0x02, 0xA2,       // granted QoS 0, granted QoS 2, wildcards not supported
  };
  Suback expected;
  expected.packet_id = 1;
  expected.properties.reason_string = "x";
  expected.reason_codes = {0x00, 0x02, 0xA2};
  CHECK(decode_to<Suback>(v5, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == v5);
}

TEST_CASE("a 3.1.1 SUBACK encoding turns every failure into 0x80", "[codec]") {
  Suback s;
  s.packet_id = 1;
  s.reason_codes = {0x00, 0x01, 0x87, 0xA2};
  CHECK(encode_to_bytes(s, Version::v311) == Bytes{0x90, 0x06, 0x00, 0x01, 0x00, 0x01, 0x80, 0x80});
}

TEST_CASE("a SUBACK with an unknown code is refused", "[codec][malformed]") {
  // 3.1.1 [MQTT-3.9.3-2]: 0x03 to 0x7F and 0x81 to 0xFF are reserved.
  CHECK(error_of({0x90, 0x03, 0x00, 0x01, 0x03}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "return code 0x03 is not valid in SUBACK"});
  CHECK(error_of({0x90, 0x04, 0x00, 0x01, 0x00, 0x11}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x11 is not valid in SUBACK"});
}

TEST_CASE("a SUBACK without codes is refused", "[codec][malformed]") {
  CHECK(error_of({0x90, 0x02, 0x00, 0x01}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "SUBACK has no reason codes"});
}

TEST_CASE("an UNSUBSCRIBE decodes and encodes in both versions", "[codec]") {
  const Bytes v311 = {
      0xA2, 0x0A,                 // UNSUBSCRIBE, flags 0010, remaining length 10
      0x00, 0x02,                 // packet identifier 2
      0x00, 0x03, 'a', '/', 'b',  // "a/b"
      0x00, 0x01, 'c',            // "c"
  };
  Unsubscribe expected;
  expected.packet_id = 2;
  expected.filters = {"a/b", "c"};
  CHECK(decode_to<Unsubscribe>(v311, Version::v311) == expected);
  CHECK(encode_to_bytes(expected, Version::v311) == v311);

  const Bytes v5 = {
      0xA2, 0x0D,                              // UNSUBSCRIBE, remaining length 13
      0x00, 0x02,                              // packet identifier 2
      0x07,                                    // property length 7
      0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',  //   user property k=v
      0x00, 0x01, 'a',                         // "a"
  };
  Unsubscribe with_properties;
  with_properties.packet_id = 2;
  with_properties.properties.user_properties = {{"k", "v"}};
  with_properties.filters = {"a"};
  CHECK(decode_to<Unsubscribe>(v5, Version::v5) == with_properties);
  CHECK(encode_to_bytes(with_properties, Version::v5) == v5);
}

TEST_CASE("an UNSUBSCRIBE with no topic filters is refused", "[codec][malformed]") {
  // [MQTT-3.10.3-2] at least one topic filter.
  CHECK(error_of({0xA2, 0x02, 0x00, 0x01}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "UNSUBSCRIBE has no topic filters"});
}

TEST_CASE("an UNSUBSCRIBE may not carry a subscription identifier", "[codec][malformed]") {
  // 5.0 3.10.2.1: UNSUBSCRIBE carries user properties only.
  CHECK(error_of({0xA2, 0x08, 0x00, 0x01, 0x02, 0x0B, 0x01, 0x00, 0x01, 'a'}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "subscription identifier (0x0B) is not allowed in UNSUBSCRIBE properties"});
}

TEST_CASE("an UNSUBACK decodes and encodes in both versions", "[codec]") {
  CHECK(decode_to<Unsuback>({0xB0, 0x02, 0x00, 0x05}, Version::v311).packet_id == 5);
  const Bytes v5 = {
      0xB0, 0x05,  // UNSUBACK, remaining length 5
      0x00, 0x05,  // packet identifier 5
      0x00,        // property length 0
      0x00, 0x11,  // success, no subscription existed
  };
  Unsuback expected;
  expected.packet_id = 5;
  expected.reason_codes = {ReasonCode::success, ReasonCode::no_subscription_existed};
  CHECK(decode_to<Unsuback>(v5, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == v5);
  // 3.1.1's UNSUBACK has no payload.
  CHECK(encode_to_bytes(expected, Version::v311) == Bytes{0xB0, 0x02, 0x00, 0x05});
}

TEST_CASE("a 3.1.1 UNSUBACK with a payload is refused", "[codec][malformed]") {
  CHECK(error_of({0xB0, 0x03, 0x00, 0x05, 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "1 unexpected byte at the end of UNSUBACK"});
}

TEST_CASE("a 5.0 UNSUBACK without valid codes is refused", "[codec][malformed]") {
  CHECK(error_of({0xB0, 0x03, 0x00, 0x05, 0x00}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "UNSUBACK has no reason codes"});
  CHECK(error_of({0xB0, 0x04, 0x00, 0x05, 0x00, 0x01}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x01 is not valid in UNSUBACK"});
}
