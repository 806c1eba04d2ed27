// Messages for persistent sessions whose clients are connected: delivered at once, written
// behind the delivery, acknowledged to the publisher after the commit, skipped when acknowledged
// before the writer reached them, deleted in batches; and publishes from inside the server,
// confirmed once what they stored commits. Real SQLite file, real writer thread.

#include <catch2/catch.hpp>

#include "devbroker/store/broker_persistence.h"
#include "tests/unit/devbroker/store/persisted_broker.h"

using namespace cs::mqtt;
using cs::test::connect_persistent;
using cs::test::expiry;
using cs::test::make_publish;
using cs::test::payload_text;
using cs::test::PersistedBroker;
using cs::test::publishes;
using cs::test::subscribe;

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
