// Delivery: QoS flows, flow control, aliases, expiry, no-local, subscription identifiers
// (MQTT 3.1.1 sections 3.3-3.7 and 4.3-4.6; MQTT 5.0 sections 3.3-3.7, 4.3-4.9).

#include <catch2/catch.hpp>

#include "tests/support/broker_harness.h"

using namespace cs::mqtt;
using cs::test::BrokerHarness;
using cs::test::make_publish;
using cs::test::payload_text;
using cs::test::publishes;

TEST_CASE("QoS 0 goes from publisher to subscriber in both versions", "[broker][publish]") {
  for (Version v : {Version::v311, Version::v5}) {
    BrokerHarness h;
    const auto sub = h.connect("sub", v);
    const auto pub = h.connect("pub", v);
    CHECK(h.subscribe(sub, "a/+", QoS::at_most_once, v) == std::vector<std::uint8_t>{0});
    h.send(pub, make_publish("a/b", "hello"), v);
    const auto got = publishes(h.received(sub, v));
    REQUIRE(got.size() == 1);
    CHECK(got[0].topic == "a/b");
    CHECK(payload_text(got[0]) == "hello");
    CHECK(got[0].qos == QoS::at_most_once);
    CHECK(h.received(pub, v).empty());
  }
}

TEST_CASE("QoS 1 is acknowledged to the publisher and re-acknowledged by the subscriber",
          "[broker][publish]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t", QoS::at_least_once);
  h.send(pub, make_publish("t", "m", QoS::at_least_once, 11));
  const auto acks = h.received(pub);
  REQUIRE(acks.size() == 1);
  CHECK(std::get<Puback>(acks[0]).packet_id == 11);
  const auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 1);
  CHECK(got[0].qos == QoS::at_least_once);
  CHECK(got[0].packet_id != 0);
  h.send(sub, Puback{got[0].packet_id, ReasonCode::success, {}});
  CHECK(h.received(sub).empty());
}

TEST_CASE("[MQTT-3.8.4-8] delivery QoS is the minimum of publish and subscription QoS",
          "[broker][publish]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t", QoS::at_least_once);
  h.send(pub, make_publish("t", "m", QoS::exactly_once, 5));
  CHECK(publishes(h.received(sub)).at(0).qos == QoS::at_least_once);
  h.send(pub, make_publish("t", "m", QoS::at_most_once));
  CHECK(publishes(h.received(sub)).at(0).qos == QoS::at_most_once);
}

TEST_CASE("QoS 2 completes PUBREC/PUBREL/PUBCOMP on both sides", "[broker][publish]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t", QoS::exactly_once);
  h.send(pub, make_publish("t", "m", QoS::exactly_once, 9));
  CHECK(std::get<Pubrec>(h.received(pub).at(0)).packet_id == 9);
  const auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 1);
  CHECK(got[0].qos == QoS::exactly_once);

  h.send(pub, Pubrel{9, ReasonCode::success, {}});
  const auto comp = std::get<Pubcomp>(h.received(pub).at(0));
  CHECK(comp.packet_id == 9);
  CHECK(comp.reason_code == ReasonCode::success);

  h.send(sub, Pubrec{got[0].packet_id, ReasonCode::success, {}});
  CHECK(std::get<Pubrel>(h.received(sub).at(0)).packet_id == got[0].packet_id);
  h.send(sub, Pubcomp{got[0].packet_id, ReasonCode::success, {}});
  CHECK(h.received(sub).empty());
}

TEST_CASE("[MQTT-4.3.3-9] a re-sent QoS 2 PUBLISH is not delivered twice", "[broker][publish]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t", QoS::exactly_once);
  auto p = make_publish("t", "once", QoS::exactly_once, 3);
  h.send(pub, p);
  p.dup = true;
  h.send(pub, p);
  const auto acks = h.received(pub);
  REQUIRE(acks.size() == 2);
  CHECK(std::get<Pubrec>(acks[1]).packet_id == 3);
  CHECK(publishes(h.received(sub)).size() == 1);
}

TEST_CASE("PUBREL for an unknown packet id is answered with 0x92", "[broker][publish]") {
  BrokerHarness h;
  const auto c = h.connect("c");
  h.send(c, Pubrel{77, ReasonCode::success, {}});
  const auto comp = std::get<Pubcomp>(h.received(c).at(0));
  CHECK(comp.packet_id == 77);
  CHECK(comp.reason_code == ReasonCode::packet_identifier_not_found);
}

TEST_CASE("[MQTT-3.3.4-7] no more in-flight messages than the client's receive maximum",
          "[broker][flow]") {
  BrokerHarness h;
  Properties props;
  props.receive_maximum = 2;
  const auto sub = h.connect("sub", Version::v5, true, props);
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t", QoS::at_least_once);
  for (int i = 0; i < 5; ++i) {
    h.send(pub, make_publish("t", std::to_string(i), QoS::at_least_once,
                             static_cast<std::uint16_t>(i + 1)));
  }
  auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 2);
  CHECK(payload_text(got[0]) == "0");
  CHECK(payload_text(got[1]) == "1");
  h.send(sub, Puback{got[0].packet_id, ReasonCode::success, {}});
  got = publishes(h.received(sub));
  REQUIRE(got.size() == 1);
  CHECK(payload_text(got[0]) == "2");
}

TEST_CASE("[MQTT-3.3.4-9] a client exceeding our receive maximum is disconnected with 0x93",
          "[broker][flow]") {
  cs::devbroker::Limits limits;
  limits.receive_maximum = 2;
  BrokerHarness h(limits);
  const auto c = h.connect("c");
  for (std::uint16_t id = 1; id <= 3; ++id)
    h.send(c, make_publish("t", "x", QoS::exactly_once, id));
  const auto packets = h.received(c);
  REQUIRE(packets.size() == 3);
  CHECK(std::get<Disconnect>(packets[2]).reason_code == ReasonCode::receive_maximum_exceeded);
  CHECK(h.close_requested(c));
}

TEST_CASE("a publish the authorizer forbids is dropped and refused with 0x87 (5.0)",
          "[broker][publish]") {
  BrokerHarness h;
  h.authorizer.deny_publish.insert("secret");
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "#");
  h.send(pub, make_publish("secret", "x", QoS::at_least_once, 1));
  CHECK(std::get<Puback>(h.received(pub).at(0)).reason_code == ReasonCode::not_authorized);
  h.send(pub, make_publish("secret", "x", QoS::exactly_once, 2));
  CHECK(std::get<Pubrec>(h.received(pub).at(0)).reason_code == ReasonCode::not_authorized);
  CHECK(publishes(h.received(sub)).empty());
  CHECK_FALSE(h.close_requested(pub));
}

TEST_CASE("clients cannot publish to $-topics", "[broker][publish]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "$SYS/#");
  h.send(pub, make_publish("$SYS/broker/uptime", "forged", QoS::at_least_once, 1));
  CHECK(std::get<Puback>(h.received(pub).at(0)).reason_code == ReasonCode::not_authorized);
  CHECK(publishes(h.received(sub)).empty());
}

TEST_CASE("[MQTT-3.3.2-12] inbound topic aliases map to the topic they were set with",
          "[broker][alias]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "long/topic/name");
  auto first = make_publish("long/topic/name", "1");
  first.properties.topic_alias = 3;
  h.send(pub, first);
  auto second = make_publish("", "2");
  second.properties.topic_alias = 3;
  h.send(pub, second);
  const auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 2);
  CHECK(got[1].topic == "long/topic/name");
  CHECK_FALSE(got[1].properties.topic_alias);  // the subscriber negotiated no aliases
}

TEST_CASE("an alias beyond the announced maximum is 0x94, an unknown one 0x82", "[broker][alias]") {
  cs::devbroker::Limits limits;
  limits.topic_alias_maximum = 4;
  BrokerHarness h(limits);
  auto c = h.connect("c1");
  auto p = make_publish("t", "x");
  p.properties.topic_alias = 5;
  h.send(c, p);
  CHECK(std::get<Disconnect>(h.received(c).at(0)).reason_code == ReasonCode::topic_alias_invalid);

  c = h.connect("c2");
  auto q = make_publish("", "x");
  q.properties.topic_alias = 2;
  h.send(c, q);
  CHECK(std::get<Disconnect>(h.received(c).at(0)).reason_code == ReasonCode::protocol_error);
}

TEST_CASE("outbound topic aliases stay within the client's maximum", "[broker][alias]") {
  BrokerHarness h;
  Properties props;
  props.topic_alias_maximum = 1;
  const auto sub = h.connect("sub", Version::v5, true, props);
  const auto pub = h.connect("pub");
  h.subscribe(sub, "#");
  for (const char* t : {"a/1", "a/1", "a/2"}) h.send(pub, make_publish(t, "x"));
  const auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 3);
  CHECK(got[0].topic == "a/1");
  CHECK(got[0].properties.topic_alias == 1);
  CHECK(got[1].topic.empty());
  CHECK(got[1].properties.topic_alias == 1);
  CHECK(got[2].topic == "a/2");
  CHECK_FALSE(got[2].properties.topic_alias);
}

TEST_CASE("[MQTT-3.1.2-25] a message over the client's maximum packet size is discarded",
          "[broker][publish]") {
  BrokerHarness h;
  Properties props;
  props.maximum_packet_size = 64;
  const auto sub = h.connect("sub", Version::v5, true, props);
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t", QoS::at_least_once);
  h.send(pub, make_publish("t", std::string(100, 'x'), QoS::at_least_once, 1));
  h.send(pub, make_publish("t", "small", QoS::at_least_once, 2));
  const auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 1);
  CHECK(payload_text(got[0]) == "small");
  CHECK(h.broker.stats().dropped == 1);
}

TEST_CASE("5.0 properties pass through unchanged", "[broker][publish]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t");
  auto p = make_publish("t", "{}");
  p.properties.payload_format_indicator = 1;
  p.properties.content_type = "application/json";
  p.properties.response_topic = "replies/1";
  p.properties.correlation_data = cs::Bytes{1, 2, 3};
  p.properties.user_properties = {{"k", "v"}, {"k", "w"}};
  h.send(pub, p);
  const auto got = publishes(h.received(sub)).at(0);
  CHECK(got.properties.payload_format_indicator == 1);
  CHECK(got.properties.content_type == "application/json");
  CHECK(got.properties.response_topic == "replies/1");
  CHECK(got.properties.correlation_data == cs::Bytes{1, 2, 3});
  CHECK(got.properties.user_properties == p.properties.user_properties);
}

TEST_CASE("a payload that is not UTF-8 despite its format indicator is refused with 0x99",
          "[broker][publish]") {
  BrokerHarness h;
  const auto c = h.connect("c");
  auto p = make_publish("t", "\xff\xfe", QoS::at_least_once, 1);
  p.properties.payload_format_indicator = 1;
  h.send(c, p);
  CHECK(std::get<Puback>(h.received(c).at(0)).reason_code == ReasonCode::payload_format_invalid);
}

TEST_CASE("[MQTT-3.3.2-6] the expiry interval forwarded is what is left of it",
          "[broker][expiry]") {
  BrokerHarness h;
  const auto sub = h.connect("sub", Version::v5, false, [] {
    Properties p;
    p.session_expiry_interval = 600;
    return p;
  }());
  h.subscribe(sub, "t", QoS::at_least_once);
  h.close(sub);
  const auto pub = h.connect("pub");
  auto p = make_publish("t", "x", QoS::at_least_once, 1);
  p.properties.message_expiry_interval = 30;
  h.send(pub, p);
  auto q = make_publish("t", "gone", QoS::at_least_once, 2);
  q.properties.message_expiry_interval = 5;
  h.send(pub, q);
  h.advance(std::chrono::seconds(10));
  const auto again = h.connect("sub", Version::v5, false);
  const auto got = publishes(h.received(again));
  REQUIRE(got.size() == 1);  // the 5-second message expired while queued
  CHECK(payload_text(got[0]) == "x");
  CHECK(got[0].properties.message_expiry_interval == 20);
}

TEST_CASE("[MQTT-3.8.3-3] no-local keeps a client's own messages from it", "[broker][publish]") {
  BrokerHarness h;
  const auto c = h.connect("c");
  Subscribe s{1, {}, {SubscriptionRequest{"t", QoS::at_most_once, true, false, 0}}};
  h.send(c, s);
  h.received(c);
  h.send(c, make_publish("t", "mine"));
  CHECK(publishes(h.received(c)).empty());
  const auto other = h.connect("other");
  h.send(other, make_publish("t", "theirs"));
  CHECK(publishes(h.received(c)).size() == 1);
}

TEST_CASE("[MQTT-3.3.4-2] overlapping subscriptions give one copy with every identifier",
          "[broker][publish]") {
  BrokerHarness h;
  const auto c = h.connect("c");
  Subscribe s1{1, {}, {SubscriptionRequest{"a/+", QoS::at_most_once, false, false, 0}}};
  s1.properties.subscription_identifiers = {7};
  Subscribe s2{2, {}, {SubscriptionRequest{"a/#", QoS::at_least_once, false, false, 0}}};
  s2.properties.subscription_identifiers = {9};
  h.send(c, s1);
  h.send(c, s2);
  h.received(c);
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("a/b", "x", QoS::exactly_once, 1));
  const auto got = publishes(h.received(c));
  REQUIRE(got.size() == 1);
  CHECK(got[0].qos == QoS::at_least_once);
  auto ids = got[0].properties.subscription_identifiers;
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::uint32_t>{7, 9});
}

TEST_CASE("3.1.1 overlapping subscriptions deliver once at the highest QoS", "[broker][publish]") {
  BrokerHarness h;
  const auto c = h.connect("c", Version::v311);
  h.subscribe(c, "a/+", QoS::at_most_once, Version::v311);
  h.subscribe(c, "#", QoS::exactly_once, Version::v311);
  const auto pub = h.connect("pub", Version::v311);
  h.send(pub, make_publish("a/b", "x", QoS::exactly_once, 1), Version::v311);
  const auto got = publishes(h.received(c, Version::v311));
  REQUIRE(got.size() == 1);
  CHECK(got[0].qos == QoS::exactly_once);
}

TEST_CASE("[MQTT-4.7.2-1] wildcards at the first level do not match $-topics", "[broker][sys]") {
  BrokerHarness h;
  const auto all = h.connect("all");
  const auto sys = h.connect("sys");
  h.subscribe(all, "#");
  h.subscribe(sys, "$SYS/broker/clients/+");
  h.advance(std::chrono::seconds(6));
  CHECK(publishes(h.received(all)).empty());
  const auto got = publishes(h.received(sys));
  REQUIRE_FALSE(got.empty());
  bool saw_connected = false;
  for (const auto& p : got) {
    if (p.topic == "$SYS/broker/clients/connected") {
      saw_connected = true;
      CHECK(payload_text(p) == "2");
    }
  }
  CHECK(saw_connected);
}

TEST_CASE("a slow reader loses QoS 0 messages beyond the output limit, not the connection",
          "[broker][flow]") {
  cs::devbroker::Limits limits;
  limits.max_pending_output = 1000;
  BrokerHarness h(limits);
  const auto sub = h.connect("sub");
  const auto pub = h.connect("pub");
  h.subscribe(sub, "t");
  for (int i = 0; i < 50; ++i) h.send(pub, make_publish("t", std::string(100, 'x')));
  const auto got = publishes(h.received(sub));
  CHECK(got.size() < 50);
  CHECK(got.size() >= 9);
  CHECK(h.broker.stats().dropped == 50 - got.size());
  CHECK_FALSE(h.close_requested(sub));
}
