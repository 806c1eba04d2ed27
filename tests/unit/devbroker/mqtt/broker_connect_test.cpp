// Broker behaviour on CONNECT (MQTT 3.1.1 section 3.1-3.2, MQTT 5.0 section 3.1-3.2).

#include <catch2/catch.hpp>

#include "tests/support/broker_harness.h"

using namespace cs::mqtt;
using cs::Bytes;
using cs::test::BrokerHarness;

namespace {

Connect make_connect(const std::string& id, Version v = Version::v5) {
  Connect c;
  c.version = v;
  c.client_id = id;
  c.keep_alive = 30;
  return c;
}

Connack only_connack(const std::vector<Packet>& packets) {
  REQUIRE(packets.size() == 1);
  REQUIRE(std::holds_alternative<Connack>(packets[0]));
  return std::get<Connack>(packets[0]);
}

}  // namespace

TEST_CASE("a 3.1.1 client is accepted with return code 0", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  h.send(id, make_connect("c1", Version::v311), Version::v311);
  const auto ack = only_connack(h.received(id, Version::v311));
  CHECK(ack.reason_code == 0);
  CHECK_FALSE(ack.session_present);
  CHECK_FALSE(h.close_requested(id));
}

TEST_CASE("a 5.0 CONNACK announces the server's limits", "[broker][connect]") {
  cs::devbroker::Limits limits;
  BrokerHarness h(limits);
  Connack ack;
  h.connect("c1", Version::v5, true, {}, std::nullopt, &ack);
  CHECK(ack.reason_code == 0);
  CHECK(ack.properties.receive_maximum == limits.receive_maximum);
  CHECK(ack.properties.maximum_packet_size == limits.max_packet_size);
  CHECK(ack.properties.topic_alias_maximum == limits.topic_alias_maximum);
  CHECK_FALSE(ack.properties.assigned_client_identifier);
}

TEST_CASE("[MQTT-3.1.0-1] a first packet other than CONNECT closes the connection",
          "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  h.send(id, Pingreq{});
  CHECK(h.received(id).empty());
  CHECK(h.close_requested(id));
}

TEST_CASE("[MQTT-3.1.0-2] a second CONNECT is a protocol error", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.connect("c1");
  h.send(id, make_connect("c1"));
  const auto packets = h.received(id);
  REQUIRE(packets.size() == 1);
  CHECK(std::get<Disconnect>(packets[0]).reason_code == ReasonCode::protocol_error);
  CHECK(h.close_requested(id));
}

TEST_CASE("[MQTT-3.1.3-8] 3.1.1 refuses an empty client id without clean session",
          "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  auto c = make_connect("", Version::v311);
  c.clean_start = false;
  h.send(id, c, Version::v311);
  CHECK(only_connack(h.received(id, Version::v311)).reason_code ==
        static_cast<std::uint8_t>(ConnectReturnCode::identifier_rejected));
  CHECK(h.close_requested(id));
}

TEST_CASE("3.1.1 accepts an empty client id with clean session", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  h.send(id, make_connect("", Version::v311), Version::v311);
  CHECK(only_connack(h.received(id, Version::v311)).reason_code == 0);
}

TEST_CASE("[MQTT-3.2.2-16] 5.0 assigns a client id and says which", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  h.send(id, make_connect(""));
  const auto ack = only_connack(h.received(id));
  CHECK(ack.reason_code == 0);
  REQUIRE(ack.properties.assigned_client_identifier);
  CHECK(ack.properties.assigned_client_identifier->starts_with("auto-"));
  CHECK(ack.properties.assigned_client_identifier->size() == 25);
}

TEST_CASE("wrong credentials are refused with the code of each version", "[broker][connect]") {
  BrokerHarness h;
  h.authorizer.passwords["alice"] = "secret";
  for (Version v : {Version::v311, Version::v5}) {
    const auto id = h.open();
    auto c = make_connect("c1", v);
    c.username = "alice";
    c.password = Bytes{'n', 'o', 'p', 'e'};
    h.send(id, c, v);
    const auto ack = only_connack(h.received(id, v));
    CHECK(ack.reason_code == (v == Version::v5 ? 0x86 : 0x04));
    CHECK(h.close_requested(id));
  }
}

TEST_CASE("an anonymous client is refused when anonymity is off", "[broker][connect]") {
  BrokerHarness h;
  h.authorizer.allow_anonymous = false;
  for (Version v : {Version::v311, Version::v5}) {
    const auto id = h.open();
    h.send(id, make_connect("c1", v), v);
    const auto ack = only_connack(h.received(id, v));
    CHECK(ack.reason_code == (v == Version::v5 ? 0x87 : 0x05));
  }
}

TEST_CASE("a 5.0 refusal carries a reason string unless problem information is off",
          "[broker][connect]") {
  BrokerHarness h;
  h.authorizer.allow_anonymous = false;
  auto id = h.open();
  h.send(id, make_connect("c1"));
  CHECK(only_connack(h.received(id)).properties.reason_string == "anonymous refused");

  id = h.open();
  auto c = make_connect("c2");
  c.properties.request_problem_information = 0;
  h.send(id, c);
  CHECK_FALSE(only_connack(h.received(id)).properties.reason_string);
}

TEST_CASE("[MQTT-3.1.2-2] an unknown protocol level gets return code 1 (3.1.1)",
          "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  // CONNECT, protocol name "MQTT", level 3 (not 4 or 5), clean session, keep alive 60, id "a".
  h.send_bytes(id, Bytes{0x10, 0x0d, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x07, 0x02, 0x00, 0x3c, 0x00,
                         0x01, 'a'});
  const auto ack = only_connack(h.received(id, Version::v311));
  CHECK(ack.reason_code == 0x01);
  CHECK(h.close_requested(id));
}

TEST_CASE("a malformed 3.1.1 CONNECT closes without CONNACK", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  // [MQTT-3.1.2-3] reserved flag bit 0 set.
  h.send_bytes(id, Bytes{0x10, 0x0d, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x03, 0x00, 0x3c, 0x00,
                         0x01, 'a'});
  CHECK(h.received(id, Version::v311).empty());
  CHECK(h.close_requested(id));
}

TEST_CASE("a malformed 5.0 CONNECT gets CONNACK 0x81", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  // Level 5, reserved flag bit 0 set, properties length 0.
  h.send_bytes(id, Bytes{0x10, 0x0e, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x03, 0x00, 0x3c, 0x00,
                         0x00, 0x01, 'a'});
  const auto ack = only_connack(h.received(id));
  CHECK(ack.reason_code == 0x81);
  CHECK(h.close_requested(id));
}

TEST_CASE("enhanced authentication is refused with 0x8C", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  auto c = make_connect("c1");
  c.properties.authentication_method = "SCRAM-SHA-1";
  h.send(id, c);
  CHECK(only_connack(h.received(id)).reason_code == 0x8C);
}

TEST_CASE("packets pipelined behind a CONNECT wait for its decision", "[broker][connect]") {
  BrokerHarness h;
  h.authorizer.defer = true;
  const auto id = h.open();
  Bytes bytes;
  encode(make_connect("c1"), Version::v5, bytes);
  Subscribe s{7, {}, {SubscriptionRequest{"a/b", QoS::at_least_once, false, false, 0}}};
  encode(s, Version::v5, bytes);
  h.send_bytes(id, bytes);
  CHECK(h.received(id).empty());
  REQUIRE(h.authorizer.deferred.size() == 1);

  h.broker.on_auth_result(id, h.authorizer.decide(h.authorizer.deferred[0]), h.now);
  const auto packets = h.received(id);
  REQUIRE(packets.size() == 2);
  CHECK(std::get<Connack>(packets[0]).reason_code == 0);
  CHECK(std::get<Suback>(packets[1]).reason_codes == std::vector<std::uint8_t>{1});
}

TEST_CASE("[MQTT-3.1.4-3] a second connection with the same client id takes over",
          "[broker][connect]") {
  BrokerHarness h;
  const auto first = h.connect("same");
  const auto second = h.connect("same");
  const auto packets = h.received(first);
  REQUIRE(packets.size() == 1);
  CHECK(std::get<Disconnect>(packets[0]).reason_code == ReasonCode::session_taken_over);
  CHECK(h.close_requested(first));
  CHECK_FALSE(h.close_requested(second));
}

TEST_CASE("a 3.1.1 take-over closes the old connection without a packet", "[broker][connect]") {
  BrokerHarness h;
  const auto first = h.connect("same", Version::v311);
  h.connect("same", Version::v311);
  CHECK(h.received(first, Version::v311).empty());
  CHECK(h.close_requested(first));
}

TEST_CASE("[MQTT-3.1.2-24] silence for 1.5 keep-alive periods closes the connection",
          "[broker][keepalive]") {
  BrokerHarness h;
  const auto id = h.connect("c1");  // keep alive 60 s
  h.advance(std::chrono::seconds(89));
  CHECK_FALSE(h.close_requested(id));
  h.send(id, Pingreq{});
  CHECK(std::holds_alternative<Pingresp>(h.received(id).at(0)));
  h.advance(std::chrono::seconds(89));
  CHECK_FALSE(h.close_requested(id));
  h.advance(std::chrono::seconds(2));
  CHECK(h.close_requested(id));
  const auto packets = h.received(id);
  REQUIRE_FALSE(packets.empty());
  CHECK(std::get<Disconnect>(packets.back()).reason_code == ReasonCode::keep_alive_timeout);
}

TEST_CASE("5.0 server keep alive replaces 0 and values above the maximum", "[broker][keepalive]") {
  cs::devbroker::Limits limits;
  limits.max_keep_alive = 120;
  BrokerHarness h(limits);
  for (std::uint16_t asked : {0, 500}) {
    const auto id = h.open();
    auto c = make_connect("c" + std::to_string(asked));
    c.keep_alive = asked;
    h.send(id, c);
    CHECK(only_connack(h.received(id)).properties.server_keep_alive == 120);
  }
  const auto id = h.open();
  h.send(id, make_connect("ok"));
  CHECK_FALSE(only_connack(h.received(id)).properties.server_keep_alive);
}

TEST_CASE("a connection that never sends CONNECT is closed", "[broker][connect]") {
  BrokerHarness h;
  const auto id = h.open();
  h.advance(std::chrono::seconds(11));
  CHECK(h.close_requested(id));
}

TEST_CASE("connections beyond the limit are closed at once", "[broker][connect]") {
  cs::devbroker::Limits limits;
  limits.max_connections = 2;
  BrokerHarness h(limits);
  const auto a = h.open();
  const auto b = h.open();
  const auto c = h.open();
  CHECK_FALSE(h.close_requested(a));
  CHECK_FALSE(h.close_requested(b));
  CHECK(h.close_requested(c));
}

TEST_CASE("a client id over the limit is refused", "[broker][connect]") {
  cs::devbroker::Limits limits;
  limits.max_client_id_length = 23;
  BrokerHarness h(limits);
  const auto id = h.open();
  h.send(id, make_connect(std::string(24, 'x')));
  CHECK(only_connack(h.received(id)).reason_code == 0x85);
}

TEST_CASE("the server can end the connections of one identity with a reason", "[broker][connect]") {
  BrokerHarness h;
  h.authorizer.passwords["alice"] = "a";
  h.authorizer.passwords["bob"] = "b";
  auto login = [&](const std::string& user, const std::string& pw, Version v) {
    const auto id = h.open();
    auto c = make_connect(user + "-client", v);
    c.username = user;
    c.password = Bytes(pw.begin(), pw.end());
    h.send(id, c, v);
    REQUIRE(only_connack(h.received(id, v)).reason_code == 0);
    return id;
  };
  const auto alice5 = login("alice", "a", Version::v5);
  const auto bob = login("bob", "b", Version::v5);
  h.broker.disconnect_if([](const Identity& i) { return i.username == "alice"; },
                         ReasonCode::not_authorized, h.now);
  CHECK(std::get<Disconnect>(h.received(alice5).at(0)).reason_code == ReasonCode::not_authorized);
  CHECK(h.close_requested(alice5));
  CHECK_FALSE(h.close_requested(bob));
  CHECK(h.received(bob).empty());
}
