// CONNECT and CONNACK (3.1.1 and 5.0 sections 3.1 and 3.2).

#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::decode_to;
using cs::mqtt::test::encode_to_bytes;
using cs::mqtt::test::error_of;

namespace {

// A 3.1.1 CONNECT with client identifier "cid"; byte 9 holds the connect flags.
Bytes connect_311(std::uint8_t flags) {
  return {
      0x10,  0x0F,                      // CONNECT, remaining length 15
      0x00,  0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x04,                             // protocol level 4
      flags,                            // connect flags
      0x00,  0x3C,                      // keep alive 60
      0x00,  0x03, 'c', 'i', 'd',       // client identifier
  };
}

}  // namespace

TEST_CASE("a minimal 3.1.1 CONNECT decodes and encodes", "[codec]") {
  const Bytes bytes = connect_311(0x02);  // clean session
  const auto c = decode_to<Connect>(bytes, Version::v311);
  CHECK(c.version == Version::v311);
  CHECK(c.clean_start);
  CHECK(c.keep_alive == 60);
  CHECK(c.client_id == "cid");
  CHECK_FALSE(c.will);
  CHECK_FALSE(c.username);
  CHECK_FALSE(c.password);
  CHECK(encode_to_bytes(c, Version::v311) == bytes);
}

TEST_CASE("a 3.1.1 CONNECT with will, user name and password", "[codec]") {
  const Bytes bytes = {
      0x10, 0x1F,                        // CONNECT, remaining length 31
      0x00, 0x04, 'M',  'Q',  'T', 'T',  // protocol name
      0x04,                              // protocol level 4
      0xEE,                         // user name, password, will retain, will QoS 1, will, clean
      0x00, 0x00,                   // keep alive 0
      0x00, 0x02, 'c',  '1',        // client identifier
      0x00, 0x03, 'w',  '/',  't',  // will topic
      0x00, 0x03, 'b',  'y',  'e',  // will payload
      0x00, 0x01, 'u',              // user name
      0x00, 0x02, 0x01, 0x02,       // password
  };
  const auto c = decode_to<Connect>(bytes, Version::v311);
  REQUIRE(c.will);
  CHECK(c.will->topic == "w/t");
  CHECK(c.will->payload == Bytes{'b', 'y', 'e'});
  CHECK(c.will->qos == QoS::at_least_once);
  CHECK(c.will->retain);
  CHECK(c.username == "u");
  CHECK(c.password == Bytes{0x01, 0x02});
  CHECK(encode_to_bytes(c, Version::v311) == bytes);
}

TEST_CASE("a 5.0 CONNECT with every CONNECT and will property", "[codec]") {
  const Bytes bytes = {
      0x10, 0x5E,                               // CONNECT, remaining length 94
      0x00, 0x04, 'M',  'Q',  'T',  'T',        // protocol name
      0x05,                                     // protocol level 5
      0x16,                                     // will QoS 2, will, clean start
      0x00, 0x0A,                               // keep alive 10
      0x24,                                     // property length 36
      0x11, 0x00, 0x00, 0x00, 0x78,             //   session expiry interval 120
      0x15, 0x00, 0x02, 'g',  's',              //   authentication method "gs"
      0x16, 0x00, 0x01, 0xAA,                   //   authentication data AA
      0x17, 0x00,                               //   request problem information 0
      0x19, 0x01,                               //   request response information 1
      0x21, 0x00, 0x14,                         //   receive maximum 20
      0x22, 0x00, 0x05,                         //   topic alias maximum 5
      0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v',  //   user property k=v
      0x27, 0x00, 0x00, 0x10, 0x00,             //   maximum packet size 4096
      0x00, 0x02, 'i',  'd',                    // client identifier
      0x23,                                     // will property length 35
      0x01, 0x01,                               //   payload format indicator 1
      0x02, 0x00, 0x00, 0x00, 0x3C,             //   message expiry interval 60
      0x03, 0x00, 0x04, 't',  'e',  'x',  't',  //   content type "text"
      0x08, 0x00, 0x01, 'r',                    //   response topic
      0x09, 0x00, 0x02, 0x01, 0x02,             //   correlation data
      0x18, 0x00, 0x00, 0x00, 0x05,             //   will delay interval 5
      0x26, 0x00, 0x01, 'a',  0x00, 0x01, 'b',  //   user property a=b
      0x00, 0x01, 'w',                          // will topic
      0x00, 0x02, 'o',  'k',                    // will payload
  };
  Connect expected;
  expected.version = Version::v5;
  expected.keep_alive = 10;
  expected.client_id = "id";
  Properties& p = expected.properties;
  p.session_expiry_interval = 120;
  p.authentication_method = "gs";
  p.authentication_data = Bytes{0xAA};
  p.request_problem_information = 0;
  p.request_response_information = 1;
  p.receive_maximum = 20;
  p.topic_alias_maximum = 5;
  p.user_properties = {{"k", "v"}};
  p.maximum_packet_size = 4096;
  Will& will = expected.will.emplace();
  will.topic = "w";
  will.payload = {'o', 'k'};
  will.qos = QoS::exactly_once;
  will.properties.payload_format_indicator = 1;
  will.properties.message_expiry_interval = 60;
  will.properties.content_type = "text";
  will.properties.response_topic = "r";
  will.properties.correlation_data = Bytes{0x01, 0x02};
  will.properties.will_delay_interval = 5;
  will.properties.user_properties = {{"a", "b"}};

  CHECK(decode_to<Connect>(bytes, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == bytes);
}

TEST_CASE("CONNECT carries its own protocol version", "[codec]") {
  // The connection's version is not known before CONNECT: the packet decides.
  CHECK(decode_to<Connect>(connect_311(0x02), Version::v5).version == Version::v311);
  const Bytes v5 = {
      0x10, 0x10,                      // CONNECT, remaining length 16
      0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x05,                            // protocol level 5
      0x00,                            // no flags: clean start 0
      0x00, 0x00,                      // keep alive 0
      0x00,                            // property length 0
      0x00, 0x03, 'c', 'i', 'd',       // client identifier
  };
  const auto c = decode_to<Connect>(v5, Version::v311);
  CHECK(c.version == Version::v5);
  CHECK_FALSE(c.clean_start);
}

TEST_CASE("an MQTT 3.1 CONNECT (MQIsdp, level 3) is read as 3.1.1", "[codec]") {
  const Bytes bytes = {
      0x10, 0x11,                                // CONNECT, remaining length 17
      0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p',  // protocol name
      0x03,                                      // protocol level 3
      0x02,                                      // clean session
      0x00, 0x3C,                                // keep alive 60
      0x00, 0x03, 'c', 'i', 'd',                 // client identifier
  };
  const auto c = decode_to<Connect>(bytes, Version::v311);
  CHECK(c.version == Version::v311);
  CHECK(c.client_id == "cid");
}

TEST_CASE("a CONNECT with another protocol name is refused", "[codec][malformed]") {
  // [MQTT-3.1.2-1]: the server may close the connection; 5.0 answers 0x84.
  Bytes bytes = connect_311(0x02);
  bytes[7] = 'X';  // "MQTX"
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::unsupported_protocol_version,
                   "protocol name in CONNECT is neither MQTT nor MQIsdp"});
}

TEST_CASE("a CONNECT with an unknown protocol level is refused", "[codec][malformed]") {
  // [MQTT-3.1.2-2]: 3.1.1 answers return code 1, 5.0 reason code 0x84.
  Bytes bytes = connect_311(0x02);
  bytes[8] = 6;
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::unsupported_protocol_version,
                   "protocol level 6 in CONNECT is not supported"});
  bytes[8] = 3;  // level 3 goes with MQIsdp only
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::unsupported_protocol_version,
                   "protocol level 3 in CONNECT is not supported"});
}

TEST_CASE("a CONNECT with the reserved flag set is refused", "[codec][malformed]") {
  // [MQTT-3.1.2-3] the reserved flag must be 0.
  CHECK(error_of(connect_311(0x03), Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "reserved connect flag in CONNECT is 1"});
}

TEST_CASE("a CONNECT with a will QoS but no will is refused", "[codec][malformed]") {
  // 3.1.1 [MQTT-3.1.2-13], 5.0 [MQTT-3.1.2-11]: without the will flag, will QoS is 0.
  CHECK(error_of(connect_311(0x0A), Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "will QoS in CONNECT is not 0 but the will flag is 0"});
}

TEST_CASE("a CONNECT with will retain but no will is refused", "[codec][malformed]") {
  // 3.1.1 [MQTT-3.1.2-15], 5.0 [MQTT-3.1.2-13]: without the will flag, will retain is 0.
  CHECK(error_of(connect_311(0x22), Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "will retain in CONNECT is 1 but the will flag is 0"});
}

TEST_CASE("a CONNECT with will QoS 3 is refused", "[codec][malformed]") {
  // 3.1.1 [MQTT-3.1.2-14]; 5.0 3.1.2.6: a value of 3 is a Malformed Packet.
  CHECK(error_of(connect_311(0x1E), Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "will QoS in CONNECT is 3"});
}

TEST_CASE("a 3.1.1 CONNECT with a password but no user name is refused", "[codec][malformed]") {
  // [MQTT-3.1.2-22]: without the user name flag the password flag is 0 (3.1.1 only).
  CHECK(error_of(connect_311(0x42), Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "password flag in CONNECT is 1 but the user name flag is 0"});
}

TEST_CASE("a 5.0 CONNECT may carry a password without a user name", "[codec]") {
  // 5.0 3.1.2.9 allows a password without a user name.
  const Bytes bytes = {
      0x10, 0x13,                      // CONNECT, remaining length 19
      0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x05,                            // protocol level 5
      0x42,                            // password, clean start
      0x00, 0x00,                      // keep alive 0
      0x00,                            // property length 0
      0x00, 0x01, 'c',                 // client identifier
      0x00, 0x03, 'p', 'w', 'd',       // password
  };
  const auto c = decode_to<Connect>(bytes, Version::v5);
  CHECK_FALSE(c.username);
  CHECK(c.password == Bytes{'p', 'w', 'd'});
  CHECK(encode_to_bytes(c, Version::v5) == bytes);
}

TEST_CASE("a 3.1.1 CONNECT with an empty client identifier needs a clean session",
          "[codec][malformed]") {
  Bytes bytes = {
      0x10, 0x0C,                      // CONNECT, remaining length 12
      0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x04,                            // protocol level 4
      0x02,                            // clean session
      0x00, 0x3C,                      // keep alive 60
      0x00, 0x00,                      // client identifier ""
  };
  CHECK(decode_to<Connect>(bytes, Version::v311).client_id.empty());
  bytes[9] = 0x00;  // [MQTT-3.1.3-8]: without a clean session the identifier is rejected
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::client_identifier_not_valid,
                   "client identifier in CONNECT is empty but clean session is 0"});
}

TEST_CASE("a 5.0 CONNECT may have an empty client identifier without clean start", "[codec]") {
  // 5.0 3.1.3.1: the server assigns one.
  const Bytes bytes = {
      0x10, 0x0D,                      // CONNECT, remaining length 13
      0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x05,                            // protocol level 5
      0x00,                            // no flags
      0x00, 0x3C,                      // keep alive 60
      0x00,                            // property length 0
      0x00, 0x00,                      // client identifier ""
  };
  CHECK(decode_to<Connect>(bytes, Version::v5).client_id.empty());
}

TEST_CASE("a CONNECT whose will topic has a wildcard is refused", "[codec][malformed]") {
  // 3.1.3.3: the will topic is a topic name; 3.1.1 [MQTT-4.7.1-1]: no wildcards in those.
  const Bytes bytes = {
      0x10, 0x14,                      // CONNECT, remaining length 20
      0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x04,                            // protocol level 4
      0x06,                            // will, clean session
      0x00, 0x00,                      // keep alive 0
      0x00, 0x01, 'c',                 // client identifier
      0x00, 0x03, 'a', '/', '#',       // will topic
      0x00, 0x00,                      // will payload
  };
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::topic_name_invalid,
                   "will topic in CONNECT contains a wildcard (+ or #)"});
}

TEST_CASE("a CONNECT with an empty will topic is refused", "[codec][malformed]") {
  // [MQTT-4.7.3-1] topic names are at least one character long.
  const Bytes bytes = {
      0x10, 0x11,                      // CONNECT, remaining length 17
      0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
      0x04,                            // protocol level 4
      0x06,                            // will, clean session
      0x00, 0x00,                      // keep alive 0
      0x00, 0x01, 'c',                 // client identifier
      0x00, 0x00,                      // will topic ""
      0x00, 0x00,                      // will payload
  };
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::topic_name_invalid, "will topic in CONNECT is empty"});
}

TEST_CASE("a 5.0 CONNECT with authentication data but no method is refused", "[codec][malformed]") {
  // 5.0 3.1.2.11.10: authentication data without a method is a Protocol Error.
  const Bytes bytes = {
      0x10, 0x12,                        // CONNECT, remaining length 18
      0x00, 0x04, 'M',  'Q',  'T', 'T',  // protocol name
      0x05,                              // protocol level 5
      0x02,                              // clean start
      0x00, 0x00,                        // keep alive 0
      0x04,                              // property length 4
      0x16, 0x00, 0x01, 0xAA,            //   authentication data AA
      0x00, 0x01, 'c',                   // client identifier
  };
  CHECK(
      error_of(bytes, Version::v5) ==
      CodecError{ReasonCode::protocol_error,
                 "authentication data (0x16) in CONNECT properties has no authentication method"});
}

TEST_CASE("a CONNECT shorter than its fields is refused", "[codec][malformed]") {
  SECTION("a string longer than what is left") {
    Bytes bytes = connect_311(0x02);
    bytes[13] = 0x05;  // client identifier of 5 bytes, 3 present
    CHECK(error_of(bytes, Version::v311) ==
          CodecError{ReasonCode::malformed_packet,
                     "client identifier of 5 bytes runs past the end of CONNECT"});
  }
  SECTION("a missing field") {
    const Bytes bytes = {
        0x10, 0x09,                      // CONNECT, remaining length 9
        0x00, 0x04, 'M', 'Q', 'T', 'T',  // protocol name
        0x04,                            // protocol level 4
        0x02,                            // clean session
        0x00,                            // half a keep alive
    };
    CHECK(error_of(bytes, Version::v311) ==
          CodecError{ReasonCode::malformed_packet, "keep alive runs past the end of CONNECT"});
  }
  SECTION("a will flag without a will") {
    Bytes bytes = connect_311(0x06);
    CHECK(error_of(bytes, Version::v311) ==
          CodecError{ReasonCode::malformed_packet, "will topic runs past the end of CONNECT"});
  }
}

TEST_CASE("a CONNECT longer than its fields is refused", "[codec][malformed]") {
  Bytes bytes = connect_311(0x02);
  bytes[1] = 0x11;
  bytes.push_back('x');
  bytes.push_back('y');
  CHECK(error_of(bytes, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "2 unexpected bytes at the end of CONNECT"});
}

TEST_CASE("a 3.1.1 CONNACK decodes and encodes", "[codec]") {
  const Bytes bytes = {
      0x20, 0x02,  // CONNACK, remaining length 2
      0x01,        // session present
      0x00,        // return code 0: accepted
  };
  const auto c = decode_to<Connack>(bytes, Version::v311);
  CHECK(c.session_present);
  CHECK(c.reason_code == 0);
  CHECK(encode_to_bytes(c, Version::v311) == bytes);
  CHECK(decode_to<Connack>({0x20, 0x02, 0x00, 0x05}, Version::v311).reason_code ==
        static_cast<std::uint8_t>(ConnectReturnCode::not_authorized));
}

TEST_CASE("a 5.0 CONNACK with every CONNACK property", "[codec]") {
  const Bytes bytes = {
      0x20, 0x41,                               // CONNACK, remaining length 65
      0x00,                                     // no session present
      0x00,                                     // reason code success
      0x3E,                                     // property length 62
      0x11, 0x00, 0x00, 0x00, 0x3C,             //   session expiry interval 60
      0x12, 0x00, 0x02, 'a',  'b',              //   assigned client identifier "ab"
      0x13, 0x00, 0x1E,                         //   server keep alive 30
      0x15, 0x00, 0x01, 'm',                    //   authentication method "m"
      0x16, 0x00, 0x01, 0x01,                   //   authentication data 01
      0x1A, 0x00, 0x01, 'r',                    //   response information "r"
      0x1C, 0x00, 0x01, 's',                    //   server reference "s"
      0x1F, 0x00, 0x02, 'o',  'k',              //   reason string "ok"
      0x21, 0x00, 0x0A,                         //   receive maximum 10
      0x22, 0x00, 0x08,                         //   topic alias maximum 8
      0x24, 0x01,                               //   maximum QoS 1
      0x25, 0x00,                               //   retain available 0
      0x26, 0x00, 0x01, 'k',  0x00, 0x01, 'v',  //   user property k=v
      0x27, 0x00, 0x01, 0x00, 0x00,             //   maximum packet size 65536
      0x28, 0x01,                               //   wildcard subscription available 1
      0x29, 0x00,                               //   subscription identifiers available 0
      0x2A, 0x01,                               //   shared subscription available 1
  };
  Connack expected;
  Properties& p = expected.properties;
  p.session_expiry_interval = 60;
  p.assigned_client_identifier = "ab";
  p.server_keep_alive = 30;
  p.authentication_method = "m";
  p.authentication_data = Bytes{0x01};
  p.response_information = "r";
  p.server_reference = "s";
  p.reason_string = "ok";
  p.receive_maximum = 10;
  p.topic_alias_maximum = 8;
  p.maximum_qos = 1;
  p.retain_available = 0;
  p.user_properties = {{"k", "v"}};
  p.maximum_packet_size = 65536;
  p.wildcard_subscription_available = 1;
  p.subscription_identifiers_available = 0;
  p.shared_subscription_available = 1;
  CHECK(decode_to<Connack>(bytes, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == bytes);
}

TEST_CASE("CONNACK codes translate between 3.1.1 and 5.0", "[codec]") {
  Connack c;
  c.reason_code = static_cast<std::uint8_t>(ReasonCode::not_authorized);
  CHECK(encode_to_bytes(c, Version::v311) == Bytes{0x20, 0x02, 0x00, 0x05});
  c.reason_code = static_cast<std::uint8_t>(ReasonCode::unsupported_protocol_version);
  CHECK(encode_to_bytes(c, Version::v311) == Bytes{0x20, 0x02, 0x00, 0x01});
  c.reason_code = static_cast<std::uint8_t>(ReasonCode::client_identifier_not_valid);
  CHECK(encode_to_bytes(c, Version::v311) == Bytes{0x20, 0x02, 0x00, 0x02});
  c.reason_code = static_cast<std::uint8_t>(ReasonCode::bad_username_or_password);
  CHECK(encode_to_bytes(c, Version::v311) == Bytes{0x20, 0x02, 0x00, 0x04});
  c.reason_code = static_cast<std::uint8_t>(ReasonCode::server_busy);
  CHECK(encode_to_bytes(c, Version::v311) == Bytes{0x20, 0x02, 0x00, 0x03});
  c.reason_code = static_cast<std::uint8_t>(ConnectReturnCode::identifier_rejected);
  CHECK(encode_to_bytes(c, Version::v311) == Bytes{0x20, 0x02, 0x00, 0x02});
  CHECK(encode_to_bytes(c, Version::v5) == Bytes{0x20, 0x03, 0x00, 0x85, 0x00});
}

TEST_CASE("a CONNACK with reserved acknowledge flags is refused", "[codec][malformed]") {
  // 3.2.2.1: bits 7..1 are reserved and 0.
  CHECK(error_of({0x20, 0x02, 0x02, 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "acknowledge flags 0x02 in CONNACK have reserved bits set"});
}

TEST_CASE("a CONNACK with an unknown code is refused", "[codec][malformed]") {
  CHECK(error_of({0x20, 0x02, 0x00, 0x06}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "return code 0x06 is not valid in CONNACK"});
  CHECK(error_of({0x20, 0x03, 0x00, 0x01, 0x00}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x01 is not valid in CONNACK"});
}

TEST_CASE("a refusing CONNACK with session present is refused", "[codec][malformed]") {
  // 3.1.1 [MQTT-3.2.2-4], 5.0 [MQTT-3.2.2-6].
  CHECK(error_of({0x20, 0x02, 0x01, 0x05}, Version::v311) ==
        CodecError{ReasonCode::protocol_error,
                   "session present in CONNACK is 1 but the connection was refused"});
}

TEST_CASE("a 5.0 CONNACK needs its property length", "[codec][malformed]") {
  CHECK(error_of({0x20, 0x02, 0x00, 0x00}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet, "property length runs past the end of CONNACK"});
}
