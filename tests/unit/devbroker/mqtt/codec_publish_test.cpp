// PUBLISH, PUBACK, PUBREC, PUBREL and PUBCOMP (3.1.1 and 5.0 sections 3.3 to 3.7).

#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::decode_to;
using cs::mqtt::test::encode_to_bytes;
using cs::mqtt::test::error_of;

TEST_CASE("a QoS 0 PUBLISH decodes and encodes", "[codec]") {
  const Bytes bytes = {
      0x30, 0x0A,                 // PUBLISH, QoS 0, remaining length 10
      0x00, 0x03, 'a', '/', 'b',  // topic name
      'h',  'e',  'l', 'l', 'o',  // payload
  };
  const auto p311 = decode_to<Publish>(bytes, Version::v311);
  CHECK(p311.topic == "a/b");
  CHECK(p311.qos == QoS::at_most_once);
  CHECK_FALSE(p311.dup);
  CHECK_FALSE(p311.retain);
  CHECK(p311.payload == Bytes{'h', 'e', 'l', 'l', 'o'});
  CHECK(encode_to_bytes(p311, Version::v311) == bytes);

  const Bytes v5 = {
      // 5.0 adds a property length
      0x30, 0x06,                 // PUBLISH, QoS 0, remaining length 6
      0x00, 0x03, 'a', '/', 'b',  // topic name
      0x00,                       // property length 0
  };
  const auto p = decode_to<Publish>(v5, Version::v5);
  CHECK(p.topic == "a/b");
  CHECK(p.payload.empty());
  CHECK(encode_to_bytes(p, Version::v5) == v5);
}

TEST_CASE("a QoS 1 PUBLISH with DUP and RETAIN", "[codec]") {
  const Bytes bytes = {
      0x3B, 0x09,                 // PUBLISH, DUP, QoS 1, RETAIN, remaining length 9
      0x00, 0x03, 'a', '/', 'b',  // topic name
      0x00, 0x07,                 // packet identifier 7
      'h',  'i',                  // payload
  };
  const auto p = decode_to<Publish>(bytes, Version::v311);
  CHECK(p.dup);
  CHECK(p.qos == QoS::at_least_once);
  CHECK(p.retain);
  CHECK(p.packet_id == 7);
  CHECK(p.payload == Bytes{'h', 'i'});
  CHECK(encode_to_bytes(p, Version::v311) == bytes);
}

TEST_CASE("a 5.0 PUBLISH with every PUBLISH property", "[codec]") {
  const Bytes bytes = {
      0x3D, 0x30,                               // PUBLISH, DUP, QoS 2, RETAIN, remaining length 48
      0x00, 0x03, 'a',  '/',  'b',              // topic name
      0x00, 0x0A,                               // packet identifier 10
      0x27,                                     // property length 39
      0x01, 0x01,                               //   payload format indicator 1
      0x02, 0x00, 0x00, 0x00, 0x1E,             //   message expiry interval 30
      0x03, 0x00, 0x04, 'j',  's',  'o',  'n',  //   content type "json"
      0x08, 0x00, 0x03, 'r',  '/',  '1',        //   response topic "r/1"
      0x09, 0x00, 0x02, 0xC0, 0xDE,             //   correlation data C0 DE
      0x0B, 0x05,                               //   subscription identifier 5
      0x0B, 0x80, 0x01,                         //   subscription identifier 128
      0x23, 0x00, 0x03,                         //   topic alias 3
      0x26, 0x00, 0x01, 'x',  0x00, 0x00,       //   user property x=""
      'p',                                      // payload
  };
  Publish expected;
  expected.dup = true;
  expected.qos = QoS::exactly_once;
  expected.retain = true;
  expected.topic = "a/b";
  expected.packet_id = 10;
  expected.payload = {'p'};
  Properties& p = expected.properties;
  p.payload_format_indicator = 1;
  p.message_expiry_interval = 30;
  p.content_type = "json";
  p.response_topic = "r/1";
  p.correlation_data = Bytes{0xC0, 0xDE};
  p.subscription_identifiers = {5, 128};  // several, from overlapping subscriptions (3.3.4)
  p.topic_alias = 3;
  p.user_properties = {{"x", ""}};
  CHECK(decode_to<Publish>(bytes, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == bytes);
}

TEST_CASE("a 5.0 PUBLISH may leave the topic empty when it has a topic alias", "[codec]") {
  // 5.0 3.3.2.3.4: the alias stands in for the topic name.
  const Bytes bytes = {
      0x30, 0x07,        // PUBLISH, QoS 0, remaining length 7
      0x00, 0x00,        // topic name ""
      0x03,              // property length 3
      0x23, 0x00, 0x01,  //   topic alias 1
      'x',               // payload
  };
  const auto p = decode_to<Publish>(bytes, Version::v5);
  CHECK(p.topic.empty());
  CHECK(p.properties.topic_alias == 1);
  CHECK(encode_to_bytes(p, Version::v5) == bytes);
}

TEST_CASE("a 5.0 PUBLISH with an empty topic and no alias is refused", "[codec][malformed]") {
  // 5.0 3.3.2.1: a zero-length topic name without a topic alias is a Protocol Error.
  CHECK(error_of({0x30, 0x04, 0x00, 0x00, 0x00, 'x'}, Version::v5) ==
        CodecError{ReasonCode::protocol_error,
                   "topic name in PUBLISH is empty and there is no topic alias"});
}

TEST_CASE("a 3.1.1 PUBLISH with an empty topic is refused", "[codec][malformed]") {
  // [MQTT-4.7.3-1] topic names are at least one character long.
  CHECK(error_of({0x30, 0x03, 0x00, 0x00, 'x'}, Version::v311) ==
        CodecError{ReasonCode::topic_name_invalid, "topic name in PUBLISH is empty"});
}

TEST_CASE("a PUBLISH with QoS 3 is refused", "[codec][malformed]") {
  // [MQTT-3.3.1-4] a PUBLISH must not have both QoS bits set.
  CHECK(error_of({0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "QoS in PUBLISH is 3"});
}

TEST_CASE("a QoS 0 PUBLISH with DUP set is refused", "[codec][malformed]") {
  // [MQTT-3.3.1-2] DUP is 0 for all QoS 0 messages (3.1.1 and 5.0).
  CHECK(error_of({0x38, 0x03, 0x00, 0x01, 'a'}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "DUP in PUBLISH is 1 but QoS is 0"});
}

TEST_CASE("a PUBLISH topic with a wildcard is refused", "[codec][malformed]") {
  // [MQTT-3.3.2-2] the topic name must not contain wildcard characters.
  CHECK(error_of({0x30, 0x05, 0x00, 0x03, 'a', '/', '+'}, Version::v311) ==
        CodecError{ReasonCode::topic_name_invalid,
                   "topic name in PUBLISH contains a wildcard (+ or #)"});
  CHECK(error_of({0x30, 0x06, 0x00, 0x03, 'a', '/', '#', 0x00}, Version::v5) ==
        CodecError{ReasonCode::topic_name_invalid,
                   "topic name in PUBLISH contains a wildcard (+ or #)"});
}

TEST_CASE("a QoS 1 PUBLISH with packet identifier 0 is refused", "[codec][malformed]") {
  // [MQTT-2.3.1-1] (5.0 [MQTT-2.2.1-3]) a non-zero packet identifier.
  CHECK(error_of({0x32, 0x05, 0x00, 0x01, 'a', 0x00, 0x00}, Version::v311) ==
        CodecError{ReasonCode::protocol_error, "packet identifier in PUBLISH is 0"});
}

TEST_CASE("a QoS 1 PUBLISH without room for its packet identifier is refused",
          "[codec][malformed]") {
  CHECK(error_of({0x32, 0x04, 0x00, 0x01, 'a', 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "packet identifier runs past the end of PUBLISH"});
}

TEST_CASE("a PUBLISH topic longer than the packet is refused", "[codec][malformed]") {
  CHECK(error_of({0x30, 0x04, 0x00, 0x09, 'a', 'b'}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic name of 9 bytes runs past the end of PUBLISH"});
}

TEST_CASE("3.1.1 acknowledgements hold only a packet identifier", "[codec]") {
  CHECK(decode_to<Puback>({0x40, 0x02, 0x00, 0x0A}, Version::v311).packet_id == 10);
  CHECK(decode_to<Pubrec>({0x50, 0x02, 0x01, 0x00}, Version::v311).packet_id == 256);
  CHECK(decode_to<Pubrel>({0x62, 0x02, 0xFF, 0xFF}, Version::v311).packet_id == 65535);
  CHECK(decode_to<Pubcomp>({0x70, 0x02, 0x00, 0x01}, Version::v311).packet_id == 1);
  Pubrel rel;
  rel.packet_id = 3;
  CHECK(encode_to_bytes(rel, Version::v311) == Bytes{0x62, 0x02, 0x00, 0x03});
  // 3.1.1 has no reason codes or properties: they are dropped.
  Puback ack;
  ack.packet_id = 10;
  ack.reason_code = ReasonCode::not_authorized;
  ack.properties.reason_string = "no";
  CHECK(encode_to_bytes(ack, Version::v311) == Bytes{0x40, 0x02, 0x00, 0x0A});
}

TEST_CASE("a 3.1.1 acknowledgement longer than two bytes is refused", "[codec][malformed]") {
  CHECK(error_of({0x40, 0x03, 0x00, 0x0A, 0x00}, Version::v311) ==
        CodecError{ReasonCode::malformed_packet, "1 unexpected byte at the end of PUBACK"});
}

TEST_CASE("5.0 acknowledgements use the short forms", "[codec]") {
  // 5.0 3.4.2.1: with success and no properties the reason code may be left out; 3.4.2.2.1:
  // with a remaining length under 4 there is no property length.
  SECTION("decoding") {
    const auto two = decode_to<Puback>({0x40, 0x02, 0x00, 0x0A}, Version::v5);
    CHECK(two.packet_id == 10);
    CHECK(two.reason_code == ReasonCode::success);
    const auto three = decode_to<Puback>({0x40, 0x03, 0x00, 0x0A, 0x10}, Version::v5);
    CHECK(three.reason_code == ReasonCode::no_matching_subscribers);
    const auto four = decode_to<Pubrec>({0x50, 0x04, 0x00, 0x0A, 0x80, 0x00}, Version::v5);
    CHECK(four.reason_code == ReasonCode::unspecified_error);
    CHECK(four.properties == Properties{});
  }
  SECTION("encoding") {
    Puback ack;
    ack.packet_id = 10;
    CHECK(encode_to_bytes(ack, Version::v5) == Bytes{0x40, 0x02, 0x00, 0x0A});
    ack.reason_code = ReasonCode::no_matching_subscribers;
    CHECK(encode_to_bytes(ack, Version::v5) == Bytes{0x40, 0x03, 0x00, 0x0A, 0x10});
  }
}

TEST_CASE("a 5.0 acknowledgement with properties", "[codec]") {
  const Bytes pubcomp = {
      0x70, 0x0D,                    // PUBCOMP, remaining length 13
      0x00, 0x0A,                    // packet identifier 10
      0x92,                          // packet identifier not found
      0x09,                          // property length 9
      0x1F, 0x00, 0x01, '?',         //   reason string "?"
      0x26, 0x00, 0x00, 0x00, 0x00,  //   user property ""=""
  };
  Pubcomp expected;
  expected.packet_id = 10;
  expected.reason_code = ReasonCode::packet_identifier_not_found;
  expected.properties.reason_string = "?";
  expected.properties.user_properties = {{"", ""}};
  CHECK(decode_to<Pubcomp>(pubcomp, Version::v5) == expected);
  CHECK(encode_to_bytes(expected, Version::v5) == pubcomp);
}

TEST_CASE("an acknowledgement with a reason code its type does not have is refused",
          "[codec][malformed]") {
  // 5.0 3.4.2.1 and 3.6.2.1 list the codes of each type.
  CHECK(error_of({0x40, 0x03, 0x00, 0x0A, 0x92}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x92 is not valid in PUBACK"});
  CHECK(error_of({0x62, 0x03, 0x00, 0x0A, 0x10}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "reason code 0x10 is not valid in PUBREL"});
  CHECK(decode_to<Pubrel>({0x62, 0x03, 0x00, 0x0A, 0x92}, Version::v5).reason_code ==
        ReasonCode::packet_identifier_not_found);
}

TEST_CASE("an acknowledgement with packet identifier 0 is refused", "[codec][malformed]") {
  CHECK(error_of({0x40, 0x02, 0x00, 0x00}, Version::v5) ==
        CodecError{ReasonCode::protocol_error, "packet identifier in PUBACK is 0"});
}

TEST_CASE("an acknowledgement may not carry PUBLISH properties", "[codec][malformed]") {
  CHECK(error_of({0x62, 0x07, 0x00, 0x01, 0x00, 0x03, 0x23, 0x00, 0x01}, Version::v5) ==
        CodecError{ReasonCode::malformed_packet,
                   "topic alias (0x23) is not allowed in PUBREL properties"});
}

namespace {

Publish publish_of(std::string topic, std::string_view payload, QoS qos, std::uint16_t id = 0) {
  Publish p;
  p.topic = std::move(topic);
  p.payload.assign(payload.begin(), payload.end());
  p.qos = qos;
  p.packet_id = id;
  return p;
}

}  // namespace

TEST_CASE("a PublishView encodes borrowed parts as a PUBLISH", "[codec]") {
  const std::string topic = "a/b";
  const Bytes payload = {'h', 'i'};
  Properties props;
  props.content_type = "t";
  const PublishView view{true, QoS::at_least_once, true, topic, 7, &props, payload};
  const Bytes expected = {
      0x3B, 0x0E,                  // PUBLISH, DUP, QoS 1, RETAIN, remaining length 14
      0x00, 0x03, 'a',  '/', 'b',  // topic name
      0x00, 0x07,                  // packet identifier
      0x04,                        // property length 4
      0x03, 0x00, 0x01, 't',       // content type "t"
      'h',  'i',                   // payload
  };
  Bytes out = {0xAA};  // appends after what is there
  encode(view, Version::v5, out);
  REQUIRE(out.size() == 1 + expected.size());
  CHECK(out[0] == 0xAA);
  CHECK(Bytes(out.begin() + 1, out.end()) == expected);
  CHECK(encoded_size(view, Version::v5) == expected.size());

  // 3.1.1 has no properties; a 5.0 view without properties has an empty list.
  Bytes v311;
  encode(view, Version::v311, v311);
  CHECK(v311 == Bytes{0x3B, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07, 'h', 'i'});
  const PublishView bare{false, QoS::at_most_once, false, topic, 0, nullptr, payload};
  Bytes v5;
  encode(bare, Version::v5, v5);
  CHECK(v5 == Bytes{0x30, 0x08, 0x00, 0x03, 'a', '/', 'b', 0x00, 'h', 'i'});
  CHECK(encoded_size(bare, Version::v5) == v5.size());
}

TEST_CASE("a Publish and its view encode to the same bytes", "[codec]") {
  std::vector<Publish> packets;
  packets.push_back(publish_of("t", "", QoS::at_most_once));
  packets.push_back(publish_of("sensors/1/temperature", "21.5", QoS::at_least_once, 1));
  Publish q2 = publish_of("x", std::string(70000, 'z'), QoS::exactly_once, 65535);  // 3-byte length
  q2.dup = true;
  q2.retain = true;
  packets.push_back(q2);
  Publish with_props = publish_of("p", "payload", QoS::at_least_once, 9);
  with_props.properties.payload_format_indicator = 1;
  with_props.properties.message_expiry_interval = 30;
  with_props.properties.response_topic = "reply/here";
  with_props.properties.correlation_data = Bytes{1, 2, 3};
  with_props.properties.subscription_identifiers = {1, 300};
  with_props.properties.user_properties = {{"k", "v"}, {"k", "w"}};
  packets.push_back(with_props);
  Publish aliased = publish_of("", "by alias", QoS::at_most_once);
  aliased.properties.topic_alias = 3;
  packets.push_back(aliased);

  for (const Publish& p : packets) {
    for (Version v : {Version::v311, Version::v5}) {
      if (v == Version::v311 && p.topic.empty()) continue;
      INFO("topic '" << p.topic << "' version " << static_cast<int>(v));
      Bytes from_view;
      encode(view_of(p), v, from_view);
      CHECK(from_view == encode_to_bytes(p, v));
      CHECK(encoded_size(view_of(p), v) == from_view.size());
      CHECK(decode_to<Publish>(from_view, v).payload == p.payload);
    }
  }
}
