// PINGREQ, PINGRESP, DISCONNECT and AUTH (3.1.1 and 5.0 sections 3.12 to 3.15).

#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::decode_to;
using cs::mqtt::test::encode_to_bytes;
using cs::mqtt::test::error_of;

TEST_CASE("PINGREQ and PINGRESP are two bytes", "[codec]") {
  for (const Version version : {Version::v311, Version::v5}) {
    decode_to<Pingreq>({0xC0, 0x00}, version);
    decode_to<Pingresp>({0xD0, 0x00}, version);
    CHECK(encode_to_bytes(Pingreq{}, version) == Bytes{0xC0, 0x00});
    CHECK(encode_to_bytes(Pingresp{}, version) == Bytes{0xD0, 0x00});
  }
}

TEST_CASE("a PINGREQ with a body is refused", "[codec][malformed]") {
  CHECK(error_of({0xC0, 0x01, 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "1 unexpected byte at the end of PINGREQ"});
}

TEST_CASE("a DISCONNECT decodes and encodes in both versions", "[codec]") {
  SECTION("3.1.1 has no body") {
    decode_to<Disconnect>({0xE0, 0x00}, Version::v311);
    Disconnect d;
    d.reason_code = ReasonCode::server_shutting_down;  // dropped
    CHECK(encode_to_bytes(d, Version::v311) == Bytes{0xE0, 0x00});
  }
  SECTION("5.0 short forms") {
    // 5.0 3.14.2.1: remaining length 0 means normal disconnection; 3.14.2.2.1: under 2, no
    // property length.
    CHECK(decode_to<Disconnect>({0xE0, 0x00}, Version::v5) == Disconnect{});
    const auto with_will = decode_to<Disconnect>({0xE0, 0x01, 0x04}, Version::v5);
    CHECK(with_will.reason_code == ReasonCode::disconnect_with_will);
    CHECK(encode_to_bytes(Disconnect{}, Version::v5) == Bytes{0xE0, 0x00});
    CHECK(encode_to_bytes(with_will, Version::v5) == Bytes{0xE0, 0x01, 0x04});
  }
  SECTION("5.0 with every DISCONNECT property") {
    const Bytes bytes = {
        0xE0, 0x16,                               // DISCONNECT, remaining length 22
        0x8B,                                     // server shutting down
        0x14,                                     // property length 20
        0x11, 0x00, 0x00, 0x00, 0x00,             //   session expiry interval 0
        0x1C, 0x00, 0x01, 's',                    //   server reference "s"
        0x1F, 0x00, 0x01, 'r',                    //   reason string "r"
        0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v',  //   user property k=v
    };
    Disconnect expected;
    expected.reason_code = ReasonCode::server_shutting_down;
    expected.properties.session_expiry_interval = 0;
    expected.properties.server_reference = "s";
    expected.properties.reason_string = "r";
    expected.properties.user_properties = {{"k", "v"}};
    CHECK(decode_to<Disconnect>(bytes, Version::v5) == expected);
    CHECK(encode_to_bytes(expected, Version::v5) == bytes);
  }
}

TEST_CASE("a 3.1.1 DISCONNECT with a body is refused", "[codec][malformed]") {
  CHECK(error_of({0xE0, 0x01, 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "1 unexpected byte at the end of DISCONNECT"});
}

TEST_CASE("a DISCONNECT with a reason code it does not have is refused", "[codec][malformed]") {
  CHECK(error_of({0xE0, 0x01, 0x18}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x18 is not valid in DISCONNECT"});
}

TEST_CASE("an AUTH decodes and encodes", "[codec]") {
  CHECK(decode_to<Auth>({0xF0, 0x00}, Version::v5) == Auth{});
  CHECK(encode_to_bytes(Auth{}, Version::v5) == Bytes{0xF0, 0x00});
  const Bytes bytes = {
      0xF0, 0x12,                                   // AUTH, remaining length 18
      0x18,                                         // continue authentication
      0x10,                                         // property length 16
      0x15, 0x00, 0x05, 'S',  'C',  'R', 'A', 'M',  //   authentication method "SCRAM"
      0x16, 0x00, 0x02, 0x01, 0x02,                 //   authentication data 01 02
      0x1F, 0x00, 0x00,                             //   reason string ""
  };
  Auth expected;
  expected.reason_code = ReasonCode::continue_authentication;
  expected.properties.authentication_method = "SCRAM";
  expected.properties.authentication_data = Bytes{0x01, 0x02};
  expected.properties.reason_string = "";
  CHECK(decode_to<Auth>(bytes, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == bytes);
  // A reason code without properties still carries a property length.
  Auth reauthenticate;
  reauthenticate.reason_code = ReasonCode::reauthenticate;
  CHECK(encode_to_bytes(reauthenticate, Version::v5) == Bytes{0xF0, 0x02, 0x19, 0x00});
  CHECK(decode_to<Auth>({0xF0, 0x01, 0x19}, Version::v5) == reauthenticate);
}

TEST_CASE("AUTH does not exist in 3.1.1", "[codec][malformed]") {
  // 3.1.1 table 2.1: type 15 is reserved.
  CHECK(error_of({0xF0, 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "AUTH does not exist in MQTT 3.1.1"});
  CHECK(encoded_size(Auth{}, Version::v311) == 0);
  Bytes out;
  encode(Auth{}, Version::v311, out);
  CHECK(out.empty());
}

TEST_CASE("an AUTH with a reason code it does not have is refused", "[codec][malformed]") {
  CHECK(error_of({0xF0, 0x02, 0x87, 0x00}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x87 is not valid in AUTH"});
}
