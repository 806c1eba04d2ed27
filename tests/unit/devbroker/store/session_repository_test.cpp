#include "devbroker/store/session_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::mqtt::QoS;
using cs::mqtt::Version;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

namespace {

SessionRecord session(const std::string& client_id, std::uint32_t expiry,
                      std::optional<std::int64_t> disconnected = std::nullopt) {
  SessionRecord s{client_id, expiry, std::nullopt, Version::v5};
  if (disconnected) s.disconnected_at = at(*disconnected);
  return s;
}

QueuedMessageRecord queued(std::int64_t seq, const std::string& payload) {
  QueuedMessageRecord m;
  m.seq = seq;
  m.topic = "t/" + std::to_string(seq);
  m.payload.assign(payload.begin(), payload.end());
  m.qos = QoS::at_least_once;
  return m;
}

std::vector<std::int64_t> seqs(const StoredSession& s) {
  std::vector<std::int64_t> out;
  for (const auto& m : s.queue) out.push_back(m.seq);
  return out;
}

}  // namespace

TEST_CASE("a session keeps its subscriptions, queue and QoS 2 ids", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  REQUIRE(sessions.save(session("c1", 300)));

  SubscriptionRecord sub{"sensors/+/temp", {}};
  sub.options.max_qos = QoS::exactly_once;
  sub.options.no_local = true;
  sub.options.retain_as_published = true;
  sub.options.retain_handling = 2;
  sub.options.subscription_id = 268435455;
  REQUIRE(sessions.put_subscription("c1", sub));
  REQUIRE(sessions.put_subscription("c1", SubscriptionRecord{"a/#", {}}));

  auto first = queued(1, "one");
  first.retain = true;
  first.properties.subscription_identifiers = {7};
  first.properties.correlation_data = cs::Bytes{1, 2};
  first.expires_at = at(999);
  REQUIRE(sessions.enqueue("c1", first));
  REQUIRE(sessions.enqueue("c1", queued(2, "two")));
  REQUIRE(sessions.add_incoming_qos2("c1", 65535));
  REQUIRE(sessions.add_incoming_qos2("c1", 3));
  REQUIRE(sessions.add_incoming_qos2("c1", 3));  // again: still once

  const auto loaded = sessions.load("c1").value();
  REQUIRE(loaded);
  CHECK(loaded->session == session("c1", 300));
  CHECK(loaded->subscriptions == std::vector<SubscriptionRecord>{{"a/#", {}}, sub});
  CHECK(loaded->queue == std::vector<QueuedMessageRecord>{first, queued(2, "two")});
  CHECK(loaded->incoming_qos2 == std::vector<std::uint16_t>{3, 65535});
  CHECK(sessions.load("c2").value() == std::nullopt);

  sub.options.max_qos = QoS::at_most_once;
  REQUIRE(sessions.put_subscription("c1", sub));  // replaces
  REQUIRE(sessions.remove_subscription("c1", "a/#"));
  REQUIRE(sessions.remove_subscription("c1", "never"));
  REQUIRE(sessions.remove_incoming_qos2("c1", 3));
  const auto after = sessions.load("c1").value();
  CHECK(after->subscriptions == std::vector<SubscriptionRecord>{sub});
  CHECK(after->incoming_qos2 == std::vector<std::uint16_t>{65535});
}

TEST_CASE("the session queue keeps its order through state changes and removals", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  REQUIRE(sessions.save(session("c1", 300)));
  // Inserted out of order on purpose: the order is the seq, not the insertion.
  for (std::int64_t seq : {5, 1, 3, 2, 4, 10, 7}) {
    REQUIRE(sessions.enqueue("c1", queued(seq, "m" + std::to_string(seq))));
  }
  CHECK(seqs(*sessions.load("c1").value()) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 7, 10});

  REQUIRE(sessions.set_delivery_state("c1", 1, DeliveryState::awaiting_ack, 17));
  REQUIRE(sessions.set_delivery_state("c1", 2, DeliveryState::awaiting_pubcomp, 18));
  REQUIRE(sessions.remove_message("c1", 3));
  REQUIRE(sessions.remove_message("c1", 3));
  const auto loaded = *sessions.load("c1").value();
  CHECK(seqs(loaded) == std::vector<std::int64_t>{1, 2, 4, 5, 7, 10});
  CHECK(loaded.queue[0].state == DeliveryState::awaiting_ack);
  CHECK(loaded.queue[0].packet_id == 17);
  CHECK(loaded.queue[1].state == DeliveryState::awaiting_pubcomp);
  CHECK(loaded.queue[2].state == DeliveryState::queued);
  CHECK(loaded.queue[2].packet_id == 0);

  REQUIRE(sessions.set_delivery_state("c1", 1, DeliveryState::queued, 0));
  CHECK(sessions.load("c1").value()->queue[0].packet_id == 0);
  auto missing = sessions.set_delivery_state("c1", 3, DeliveryState::awaiting_ack, 1);
  CHECK(error_of(missing).code == ErrorCode::not_found);
  CHECK(error_of(missing).message == "no stored message 3 for client 'c1'");

  auto duplicate = sessions.enqueue("c1", queued(5, "again"));
  CHECK(error_of(duplicate).code == ErrorCode::conflict);
  CHECK(error_of(duplicate).message == "message 5 of client 'c1' is already stored");

  REQUIRE(sessions.clear_queue("c1"));
  CHECK(sessions.load("c1").value()->queue.empty());
}

TEST_CASE("adding to a session that is not stored is not_found", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  const std::string expected = "no stored session for client 'ghost'";
  auto enqueued = sessions.enqueue("ghost", queued(1, "x"));
  CHECK(error_of(enqueued).code == ErrorCode::not_found);
  CHECK(error_of(enqueued).message == expected);
  CHECK(error_of(sessions.put_subscription("ghost", {"a", {}})).message == expected);
  CHECK(error_of(sessions.add_incoming_qos2("ghost", 1)).message == expected);
  REQUIRE(sessions.remove("ghost"));
}

TEST_CASE("removing a session removes everything it holds", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  REQUIRE(sessions.save(session("c1", 300)));
  REQUIRE(sessions.save(session("c2", 300)));
  REQUIRE(sessions.put_subscription("c1", {"a", {}}));
  REQUIRE(sessions.enqueue("c1", queued(1, "x")));
  REQUIRE(sessions.add_incoming_qos2("c1", 1));
  REQUIRE(sessions.enqueue("c2", queued(1, "y")));
  REQUIRE(sessions.remove("c1"));
  const auto all = sessions.load_all().value();
  REQUIRE(all.size() == 1);
  CHECK(all[0].session.client_id == "c2");
  CHECK(all[0].queue.size() == 1);
  auto& db = t.store.database();
  for (const char* table : {"session_subscriptions", "session_queue", "session_incoming_qos2"}) {
    auto count =
        db.prepare(std::string("SELECT count(*) FROM ") + table + " WHERE client_id = 'c1'");
    REQUIRE(count->step().value());
    CHECK(count->column_int(0) == 0);
  }
}

TEST_CASE("load_all groups each table's rows under their session", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  for (const char* id : {"b", "a", "c"}) REQUIRE(sessions.save(session(id, 60)));
  REQUIRE(sessions.enqueue("c", queued(1, "c1")));
  REQUIRE(sessions.enqueue("a", queued(2, "a2")));
  REQUIRE(sessions.enqueue("a", queued(1, "a1")));
  REQUIRE(sessions.put_subscription("b", {"x", {}}));
  const auto all = sessions.load_all().value();
  REQUIRE(all.size() == 3);
  CHECK(all[0].session.client_id == "a");
  CHECK(seqs(all[0]) == std::vector<std::int64_t>{1, 2});
  CHECK(all[1].subscriptions.size() == 1);
  CHECK(all[1].queue.empty());
  CHECK(seqs(all[2]) == std::vector<std::int64_t>{1});
}

TEST_CASE("expired sessions and expired queued messages are swept", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  REQUIRE(sessions.save(session("connected", 10)));             // never swept while connected
  REQUIRE(sessions.save(session("short", 10, 100)));            // expires at 110
  REQUIRE(sessions.save(session("long", 1000, 100)));           // expires at 1100
  REQUIRE(sessions.save(session("forever", 0xFFFFFFFF, 100)));  // never expires
  REQUIRE(sessions.save(session("updated", 10, std::nullopt)));
  REQUIRE(sessions.save(session("updated", 10, 200)));  // disconnected later: 210
  CHECK(sessions.delete_expired(at(109)).value() == 0);
  CHECK(sessions.delete_expired(at(110)).value() == 1);
  CHECK(sessions.delete_expired(at(210)).value() == 1);
  CHECK(sessions.delete_expired(at(4000000000)).value() == 1);
  const auto left = sessions.load_all().value();
  REQUIRE(left.size() == 2);
  CHECK(left[0].session.client_id == "connected");
  CHECK(left[1].session.client_id == "forever");

  auto expiring = queued(1, "old");
  expiring.expires_at = at(50);
  auto in_flight = queued(2, "sent");
  in_flight.expires_at = at(50);
  in_flight.state = DeliveryState::awaiting_ack;
  in_flight.packet_id = 9;
  REQUIRE(sessions.enqueue("forever", expiring));
  REQUIRE(sessions.enqueue("forever", in_flight));
  REQUIRE(sessions.enqueue("forever", queued(3, "no expiry")));
  CHECK(sessions.delete_expired_messages(at(50)).value() == 1);
  CHECK(seqs(*sessions.load("forever").value()) == std::vector<std::int64_t>{2, 3});
}

TEST_CASE("a damaged queued message fails load_all, or is left out and described", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  REQUIRE(sessions.save(session("c1", 300)));
  REQUIRE(sessions.enqueue("c1", queued(1, "one")));
  REQUIRE(sessions.enqueue("c1", queued(2, "two")));
  REQUIRE(t.store.database().execute(
      "UPDATE session_queue SET properties = x'02a0' WHERE client_id = 'c1' AND seq = 1"));

  CHECK(error_of(sessions.load_all()).message == "stored MQTT properties have an unknown format 2");
  CHECK(error_of(sessions.load("c1")).code == ErrorCode::io);

  std::vector<std::string> damaged;
  const auto all = sessions.load_all(&damaged).value();
  REQUIRE(all.size() == 1);
  CHECK(seqs(all[0]) == std::vector<std::int64_t>{2});
  CHECK(damaged ==
        std::vector<std::string>{
            "message 1 of session 'c1': stored MQTT properties have an unknown format 2"});
}

TEST_CASE("last_seq is the highest seq of any session, readable or not", "[store]") {
  TestStore t;
  auto& sessions = t.repos().sessions;
  CHECK(sessions.last_seq().value() == 0);
  REQUIRE(sessions.save(session("a", 300)));
  REQUIRE(sessions.save(session("b", 300)));
  REQUIRE(sessions.enqueue("a", queued(7, "x")));
  REQUIRE(sessions.enqueue("b", queued(41, "y")));
  REQUIRE(t.store.database().execute("UPDATE session_queue SET properties = x'02a0'"));
  CHECK(sessions.last_seq().value() == 41);
  REQUIRE(sessions.remove("b"));
  CHECK(sessions.last_seq().value() == 7);
}
