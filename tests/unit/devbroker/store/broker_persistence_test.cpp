// The broker's state in the store: what is written (retained messages, persistent sessions and
// the messages for them, connected or not) and what is not (clean sessions), and the
// acknowledgements that wait for the commit. Real SQLite file, real writer thread.

#include "devbroker/store/broker_persistence.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/persisted_broker.h"

using namespace cs::mqtt;
using cs::test::connect_persistent;
using cs::test::expiry;
using cs::test::make_publish;
using cs::test::payload_text;
using cs::test::PersistedBroker;
using cs::test::publishes;
using cs::test::subscribe;

namespace {

template <class P>
std::vector<P> all_of(const std::vector<Packet>& packets) {
  std::vector<P> out;
  for (const auto& p : packets) {
    if (auto* x = std::get_if<P>(&p)) out.push_back(*x);
  }
  return out;
}

}  // namespace

TEST_CASE("messages to clean sessions write nothing", "[store][persistence]") {
  PersistedBroker b;
  for (Version v : {Version::v311, Version::v5}) {
    auto sub = b.h().connect("sub", v, true);
    b.h().subscribe(sub, "t", QoS::exactly_once, v);
    const auto ticket = b.persistence().last_ticket();

    const auto pub = b.h().connect("pub", v, true);
    b.h().send(pub, make_publish("t", "zero"), v);
    b.h().send(pub, make_publish("t", "one", QoS::at_least_once, 1), v);
    b.h().send(pub, make_publish("t", "two", QoS::exactly_once, 2), v);
    CHECK(b.persistence().last_ticket() == ticket);
    // Acknowledged at once: nothing waits for the disk.
    const auto acks = b.h().received(pub, v);
    REQUIRE(acks.size() == 2);
    CHECK(std::get<Puback>(acks[0]).packet_id == 1);
    CHECK(std::get<Pubrec>(acks[1]).packet_id == 2);
    CHECK(publishes(b.h().received(sub, v)).size() == 3);
    b.h().close(sub);
    b.h().close(pub);
  }
}

TEST_CASE("a retained message is acknowledged once it is saved", "[store][persistence]") {
  PersistedBroker b;
  const auto pub = b.h().connect("pub");
  b.h().send(pub, make_publish("r/1", "kept", QoS::at_least_once, 7, true));
  CHECK(b.h().received(pub).empty());
  b.settle();
  const auto acks = b.h().received(pub);
  REQUIRE(acks.size() == 1);
  CHECK(std::get<Puback>(acks[0]).packet_id == 7);
  CHECK(
      b.count(
          "SELECT count(*) FROM retained WHERE topic = 'r/1' AND payload = CAST('kept' AS BLOB)") ==
      1);

  // QoS 0 retained messages are kept as well, with nothing to acknowledge.
  b.h().send(pub, make_publish("r/0", "at most once", QoS::at_most_once, 0, true));
  b.settle();
  CHECK(b.count("SELECT count(*) FROM retained WHERE topic = 'r/0'") == 1);

  // QoS 2: PUBREC waits the same way; an empty payload clears.
  b.h().send(pub, make_publish("r/1", "", QoS::exactly_once, 8, true));
  CHECK(b.h().received(pub).empty());
  b.settle();
  CHECK(std::get<Pubrec>(b.h().received(pub).at(0)).packet_id == 8);
  CHECK(b.count("SELECT count(*) FROM retained WHERE topic = 'r/1'") == 0);

  // $SYS is published afresh by every broker: never written.
  const auto ticket = b.persistence().last_ticket();
  b.advance(std::chrono::seconds(6));
  CHECK(b.persistence().last_ticket() == ticket);
  CHECK(b.count("SELECT count(*) FROM retained") == 1);
}

TEST_CASE("acknowledgements leave in the order their packets came", "[store][persistence]") {
  PersistedBroker b;
  const auto pub = b.h().connect("pub");
  b.h().send(pub, make_publish("r", "saved first", QoS::at_least_once, 1, true));
  b.h().send(pub, make_publish("plain", "no write", QoS::at_least_once, 2));
  b.h().send(pub, make_publish("plain", "no write", QoS::exactly_once, 3));
  CHECK(b.h().received(pub).empty());
  b.settle();
  const auto acks = b.h().received(pub);
  REQUIRE(acks.size() == 3);
  CHECK(std::get<Puback>(acks[0]).packet_id == 1);
  CHECK(std::get<Puback>(acks[1]).packet_id == 2);
  CHECK(std::get<Pubrec>(acks[2]).packet_id == 3);
  // Nothing held any more: the next one goes at once.
  b.h().send(pub, make_publish("plain", "x", QoS::at_least_once, 4));
  CHECK(std::get<Puback>(b.h().received(pub).at(0)).packet_id == 4);
}

TEST_CASE("a persistent session is saved with its subscriptions", "[store][persistence]") {
  for (Version v : {Version::v311, Version::v5}) {
    PersistedBroker b;
    const auto c = connect_persistent(b, "keeper", v);
    b.settle();
    CHECK(b.count("SELECT count(*) FROM sessions WHERE client_id = 'keeper' AND "
                  "disconnected_at IS NULL") == 1);
    b.h().send(
        c, Subscribe{1, {}, {SubscriptionRequest{"a/+", QoS::at_least_once, false, false, 0}}}, v);
    CHECK(b.h().received(c, v).empty());  // SUBACK waits for the subscription to be saved
    b.settle();
    REQUIRE(all_of<Suback>(b.h().received(c, v)).size() == 1);
    CHECK(b.count("SELECT max_qos FROM session_subscriptions WHERE filter = 'a/+'") == 1);

    b.h().send(c, Unsubscribe{2, {}, {"a/+"}}, v);
    CHECK(b.h().received(c, v).empty());
    b.settle();
    REQUIRE(all_of<Unsuback>(b.h().received(c, v)).size() == 1);
    CHECK(b.count("SELECT count(*) FROM session_subscriptions") == 0);

    b.h().send(c, Disconnect{}, v);
    b.h().close(c);
    b.settle();
    CHECK(b.count("SELECT disconnected_at FROM sessions") == b.wall.time_since_epoch().count());

    // A clean start ends it, in the store too.
    const auto again = b.h().connect("keeper", v, true);
    b.h().close(again);
    b.settle();
    CHECK(b.count("SELECT count(*) FROM sessions") == 0);
  }
}

TEST_CASE("a 5.0 session that asks for expiry 0 on reconnect leaves the store",
          "[store][persistence]") {
  PersistedBroker b;
  auto c = connect_persistent(b, "c", Version::v5);
  subscribe(b, c, "t", QoS::at_least_once, Version::v5);
  b.h().close(c);
  Connack ack;
  c = b.h().connect("c", Version::v5, false, {}, std::nullopt, &ack);
  CHECK(ack.session_present);
  b.settle();
  CHECK(b.count("SELECT count(*) FROM sessions") == 0);
  b.h().close(c);
  b.settle();
  CHECK(b.count("SELECT count(*) FROM sessions") == 0);
}

TEST_CASE("messages queued for an absent session are saved before PUBACK, and survive",
          "[store][persistence]") {
  for (Version v : {Version::v311, Version::v5}) {
    PersistedBroker b;
    auto sub = connect_persistent(b, "sub", v);
    subscribe(b, sub, "t", QoS::exactly_once, v);
    b.h().close(sub);

    const auto pub = b.h().connect("pub", v);
    b.h().send(pub, make_publish("t", "while away", QoS::at_least_once, 1), v);
    b.h().send(pub, make_publish("t", "dropped: QoS 0", QoS::at_most_once), v);
    CHECK(b.h().received(pub, v).empty());
    b.settle();
    CHECK(std::get<Puback>(b.h().received(pub, v).at(0)).packet_id == 1);
    CHECK(b.count("SELECT count(*) FROM session_queue WHERE state = 'queued'") == 1);

    b.restart();
    CHECK(b.report.sessions == 1);
    CHECK(b.report.messages == 1);
    Connack ack;
    sub = connect_persistent(b, "sub", v, &ack);
    CHECK(ack.session_present);
    auto got = publishes(b.h().received(sub, v));
    REQUIRE(got.size() == 1);
    CHECK(payload_text(got[0]) == "while away");
    CHECK(got[0].qos == QoS::at_least_once);
    b.settle();
    CHECK(b.count("SELECT packet_id FROM session_queue WHERE state = 'awaiting_ack'") ==
          got[0].packet_id);

    // The subscription came back too.
    const auto pub2 = b.h().connect("pub", v);
    b.h().send(pub2, make_publish("t", "after the restart", QoS::exactly_once, 2), v);
    const auto live = publishes(b.h().received(sub, v));
    REQUIRE(live.size() == 1);
    CHECK(payload_text(live[0]) == "after the restart");

    b.h().send(sub, Puback{got[0].packet_id, ReasonCode::success, {}}, v);
    b.settle();
    // The message from before the restart is gone; the live one waits for its PUBREC.
    CHECK(b.count("SELECT count(*) FROM session_queue WHERE payload = CAST('while away' AS "
                  "BLOB)") == 0);
    CHECK(b.count("SELECT count(*) FROM session_queue") == 1);
  }
}

TEST_CASE("in-flight deliveries survive a restart: PUBLISH again with DUP, PUBREL again",
          "[store][persistence]") {
  PersistedBroker b;
  auto sub = connect_persistent(b, "sub", Version::v5);
  subscribe(b, sub, "t", QoS::exactly_once, Version::v5);
  b.h().close(sub);
  const auto pub = b.h().connect("pub");
  b.h().send(pub, make_publish("t", "two", QoS::exactly_once, 1));
  b.h().send(pub, make_publish("t", "one", QoS::at_least_once, 2));
  b.settle();

  sub = connect_persistent(b, "sub", Version::v5);
  const auto first = publishes(b.h().received(sub));
  REQUIRE(first.size() == 2);
  b.h().send(sub, Pubrec{first[0].packet_id, ReasonCode::success, {}});
  CHECK(b.h().received(sub).empty());  // PUBREL waits for the state to be saved
  b.settle();
  CHECK(std::get<Pubrel>(b.h().received(sub).at(0)).packet_id == first[0].packet_id);
  CHECK(b.count("SELECT packet_id FROM session_queue WHERE state = 'awaiting_pubcomp'") ==
        first[0].packet_id);

  b.restart();
  sub = connect_persistent(b, "sub", Version::v5);
  const auto again = b.h().received(sub);
  REQUIRE(again.size() == 2);
  CHECK(std::get<Pubrel>(again[0]).packet_id == first[0].packet_id);
  const auto& resent = std::get<Publish>(again[1]);
  CHECK(resent.dup);
  CHECK(resent.packet_id == first[1].packet_id);
  CHECK(payload_text(resent) == "one");

  b.h().send(sub, Pubcomp{first[0].packet_id, ReasonCode::success, {}});
  b.h().send(sub, Puback{first[1].packet_id, ReasonCode::success, {}});
  b.settle();
  CHECK(b.count("SELECT count(*) FROM session_queue") == 0);
}

TEST_CASE("QoS 2 packet ids from a persistent client survive: no second delivery",
          "[store][persistence]") {
  PersistedBroker b;
  auto pub = connect_persistent(b, "pub", Version::v5);
  auto watcher = b.h().connect("watcher");
  b.h().subscribe(watcher, "t", QoS::exactly_once);
  b.h().send(pub, make_publish("t", "once", QoS::exactly_once, 5));
  CHECK(b.h().received(pub).empty());  // PUBREC waits for the packet id to be saved
  b.settle();
  CHECK(std::get<Pubrec>(b.h().received(pub).at(0)).packet_id == 5);
  CHECK(publishes(b.h().received(watcher)).size() == 1);
  CHECK(b.count("SELECT packet_id FROM session_incoming_qos2") == 5);

  b.restart();
  watcher = b.h().connect("watcher");
  b.h().subscribe(watcher, "t", QoS::exactly_once);
  pub = connect_persistent(b, "pub", Version::v5);
  auto resent = make_publish("t", "once", QoS::exactly_once, 5);
  resent.dup = true;
  b.h().send(pub, resent);
  CHECK(std::get<Pubrec>(b.h().received(pub).at(0)).packet_id == 5);
  CHECK(publishes(b.h().received(watcher)).empty());

  b.h().send(pub, Pubrel{5, ReasonCode::success, {}});
  CHECK(b.h().received(pub).empty());  // PUBCOMP waits until the id is forgotten on disk
  b.settle();
  const auto comp = std::get<Pubcomp>(b.h().received(pub).at(0));
  CHECK(comp.packet_id == 5);
  CHECK(comp.reason_code == ReasonCode::success);
  CHECK(b.count("SELECT count(*) FROM session_incoming_qos2") == 0);
}

TEST_CASE("what the store cannot save is not acknowledged: the publisher is disconnected",
          "[store][persistence]") {
  PersistedBroker b;
  const auto pub = b.h().connect("pub");
  REQUIRE(b.store.store.database().execute_script("DROP TABLE retained"));
  b.h().send(pub, make_publish("r", "lost", QoS::at_least_once, 1, true));
  b.settle();
  const auto out = b.h().received(pub);
  REQUIRE(out.size() == 1);
  CHECK(std::get<Disconnect>(out[0]).reason_code == ReasonCode::unspecified_error);
  CHECK(b.h().close_requested(pub));
}
