// The broker's state in the store: what is written (retained messages, persistent sessions and
// the messages for them, connected or not) and what is not (clean sessions), and the
// acknowledgements that wait for the commit. Real SQLite file, real writer thread.

#include "devbroker/store/broker_persistence.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/persisted_broker.h"

using namespace cs::mqtt;
using cs::test::make_publish;
using cs::test::payload_text;
using cs::test::PersistedBroker;
using cs::test::publishes;

namespace {

Properties expiry(std::uint32_t seconds) {
  Properties p;
  p.session_expiry_interval = seconds;
  return p;
}

// A client whose session outlives its connection: 3.1.1 clean session 0, 5.0 expiry 300.
ConnectionId connect_persistent(PersistedBroker& b, const std::string& id, Version v,
                                Connack* ack = nullptr) {
  return b.h().connect(id, v, false, v == Version::v5 ? expiry(300) : Properties{}, std::nullopt,
                       ack);
}

// Subscribes and returns the SUBACK, which a persistent session gets once the store committed.
std::vector<Packet> subscribe(PersistedBroker& b, ConnectionId id, const std::string& filter,
                              QoS qos, Version v) {
  Subscribe s{1, {}, {}};
  s.subscriptions.push_back(SubscriptionRequest{filter, qos, false, false, 0});
  b.h().send(id, s, v);
  auto before = b.h().received(id, v);
  b.settle();
  auto after = b.h().received(id, v);
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

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

TEST_CASE(
    "a message to a connected persistent session is delivered at once and saved before "
    "PUBACK",
    "[store][persistence]") {
  for (Version v : {Version::v311, Version::v5}) {
    PersistedBroker b;
    const auto sub = connect_persistent(b, "online", v);
    subscribe(b, sub, "t", QoS::exactly_once, v);
    const auto pub = b.h().connect("pub", v, true);
    b.h().send(pub, make_publish("t", "one", QoS::at_least_once, 1), v);
    b.h().send(pub, make_publish("t", "two", QoS::exactly_once, 2), v);
    b.h().send(pub, make_publish("t", "zero: never stored"), v);
    // The subscriber has them before the disk does; the publisher hears back after it.
    const auto got = publishes(b.h().received(sub, v));
    REQUIRE(got.size() == 3);
    CHECK(b.h().received(pub, v).empty());
    b.settle();
    const auto acks = b.h().received(pub, v);
    REQUIRE(acks.size() == 2);
    CHECK(std::get<Puback>(acks[0]).packet_id == 1);
    CHECK(std::get<Pubrec>(acks[1]).packet_id == 2);
    CHECK(b.count("SELECT count(*) FROM session_queue WHERE state = 'awaiting_ack'") == 2);
    CHECK(b.count("SELECT packet_id FROM session_queue WHERE payload = CAST('one' AS BLOB)") ==
          got[0].packet_id);

    // Acknowledged: the rows go.
    b.h().send(sub, Puback{got[0].packet_id, ReasonCode::success, {}}, v);
    b.h().send(sub, Pubrec{got[1].packet_id, ReasonCode::success, {}}, v);
    b.settle();
    CHECK(std::get<Pubrel>(b.h().received(sub, v).at(0)).packet_id == got[1].packet_id);
    b.h().send(sub, Pubcomp{got[1].packet_id, ReasonCode::success, {}}, v);
    b.settle();
    CHECK(b.count("SELECT count(*) FROM session_queue") == 0);
  }
}

TEST_CASE("an unacknowledged delivery to a connected client survives a crash",
          "[store][persistence]") {
  PersistedBroker b;
  Properties props = expiry(300);
  props.receive_maximum = 1;  // the second message waits in the queue
  auto sub = b.h().connect("sub", Version::v5, false, props);
  subscribe(b, sub, "t", QoS::at_least_once, Version::v5);
  const auto pub = b.h().connect("pub");
  b.h().send(pub, make_publish("t", "sent", QoS::at_least_once, 1));
  b.h().send(pub, make_publish("t", "waiting", QoS::at_least_once, 2));
  CHECK(publishes(b.h().received(sub)).size() == 1);
  b.settle();
  CHECK(b.h().received(pub).size() == 2);  // acknowledged once saved
  CHECK(b.count("SELECT count(*) FROM session_queue WHERE state = 'awaiting_ack'") == 1);
  CHECK(b.count("SELECT count(*) FROM session_queue WHERE state = 'queued'") == 1);

  b.restart();  // the subscriber never acknowledged, and never disconnected
  sub = connect_persistent(b, "sub", Version::v5);
  const auto got = publishes(b.h().received(sub));
  REQUIRE(got.size() == 2);
  CHECK((payload_text(got[0]) == "sent" && got[0].dup));
  CHECK((payload_text(got[1]) == "waiting" && !got[1].dup));
}

TEST_CASE("a message acknowledged before the writer reached it is never written",
          "[store][persistence]") {
  PersistedBroker b;
  REQUIRE(b.store.store.database().execute_script(
      "CREATE TABLE inserted (seq INTEGER);"
      "CREATE TRIGGER log_insert AFTER INSERT ON session_queue "
      "BEGIN INSERT INTO inserted VALUES (NEW.seq); END;"));
  const auto sub = connect_persistent(b, "sub", Version::v5);
  subscribe(b, sub, "t", QoS::exactly_once, Version::v5);
  const auto pub = b.h().connect("pub");
  {
    // Holding the write lock keeps the writer from its next batch.
    auto hold = cs::store::Transaction::begin(b.store.store.database());
    REQUIRE(hold);
    b.h().send(pub, make_publish("t", "quick", QoS::at_least_once, 1));
    b.h().send(pub, make_publish("t", "quick two", QoS::exactly_once, 2));
    const auto got = publishes(b.h().received(sub));
    REQUIRE(got.size() == 2);
    b.h().send(sub, Puback{got[0].packet_id, ReasonCode::success, {}});
    b.h().send(sub, Pubrec{got[1].packet_id, ReasonCode::success, {}});
    REQUIRE(hold->commit());
  }
  b.settle();
  const auto acks = b.h().received(pub);
  REQUIRE(acks.size() == 2);  // the publisher still hears back after the commit
  CHECK(std::get<Puback>(acks[0]).packet_id == 1);
  // The QoS 2 one stays until PUBCOMP: written with its new state, since PUBREL vouches for it.
  CHECK(b.count("SELECT count(*) FROM inserted") == 1);
  CHECK(b.count("SELECT count(*) FROM session_queue WHERE state = 'awaiting_pubcomp'") == 1);
}

TEST_CASE("acknowledged messages leave the store in one write", "[store][persistence]") {
  PersistedBroker b;
  const auto sub = connect_persistent(b, "sub", Version::v5);
  subscribe(b, sub, "t", QoS::at_least_once, Version::v5);
  const auto pub = b.h().connect("pub");
  for (std::uint16_t i = 1; i <= 5; ++i) {
    b.h().send(pub, make_publish("t", "m" + std::to_string(i), QoS::at_least_once, i));
  }
  b.settle();
  CHECK(b.count("SELECT count(*) FROM session_queue") == 5);
  const auto before = b.persistence().last_ticket();
  for (const auto& p : publishes(b.h().received(sub))) {
    b.h().send(sub, Puback{p.packet_id, ReasonCode::success, {}});
  }
  b.settle();
  CHECK(b.count("SELECT count(*) FROM session_queue") == 0);
  CHECK(b.persistence().last_ticket() - before <= 2);
}

TEST_CASE("a publish from inside the server is confirmed once what it stored commits",
          "[store][persistence]") {
  PersistedBroker b;
  auto sub = connect_persistent(b, "away", Version::v5);
  subscribe(b, sub, "queued/#", QoS::at_least_once, Version::v5);
  b.h().close(sub);
  b.settle();
  std::vector<bool> confirmed;
  const auto publish = [&](const std::string& topic, QoS qos, bool retain) {
    Message m;
    m.topic = topic;
    m.payload = cs::Bytes{'x'};
    m.qos = qos;
    m.retain = retain;
    b.h().broker.publish(std::move(m), b.h().now, [&](bool saved) { confirmed.push_back(saved); });
  };
  publish("nobody/listens", QoS::at_least_once, false);
  REQUIRE(confirmed == std::vector<bool>{true});  // nothing to save: at once
  publish("queued/1", QoS::at_least_once, false);
  publish("kept", QoS::at_most_once, true);
  CHECK(confirmed.size() == 1);
  b.settle();
  CHECK(confirmed == std::vector<bool>{true, true, true});
  CHECK(b.count("SELECT count(*) FROM session_queue") == 1);
  CHECK(b.count("SELECT count(*) FROM retained") == 1);

  REQUIRE(b.store.store.database().execute_script("DROP TABLE retained"));
  publish("kept", QoS::at_least_once, true);
  b.settle();
  CHECK(confirmed.back() == false);
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
