// Sessions, retained messages, wills and shared subscriptions (MQTT 3.1.1 sections 3.1.2.4,
// 3.1.2.5, 3.3.1.3, 4.1; MQTT 5.0 sections 3.1.2.4-3.1.2.11, 3.3.1.3, 3.8.3.1, 4.1, 4.8.2).

#include <catch2/catch.hpp>

#include "tests/support/broker_harness.h"

using namespace cs::mqtt;
using cs::test::BrokerHarness;
using cs::test::make_publish;
using cs::test::payload_text;
using cs::test::publishes;

namespace {

Properties expiry(std::uint32_t seconds) {
  Properties p;
  p.session_expiry_interval = seconds;
  return p;
}

Will make_will(const std::string& topic, const std::string& payload, std::uint32_t delay = 0) {
  Will w;
  w.topic = topic;
  w.payload.assign(payload.begin(), payload.end());
  if (delay != 0) w.properties.will_delay_interval = delay;
  return w;
}

}  // namespace

TEST_CASE("[MQTT-3.1.2-4] a persistent session keeps subscriptions and queues QoS 1 and 2",
          "[broker][session]") {
  for (Version v : {Version::v311, Version::v5}) {
    BrokerHarness h;
    auto sub = h.connect("sub", v, false, v == Version::v5 ? expiry(300) : Properties{});
    h.subscribe(sub, "t", QoS::exactly_once, v);
    h.close(sub);
    const auto pub = h.connect("pub", v);
    h.send(pub, make_publish("t", "q0"), v);
    h.send(pub, make_publish("t", "q1", QoS::at_least_once, 1), v);
    h.send(pub, make_publish("t", "q2", QoS::exactly_once, 2), v);

    Connack ack;
    sub = h.connect("sub", v, false, {}, std::nullopt, &ack);
    CHECK(ack.session_present);
    const auto got = publishes(h.received(sub, v));
    REQUIRE(got.size() == 2);  // QoS 0 is not kept for absent clients
    CHECK(payload_text(got[0]) == "q1");
    CHECK(payload_text(got[1]) == "q2");
  }
}

TEST_CASE("[MQTT-4.4.0-1] unacknowledged messages are re-sent with DUP on reconnect",
          "[broker][session]") {
  BrokerHarness h;
  auto sub = h.connect("sub", Version::v5, false, expiry(300));
  h.subscribe(sub, "t", QoS::exactly_once);
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("t", "one", QoS::at_least_once, 1));
  h.send(pub, make_publish("t", "two", QoS::exactly_once, 2));
  const auto first = publishes(h.received(sub));
  REQUIRE(first.size() == 2);
  h.send(sub, Pubrec{first[1].packet_id, ReasonCode::success, {}});
  h.received(sub);
  h.close(sub);

  sub = h.connect("sub", Version::v5, false);
  const auto again = h.received(sub);
  REQUIRE(again.size() == 2);
  const auto& resent = std::get<Publish>(again[0]);
  CHECK(resent.dup);
  CHECK(resent.packet_id == first[0].packet_id);
  CHECK(payload_text(resent) == "one");
  CHECK(std::get<Pubrel>(again[1]).packet_id == first[1].packet_id);
}

TEST_CASE("[MQTT-3.1.2-6] clean start discards the old session", "[broker][session]") {
  BrokerHarness h;
  auto sub = h.connect("sub", Version::v5, false, expiry(300));
  h.subscribe(sub, "t", QoS::at_least_once);
  h.close(sub);
  Connack ack;
  sub = h.connect("sub", Version::v5, true, {}, std::nullopt, &ack);
  CHECK_FALSE(ack.session_present);
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("t", "x", QoS::at_least_once, 1));
  CHECK(publishes(h.received(sub)).empty());
}

TEST_CASE("[MQTT-3.1.2-23] a session ends when its expiry interval passes", "[broker][session]") {
  BrokerHarness h;
  auto sub = h.connect("sub", Version::v5, false, expiry(10));
  h.subscribe(sub, "t", QoS::at_least_once);
  h.close(sub);
  h.advance(std::chrono::seconds(9));
  CHECK(h.broker.stats().sessions == 1);
  h.advance(std::chrono::seconds(2));
  CHECK(h.broker.stats().sessions == 0);
  Connack ack;
  h.connect("sub", Version::v5, false, {}, std::nullopt, &ack);
  CHECK_FALSE(ack.session_present);
}

TEST_CASE("a 5.0 session with expiry 0 ends with its connection", "[broker][session]") {
  BrokerHarness h;
  const auto c = h.connect("c", Version::v5, false);
  h.close(c);
  CHECK(h.broker.stats().sessions == 0);
}

TEST_CASE("the queue of an absent session is bounded", "[broker][session]") {
  cs::devbroker::Limits limits;
  limits.max_queued_messages = 3;
  BrokerHarness h(limits);
  auto sub = h.connect("sub", Version::v5, false, expiry(300));
  h.subscribe(sub, "t", QoS::at_least_once);
  h.close(sub);
  const auto pub = h.connect("pub");
  for (std::uint16_t i = 1; i <= 5; ++i) {
    h.send(pub, make_publish("t", std::to_string(i), QoS::at_least_once, i));
  }
  sub = h.connect("sub", Version::v5, false);
  const auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 3);
  CHECK(payload_text(got[2]) == "3");
  CHECK(h.broker.stats().dropped == 2);
}

TEST_CASE("[MQTT-3.3.1-5] a retained message is sent to new subscribers with RETAIN set",
          "[broker][retained]") {
  BrokerHarness h;
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("r/1", "first", QoS::at_least_once, 1, true));
  h.send(pub, make_publish("r/1", "second", QoS::at_least_once, 2, true));  // replaces
  h.send(pub, make_publish("r/2", "other", QoS::at_most_once, 0, true));
  const auto sub = h.connect("sub");
  h.subscribe(sub, "r/+", QoS::exactly_once);
  auto got = publishes(h.received(sub));
  REQUIRE(got.size() == 2);
  std::sort(got.begin(), got.end(),
            [](const Publish& a, const Publish& b) { return a.topic < b.topic; });
  CHECK(payload_text(got[0]) == "second");
  CHECK(got[0].retain);
  CHECK(got[0].qos == QoS::at_least_once);
  CHECK(payload_text(got[1]) == "other");
  CHECK(got[1].qos == QoS::at_most_once);
}

TEST_CASE("[MQTT-3.3.1-10] an empty retained message clears the topic", "[broker][retained]") {
  BrokerHarness h;
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("r", "x", QoS::at_most_once, 0, true));
  CHECK(h.broker.stats().retained == 1);
  h.send(pub, make_publish("r", "", QoS::at_most_once, 0, true));
  CHECK(h.broker.stats().retained == 0);
  const auto sub = h.connect("sub");
  h.subscribe(sub, "r");
  CHECK(publishes(h.received(sub)).empty());
}

TEST_CASE("[MQTT-3.3.1-9] live messages reach existing subscribers without RETAIN",
          "[broker][retained]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  h.subscribe(sub, "r");
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("r", "x", QoS::at_most_once, 0, true));
  CHECK_FALSE(publishes(h.received(sub)).at(0).retain);
}

TEST_CASE("retain-as-published keeps the RETAIN flag of live messages", "[broker][retained]") {
  BrokerHarness h;
  const auto sub = h.connect("sub");
  h.send(sub, Subscribe{1, {}, {SubscriptionRequest{"r", QoS::at_most_once, false, true, 0}}});
  h.received(sub);
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("r", "x", QoS::at_most_once, 0, true));
  CHECK(publishes(h.received(sub)).at(0).retain);
}

TEST_CASE("[MQTT-3.3.1-10..11] retain handling 1 and 2", "[broker][retained]") {
  BrokerHarness h;
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("r", "x", QoS::at_most_once, 0, true));
  const auto sub = h.connect("sub");

  // 1: only when the subscription is new.
  Subscribe once{1, {}, {SubscriptionRequest{"r", QoS::at_most_once, false, false, 1}}};
  h.send(sub, once);
  CHECK(publishes(h.received(sub)).size() == 1);
  once.packet_id = 2;
  h.send(sub, once);
  CHECK(publishes(h.received(sub)).empty());

  // 2: never.
  Subscribe never{3, {}, {SubscriptionRequest{"r/#", QoS::at_most_once, false, false, 2}}};
  h.send(sub, never);
  CHECK(publishes(h.received(sub)).empty());
}

TEST_CASE("[MQTT-3.1.2-8] the will is published when the connection is lost", "[broker][will]") {
  BrokerHarness h;
  const auto watcher = h.connect("watcher");
  h.subscribe(watcher, "wills/#");
  const auto c = h.connect("c", Version::v5, true, {}, make_will("wills/c", "gone"));
  h.close(c);
  const auto got = publishes(h.received(watcher));
  REQUIRE(got.size() == 1);
  CHECK(payload_text(got[0]) == "gone");
}

TEST_CASE("[MQTT-3.1.2-10] a normal DISCONNECT discards the will, 0x04 keeps it",
          "[broker][will]") {
  BrokerHarness h;
  const auto watcher = h.connect("watcher");
  h.subscribe(watcher, "wills/#");
  auto c = h.connect("c", Version::v5, true, {}, make_will("wills/c", "gone"));
  h.send(c, Disconnect{ReasonCode::success, {}});
  CHECK(h.close_requested(c));
  h.close(c);
  CHECK(publishes(h.received(watcher)).empty());

  c = h.connect("c", Version::v5, true, {}, make_will("wills/c", "gone"));
  h.send(c, Disconnect{ReasonCode::disconnect_with_will, {}});
  h.close(c);
  CHECK(publishes(h.received(watcher)).size() == 1);
}

TEST_CASE("a will is published when the server closes on a protocol error", "[broker][will]") {
  BrokerHarness h;
  const auto watcher = h.connect("watcher", Version::v311);
  h.subscribe(watcher, "wills/#", QoS::at_most_once, Version::v311);
  const auto c = h.connect("c", Version::v311, true, {}, make_will("wills/c", "gone"));
  h.send_bytes(c, cs::Bytes{0x62, 0x01, 0x00});  // PUBREL with a 1-byte body: malformed
  CHECK(h.close_requested(c));
  CHECK(publishes(h.received(watcher, Version::v311)).size() == 1);
}

TEST_CASE("[MQTT-3.1.3-9] a delayed will is cancelled by a reconnect in time", "[broker][will]") {
  BrokerHarness h;
  const auto watcher = h.connect("watcher");
  h.subscribe(watcher, "wills/#");
  auto c = h.connect("c", Version::v5, false, expiry(300), make_will("wills/c", "late", 10));
  h.close(c);
  h.advance(std::chrono::seconds(5));
  CHECK(publishes(h.received(watcher)).empty());
  c = h.connect("c", Version::v5, false);
  h.advance(std::chrono::seconds(10));
  CHECK(publishes(h.received(watcher)).empty());

  // Without a reconnect it is published after the delay.
  h.close(c);  // this connection registered no will
  auto d = h.connect("d", Version::v5, false, expiry(300), make_will("wills/d", "late", 10));
  h.close(d);
  h.advance(std::chrono::seconds(9));
  CHECK(publishes(h.received(watcher)).empty());
  h.advance(std::chrono::seconds(2));
  CHECK(publishes(h.received(watcher)).size() == 1);
}

TEST_CASE("a will delay longer than the session publishes the will when the session ends",
          "[broker][will]") {
  BrokerHarness h;
  const auto watcher = h.connect("watcher");
  h.subscribe(watcher, "wills/#");
  const auto c = h.connect("c", Version::v5, false, expiry(5), make_will("wills/c", "x", 100));
  h.close(c);
  h.advance(std::chrono::seconds(6));
  CHECK(publishes(h.received(watcher)).size() == 1);
}

TEST_CASE("a will the client may not publish is dropped", "[broker][will]") {
  BrokerHarness h;
  h.authorizer.deny_publish.insert("wills/c");
  const auto watcher = h.connect("watcher");
  h.subscribe(watcher, "wills/#");
  const auto c = h.connect("c", Version::v5, true, {}, make_will("wills/c", "gone"));
  h.close(c);
  CHECK(publishes(h.received(watcher)).empty());
}

TEST_CASE("[MQTT-4.8.2] a shared subscription gives each message to one member",
          "[broker][shared]") {
  BrokerHarness h;
  const auto a = h.connect("a");
  const auto b = h.connect("b");
  const auto plain = h.connect("plain");
  h.subscribe(a, "$share/g/jobs/+", QoS::at_least_once);
  h.subscribe(b, "$share/g/jobs/+", QoS::at_least_once);
  h.subscribe(plain, "jobs/+");
  const auto pub = h.connect("pub");
  for (int i = 0; i < 10; ++i) h.send(pub, make_publish("jobs/x", std::to_string(i)));
  const auto got_a = publishes(h.received(a));
  const auto got_b = publishes(h.received(b));
  CHECK(got_a.size() + got_b.size() == 10);
  CHECK(got_a.size() == 5);  // round robin
  CHECK(publishes(h.received(plain)).size() == 10);
}

TEST_CASE("shared subscriptions prefer connected members", "[broker][shared]") {
  BrokerHarness h;
  auto a = h.connect("a", Version::v5, false, expiry(300));
  const auto b = h.connect("b");
  h.subscribe(a, "$share/g/t", QoS::at_least_once);
  h.subscribe(b, "$share/g/t", QoS::at_least_once);
  h.close(a);
  const auto pub = h.connect("pub");
  for (std::uint16_t i = 1; i <= 4; ++i) h.send(pub, make_publish("t", "x", QoS::at_least_once, i));
  CHECK(publishes(h.received(b)).size() == 4);
}

TEST_CASE("[MQTT-3.8.3-4] no-local on a shared subscription is a protocol error",
          "[broker][shared]") {
  BrokerHarness h;
  const auto c = h.connect("c");
  h.send(c,
         Subscribe{1, {}, {SubscriptionRequest{"$share/g/t", QoS::at_most_once, true, false, 0}}});
  CHECK(std::get<Disconnect>(h.received(c).at(0)).reason_code == ReasonCode::protocol_error);
}

TEST_CASE("shared subscriptions receive no retained messages", "[broker][shared]") {
  BrokerHarness h;
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("t", "x", QoS::at_most_once, 0, true));
  const auto c = h.connect("c");
  h.subscribe(c, "$share/g/t");
  CHECK(publishes(h.received(c)).empty());
}

TEST_CASE("SUBSCRIBE reports invalid filters, refusals and quota per filter",
          "[broker][subscribe]") {
  cs::devbroker::Limits limits;
  limits.max_subscriptions_per_client = 2;
  BrokerHarness h(limits);
  h.authorizer.deny_subscribe.insert("private/#");
  for (Version v : {Version::v5, Version::v311}) {
    const auto c = h.connect(v == Version::v5 ? "c5" : "c3", v);
    Subscribe s{1, {}, {}};
    for (const char* f : {"ok/1", "bad/#/x", "private/#", "ok/2", "ok/3"}) {
      s.subscriptions.push_back(SubscriptionRequest{f, QoS::at_least_once, false, false, 0});
    }
    h.send(c, s, v);
    const auto ack = std::get<Suback>(h.received(c, v).at(0));
    if (v == Version::v5) {
      CHECK(ack.reason_codes == std::vector<std::uint8_t>{0x01, 0x8F, 0x87, 0x01, 0x97});
    } else {
      CHECK(ack.reason_codes == std::vector<std::uint8_t>{0x01, 0x80, 0x80, 0x01, 0x80});
    }
  }
}

TEST_CASE("UNSUBSCRIBE stops delivery and says whether a subscription existed",
          "[broker][subscribe]") {
  BrokerHarness h;
  const auto c = h.connect("c");
  h.subscribe(c, "t");
  h.send(c, Unsubscribe{2, {}, {"t", "never"}});
  const auto ack = std::get<Unsuback>(h.received(c).at(0));
  CHECK(ack.reason_codes ==
        std::vector<ReasonCode>{ReasonCode::success, ReasonCode::no_subscription_existed});
  const auto pub = h.connect("pub");
  h.send(pub, make_publish("t", "x"));
  CHECK(publishes(h.received(c)).empty());
  CHECK(h.broker.stats().subscriptions == 0);
}

TEST_CASE("server shutdown tells 5.0 clients why they are disconnected", "[broker][session]") {
  BrokerHarness h;
  const auto c = h.connect("c", Version::v5, true, {}, make_will("w", "x"));
  h.broker.shutdown(h.now);
  CHECK(std::get<Disconnect>(h.received(c).at(0)).reason_code == ReasonCode::server_shutting_down);
  CHECK(h.close_requested(c));
}
