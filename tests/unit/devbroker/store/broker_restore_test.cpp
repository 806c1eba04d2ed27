// The broker's state at start: expiries that count the time the broker was down, sessions the
// process died under, and damaged rows left out without stopping the start.

#include "devbroker/store/broker_restore.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/persisted_broker.h"

using namespace cs::mqtt;
using namespace std::chrono_literals;
using cs::test::make_publish;
using cs::test::payload_text;
using cs::test::PersistedBroker;
using cs::test::publishes;

namespace {

Properties session_expiry(std::uint32_t seconds) {
  Properties p;
  p.session_expiry_interval = seconds;
  return p;
}

// Session `id` (5.0, `expiry` seconds) subscribed to `filter`, then gone with DISCONNECT.
void leave_session(PersistedBroker& b, const std::string& id, std::uint32_t expiry,
                   const std::string& filter = "t") {
  const auto c = b.h().connect(id, Version::v5, false, session_expiry(expiry));
  Subscribe s{1, {}, {SubscriptionRequest{filter, QoS::at_least_once, false, false, 0}}};
  b.h().send(c, s);
  b.h().send(c, Disconnect{});
  b.h().close(c);
  b.settle();
}

// Whether session `id` is there; the connection asks for expiry 0, so it ends the session.
bool present(PersistedBroker& b, const std::string& id) {
  Connack ack;
  const auto c = b.h().connect(id, Version::v5, false, {}, std::nullopt, &ack);
  b.h().close(c);
  return ack.session_present;
}

}  // namespace

TEST_CASE("a session whose expiry passed while the broker was down is gone",
          "[store][persistence]") {
  PersistedBroker b;
  leave_session(b, "short", 10);
  leave_session(b, "long", 100);
  b.restart(11s);
  CHECK(b.report.sessions == 1);
  CHECK(b.count("SELECT count(*) FROM sessions WHERE client_id = 'short'") == 0);
  CHECK_FALSE(present(b, "short"));

  // The downtime counts against the one that is left: 11 s gone, 89 s to go.
  b.advance(88s);
  CHECK(b.h().broker.stats().sessions == 1);
  b.advance(2s);
  CHECK(b.h().broker.stats().sessions == 0);
  b.settle();
  CHECK(b.count("SELECT count(*) FROM sessions") == 0);
}

TEST_CASE("a session the process died under counts as disconnected at the restart",
          "[store][persistence]") {
  PersistedBroker b;
  b.h().connect("c", Version::v5, false, session_expiry(10));
  b.settle();
  CHECK(b.count("SELECT count(*) FROM sessions WHERE disconnected_at IS NULL") == 1);
  b.restart(1000s);
  CHECK(b.report.sessions == 1);
  CHECK(b.count("SELECT disconnected_at FROM sessions") == b.wall.time_since_epoch().count());
  b.advance(9s);
  CHECK(b.h().broker.stats().sessions == 1);
  b.advance(2s);
  CHECK(b.h().broker.stats().sessions == 0);
}

TEST_CASE("message expiry counts the time spent stored", "[store][persistence]") {
  for (auto downtime : {20s, 61s}) {
    PersistedBroker b;
    leave_session(b, "sub", 3600);
    const auto pub = b.h().connect("pub");
    for (const bool retain : {true, false}) {
      auto p = make_publish("t", retain ? "retained" : "queued", QoS::at_least_once, retain ? 1 : 2,
                            retain);
      p.properties.message_expiry_interval = 60;
      b.h().send(pub, p);
    }
    b.settle();
    b.restart(downtime);
    const auto sub = b.h().connect("sub", Version::v5, false, session_expiry(3600));
    const auto queued = publishes(b.h().received(sub));
    const auto late = b.h().connect("late");
    b.h().subscribe(late, "t", QoS::at_least_once);
    const auto on_subscribe = publishes(b.h().received(late));
    if (downtime == 20s) {
      // Two queued: the retained publish went to the absent session too.
      REQUIRE(queued.size() == 2);
      REQUIRE(on_subscribe.size() == 1);
      for (const auto& m : {queued[0], queued[1], on_subscribe[0]}) {
        INFO(payload_text(m));
        CHECK(m.properties.message_expiry_interval == 40u);
      }
    } else {
      CHECK(queued.empty());
      CHECK(on_subscribe.empty());
      CHECK(b.count("SELECT count(*) FROM retained") == 0);
      CHECK(b.count("SELECT count(*) FROM session_queue") == 0);
    }
  }
}

TEST_CASE("damaged rows are left out with a description and the rest loads",
          "[store][persistence]") {
  PersistedBroker b;
  leave_session(b, "sub", 300, "good/#");
  leave_session(b, "sub", 300, "bad/+");
  const auto pub = b.h().connect("pub");
  for (std::uint16_t id = 1; id <= 3; ++id) {
    b.h().send(pub, make_publish("good/" + std::to_string(id), "m" + std::to_string(id),
                                 QoS::at_least_once, id));
  }
  b.h().send(pub, make_publish("kept", "fine", QoS::at_least_once, 4, true));
  b.h().send(pub, make_publish("broken", "blob", QoS::at_least_once, 5, true));
  b.settle();

  auto& db = b.store.store.database();
  REQUIRE(db.execute("UPDATE retained SET properties = x'01ff00' WHERE topic = 'broken'"));
  REQUIRE(db.execute("UPDATE session_subscriptions SET filter = 'bad/#/x' WHERE filter = 'bad/+'"));
  const auto first = b.count("SELECT min(seq) FROM session_queue");
  REQUIRE(db.execute("UPDATE session_queue SET properties = x'02a0' WHERE seq = ?", first));
  REQUIRE(db.execute("UPDATE session_queue SET state = 'awaiting_ack' WHERE seq = ?", first + 1));
  b.restart();

  const std::string seq = std::to_string(first);
  const std::string next = std::to_string(first + 1);
  CHECK(b.report.skipped ==
        std::vector<std::string>{
            "the retained message of 'broken': stored MQTT properties are damaged (not a CBOR "
            "map)",
            "message " + seq + " of session 'sub': stored MQTT properties have an unknown format 2",
            "the subscription to 'bad/#/x' of session 'sub': the wildcard '#' must be the last "
            "level of a topic filter",
            "message " + next + " of session 'sub': in flight without a packet identifier",
        });
  CHECK(b.report.retained == 1);
  CHECK(b.report.sessions == 1);
  CHECK(b.report.messages == 1);

  Connack ack;
  const auto sub =
      b.h().connect("sub", Version::v5, false, session_expiry(300), std::nullopt, &ack);
  CHECK(ack.session_present);
  const auto got = publishes(b.h().received(sub));
  REQUIRE(got.size() == 1);
  CHECK(payload_text(got[0]) == "m3");
  // The damaged rows stay where they were, for whoever wants to look.
  CHECK(b.count("SELECT count(*) FROM retained WHERE topic = 'broken'") == 1);
}
