// The in-flight window of a session: acknowledged in order (emptied in place, dropped in bulk),
// out of order, and the packet ids it hands out.

#include "devbroker/mqtt/session.h"

#include <catch2/catch.hpp>

using namespace cs::mqtt;

namespace {

std::vector<std::uint16_t> ids(Session& s) {
  std::vector<std::uint16_t> out;
  for (const Inflight& f : s.live_inflight()) out.push_back(f.packet_id);
  return out;
}

void send(Session& s, int count) {
  for (int i = 0; i < count; ++i) {
    auto message = std::make_shared<const Message>();
    s.inflight.push_back(Inflight{Delivery{message, QoS::at_least_once, false, {}, 0},
                                  s.allocate_packet_id(), false});
  }
}

}  // namespace

TEST_CASE("acknowledged in order, the window empties its front and drops it in bulk",
          "[broker][session]") {
  Session s;
  send(s, 10);
  CHECK(ids(s) == std::vector<std::uint16_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  for (std::uint16_t id = 1; id <= 4; ++id) REQUIRE(s.erase_inflight(id));
  CHECK(s.inflight_count() == 6);
  CHECK(s.inflight.size() == 10);                         // emptied in place, not yet dropped
  CHECK(s.inflight.front().delivery.message == nullptr);  // but the message is let go
  CHECK(ids(s) == std::vector<std::uint16_t>{5, 6, 7, 8, 9, 10});
  CHECK(s.find_inflight(3) == nullptr);
  CHECK_FALSE(s.erase_inflight(3));
  REQUIRE(s.find_inflight(5) != nullptr);
  CHECK(s.find_inflight(5)->packet_id == 5);

  REQUIRE(s.erase_inflight(5));  // half of the vector: the front goes
  CHECK(s.inflight.size() == 5);
  CHECK(s.inflight_acked == 0);
  CHECK(ids(s) == std::vector<std::uint16_t>{6, 7, 8, 9, 10});
}

TEST_CASE("acknowledged out of order, the window keeps its order", "[broker][session]") {
  Session s;
  send(s, 6);
  REQUIRE(s.erase_inflight(1));
  REQUIRE(s.erase_inflight(4));  // from the middle
  REQUIRE(s.erase_inflight(6));  // the last
  CHECK(ids(s) == std::vector<std::uint16_t>{2, 3, 5});
  CHECK(s.inflight_count() == 3);
  REQUIRE(s.erase_inflight(2));
  REQUIRE(s.erase_inflight(3));
  REQUIRE(s.erase_inflight(5));
  CHECK(s.inflight_count() == 0);
  CHECK(s.inflight.empty());
  send(s, 1);
  CHECK(ids(s) == std::vector<std::uint16_t>{7});
}

TEST_CASE("packet ids skip those in flight and wrap after 65535", "[broker][session]") {
  Session s;
  s.last_packet_id = 65534;
  send(s, 3);
  CHECK(ids(s) == std::vector<std::uint16_t>{65535, 1, 2});
  REQUIRE(s.erase_inflight(65535));
  s.last_packet_id = 0;
  send(s, 2);  // 1 and 2 are taken
  CHECK(ids(s) == std::vector<std::uint16_t>{1, 2, 3, 4});
}

TEST_CASE("a session's subscriptions: found, replaced and removed by filter as sent",
          "[broker][session]") {
  SubscriptionMap subscriptions;
  CHECK(subscriptions.size() == 0);
  CHECK_FALSE(subscriptions.contains("a/b"));
  // Added out of order, including filters that are prefixes of one another.
  for (const std::string filter : {"a/b", "a", "#", "a/b/+", "$share/g/a", "z"}) {
    subscriptions[filter].max_qos = QoS::at_least_once;
  }
  CHECK(subscriptions.size() == 6);
  for (const std::string filter : {"a/b", "a", "#", "a/b/+", "$share/g/a", "z"}) {
    INFO(filter);
    CHECK(subscriptions.contains(filter));
  }
  CHECK_FALSE(subscriptions.contains("a/"));
  CHECK_FALSE(subscriptions.contains("a/b/"));

  // Subscribing again replaces the options and keeps one entry.
  subscriptions["a/b"].max_qos = QoS::exactly_once;
  subscriptions["a/b"].subscription_id = 7;
  CHECK(subscriptions.size() == 6);
  std::vector<std::string> filters;
  for (const auto& [filter, options] : subscriptions) {
    filters.push_back(filter);
    if (filter == "a/b") {
      CHECK(options.max_qos == QoS::exactly_once);
      CHECK(options.subscription_id == 7);
    }
  }
  CHECK(filters == std::vector<std::string>{"#", "$share/g/a", "a", "a/b", "a/b/+", "z"});

  CHECK(subscriptions.erase("a/b") == 1);
  CHECK(subscriptions.erase("a/b") == 0);
  CHECK(subscriptions.erase("nothing") == 0);
  CHECK_FALSE(subscriptions.contains("a/b"));
  CHECK(subscriptions.contains("a/b/+"));
  CHECK(subscriptions.size() == 5);
}

TEST_CASE("incoming QoS 2 packet ids: each held once until released", "[broker][session]") {
  PacketIdSet ids;
  CHECK_FALSE(ids.contains(1));
  for (std::uint16_t id : {65535, 1, 300, 2, 300, 1}) ids.insert(id);
  CHECK(ids.size() == 4);  // the repeats count once
  for (std::uint16_t id : {1, 2, 300, 65535}) CHECK(ids.contains(id));
  CHECK_FALSE(ids.contains(3));
  CHECK(ids.erase(300) == 1);
  CHECK(ids.erase(300) == 0);
  CHECK_FALSE(ids.contains(300));
  const std::vector<std::uint16_t> restored{9, 8, 9};
  ids.insert(restored.begin(), restored.end());
  CHECK(ids.size() == 5);
  CHECK(ids.contains(8));
  CHECK(ids.contains(9));
}
