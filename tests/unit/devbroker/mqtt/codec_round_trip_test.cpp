// Round trips: decode(encode(p)) == p for every packet type in both versions, encoded_size()
// agreeing with encode(), and decoding damaged packets never misbehaving.

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::encode_to_bytes;
using cs::mqtt::test::round_trip;

namespace {

std::vector<UserProperty> user_properties() {
  return {{"k", "v"}, {"k", "w"}, {"", ""}};
}

Properties connect_properties() {
  Properties p;
  p.session_expiry_interval = 0xFFFFFFFF;
  p.authentication_method = "SCRAM-SHA-256";
  p.authentication_data = Bytes{0x00, 0xFF};
  p.request_problem_information = 1;
  p.request_response_information = 0;
  p.receive_maximum = 65535;
  p.topic_alias_maximum = 0;
  p.user_properties = user_properties();
  p.maximum_packet_size = 268435460;
  return p;
}

Properties will_properties() {
  Properties p;
  p.payload_format_indicator = 1;
  p.message_expiry_interval = 3600;
  p.content_type = "text/plain; charset=utf-8";
  p.response_topic = "replies/\xE2\x82\xAC";
  p.correlation_data = Bytes{1, 2, 3};
  p.will_delay_interval = 30;
  p.user_properties = user_properties();
  return p;
}

Properties connack_properties() {
  Properties p;
  p.session_expiry_interval = 60;
  p.assigned_client_identifier = "auto-7f3a";
  p.server_keep_alive = 120;
  p.authentication_method = "SCRAM-SHA-256";
  p.authentication_data = Bytes{9};
  p.response_information = "resp/";
  p.server_reference = "other.example:1883";
  p.reason_string = "welcome";
  p.receive_maximum = 64;
  p.topic_alias_maximum = 32;
  p.maximum_qos = 1;
  p.retain_available = 1;
  p.user_properties = user_properties();
  p.maximum_packet_size = 1048576;
  p.wildcard_subscription_available = 1;
  p.subscription_identifiers_available = 1;
  p.shared_subscription_available = 0;
  return p;
}

Properties publish_properties() {
  Properties p = will_properties();
  p.will_delay_interval.reset();
  p.subscription_identifiers = {1, 127, 128, 16383, 16384, 268435455};
  p.topic_alias = 65535;
  return p;
}

Properties reason_properties() {
  Properties p;
  p.reason_string = "because";
  p.user_properties = user_properties();
  return p;
}

Connect full_connect(Version version) {
  Connect c;
  c.version = version;
  c.clean_start = false;
  c.keep_alive = 65535;
  c.client_id = "client-\xC3\xA9";
  Will& will = c.will.emplace();
  will.topic = "clients/gone";
  will.payload = Bytes(300, 0xAB);
  will.qos = QoS::exactly_once;
  will.retain = true;
  c.username = "user";
  c.password = Bytes{0, 1, 2, 0xFF};
  if (version == Version::v5) {
    c.properties = connect_properties();
    will.properties = will_properties();
  }
  return c;
}

template <class T>
T with_properties(T packet, Version version, const Properties& properties) {
  if (version == Version::v5) packet.properties = properties;
  return packet;
}

// One packet of every type with every field and property its version can carry, plus the
// smallest form of each.
std::vector<Packet> every_packet(Version version) {
  const bool v5 = version == Version::v5;
  std::vector<Packet> packets;
  packets.push_back(full_connect(version));
  Connect minimal;
  minimal.version = version;
  minimal.client_id = "c";
  packets.push_back(minimal);

  Connack connack;
  connack.session_present = true;
  packets.push_back(with_properties(connack, version, connack_properties()));
  Connack refused;
  refused.reason_code = v5 ? 0x9C : 0x03;
  packets.push_back(refused);

  for (const QoS qos : {QoS::at_most_once, QoS::at_least_once, QoS::exactly_once}) {
    Publish p;
    p.qos = qos;
    p.dup = qos != QoS::at_most_once;
    p.retain = true;
    p.topic = "a/b/c";
    p.packet_id = qos == QoS::at_most_once ? 0 : 65535;
    p.payload = Bytes(200, 0x5A);
    packets.push_back(with_properties(p, version, publish_properties()));
    p.payload.clear();
    p.properties = {};
    packets.push_back(p);
  }

  const ReasonCode puback_reason = v5 ? ReasonCode::quota_exceeded : ReasonCode::success;
  packets.push_back(with_properties(Puback{1, puback_reason, {}}, version, reason_properties()));
  packets.push_back(with_properties(Pubrec{2, puback_reason, {}}, version, reason_properties()));
  const ReasonCode pubrel_reason =
      v5 ? ReasonCode::packet_identifier_not_found : ReasonCode::success;
  packets.push_back(with_properties(Pubrel{3, pubrel_reason, {}}, version, reason_properties()));
  packets.push_back(with_properties(Pubcomp{4, pubrel_reason, {}}, version, reason_properties()));
  packets.push_back(Puback{5, puback_reason, {}});
  packets.push_back(Pubcomp{6, ReasonCode::success, {}});

  Subscribe subscribe;
  subscribe.packet_id = 7;
  subscribe.subscriptions = {{"a/+/c", QoS::at_most_once}, {"#", QoS::exactly_once}};
  if (v5) {
    subscribe.properties.subscription_identifiers = {268435455};
    subscribe.properties.user_properties = user_properties();
    subscribe.subscriptions.push_back({"$share/g/x", QoS::at_least_once, false, true, 2});
    subscribe.subscriptions.push_back({"x", QoS::at_least_once, true, false, 1});
  }
  packets.push_back(subscribe);

  Suback suback;
  suback.packet_id = 7;
  suback.reason_codes = {0x00, 0x02, 0x80};
  if (v5) suback.reason_codes.push_back(0x9E);
  packets.push_back(with_properties(suback, version, reason_properties()));

  Unsubscribe unsubscribe;
  unsubscribe.packet_id = 8;
  unsubscribe.filters = {"a/+/c", "#"};
  Properties unsubscribe_properties;
  unsubscribe_properties.user_properties = user_properties();
  packets.push_back(with_properties(unsubscribe, version, unsubscribe_properties));

  Unsuback unsuback;
  unsuback.packet_id = 8;
  if (v5) unsuback.reason_codes = {ReasonCode::success, ReasonCode::no_subscription_existed};
  packets.push_back(with_properties(unsuback, version, reason_properties()));

  packets.push_back(Pingreq{});
  packets.push_back(Pingresp{});

  Disconnect disconnect;
  if (v5) {
    disconnect.reason_code = ReasonCode::session_taken_over;
    disconnect.properties = reason_properties();
    disconnect.properties.session_expiry_interval = 0;
    disconnect.properties.server_reference = "elsewhere";
  }
  packets.push_back(disconnect);
  packets.push_back(Disconnect{});

  if (v5) {
    Auth auth;
    auth.reason_code = ReasonCode::continue_authentication;
    auth.properties = reason_properties();
    auth.properties.authentication_method = "SCRAM-SHA-256";
    auth.properties.authentication_data = Bytes(40, 0x11);
    packets.push_back(auth);
    packets.push_back(Auth{});
  }
  return packets;
}

}  // namespace

TEST_CASE("every 5.0 packet survives a round trip", "[codec]") {
  for (const Packet& packet : every_packet(Version::v5))
    CHECK(round_trip(packet, Version::v5) == packet);
}

TEST_CASE("every 3.1.1 packet survives a round trip", "[codec]") {
  for (const Packet& packet : every_packet(Version::v311))
    CHECK(round_trip(packet, Version::v311) == packet);
}

TEST_CASE("a 5.0 packet encoded for 3.1.1 loses what 3.1.1 cannot say", "[codec]") {
  const Connect c = full_connect(Version::v5);
  const auto decoded = std::get<Connect>(round_trip(c, Version::v311));
  CHECK(decoded.version == Version::v311);
  CHECK(decoded.properties == Properties{});
  CHECK(decoded.will->properties == Properties{});
  CHECK(decoded.will->payload == c.will->payload);
  CHECK(decoded.username == c.username);

  Publish p;
  p.topic = "t";
  p.properties = publish_properties();
  p.payload = {1, 2, 3};
  const auto publish = std::get<Publish>(round_trip(p, Version::v311));
  CHECK(publish.properties == Properties{});
  CHECK(publish.payload == p.payload);
}

TEST_CASE("encoded_size matches encode across remaining length boundaries", "[codec]") {
  // Payload sizes that put the remaining length on either side of 1-, 2-, 3- and 4-byte forms.
  for (const std::size_t payload :
       {0u, 120u, 121u, 122u, 16377u, 16378u, 16379u, 2097145u, 2097146u, 2097147u}) {
    Publish p;
    p.topic = "t";
    p.payload = Bytes(payload, 0x01);
    for (const Version version : {Version::v311, Version::v5}) {
      Bytes out = {0xEE};  // encode appends
      encode(p, version, out);
      CHECK(out.size() == 1 + encoded_size(p, version));
      CHECK(out[0] == 0xEE);
    }
  }
  for (const Version version : {Version::v311, Version::v5}) {
    for (const Packet& packet : every_packet(version)) encode_to_bytes(packet, version);
  }
}

TEST_CASE("encoding a field MQTT cannot express throws", "[codec]") {
  Publish p;
  p.topic = std::string(65536, 'a');
  CHECK_THROWS_AS(encoded_size(p, Version::v5), std::length_error);
  Bytes out;
  CHECK_THROWS_AS(encode(p, Version::v311, out), std::length_error);
  CHECK(out.empty());
  Publish zero_id;
  zero_id.topic = "t";
  zero_id.properties.subscription_identifiers = {0};
  CHECK_THROWS_AS(encoded_size(zero_id, Version::v5), std::invalid_argument);
}

TEST_CASE("damaged packets are refused or decoded, never misread", "[codec]") {
  // Every cut and every single-byte change of every valid packet goes through decode(); under
  // the sanitizers this shows that no input reads past the buffer or overflows.
  for (const Version version : {Version::v311, Version::v5}) {
    for (const Packet& packet : every_packet(version)) {
      const Bytes bytes = encode_to_bytes(packet, version);
      const auto header = read_fixed_header(bytes, 1 << 20).value().value();
      const ByteView body = ByteView(bytes).subspan(header.header_size);
      for (std::size_t size = 0; size < body.size(); ++size) {
        FixedHeader cut = header;
        cut.remaining_length = static_cast<std::uint32_t>(size);
        const auto result = decode(cut, body.first(size), version);
        if (!result) CHECK_FALSE(result.error().message.empty());
      }
      Bytes damaged(body.begin(), body.end());
      for (std::size_t i = 0; i < damaged.size(); ++i) {
        const std::uint8_t original = damaged[i];
        for (const std::uint8_t value : {0x00, 0x7F, 0x80, 0xFF}) {
          damaged[i] = value;
          const auto result = decode(header, damaged, version);
          if (!result) CHECK_FALSE(result.error().message.empty());
        }
        damaged[i] = original;
      }
    }
  }
}
