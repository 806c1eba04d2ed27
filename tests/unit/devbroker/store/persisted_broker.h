#pragma once
// A broker whose state goes through BrokerPersistence to a real SQLite file, with a wall clock
// the test moves, and restarts that keep the file: the broker and its writer go away (as after
// SIGKILL, once what was submitted has committed) and a new pair restores from the store.

#include <memory>
#include <string>

#include "devbroker/store/broker_persistence.h"
#include "devbroker/store/broker_restore.h"
#include "tests/support/broker_harness.h"
#include "tests/unit/devbroker/store/store_test_support.h"

namespace cs::test {

class PersistedBroker {
 public:
  PersistedBroker() { start(); }

  /// The running broker.
  BrokerHarness& h() { return *m_harness; }
  store::BrokerPersistence& persistence() { return *m_persistence; }

  /// Waits for the writes submitted so far and hands their outcome to the broker.
  void settle() {
    m_persistence->flush();
    m_harness->broker.on_persisted(m_persistence->take_progress(), m_harness->now);
  }

  /// Moves the broker's clock and the wall clock by `by`, ticking the broker.
  void advance(std::chrono::milliseconds by) {
    m_harness->advance(by);
    wall += std::chrono::duration_cast<std::chrono::seconds>(by);
  }

  /// Ends the broker without goodbyes, lets `downtime` pass on the wall clock, and starts a new
  /// one over the same store.
  void restart(std::chrono::seconds downtime = std::chrono::seconds(0)) {
    m_harness.reset();
    m_persistence->stop();
    m_persistence.reset();
    wall += downtime;
    start();
  }

  /// The single integer `sql` selects from the store.
  std::int64_t count(const std::string& sql) {
    auto statement = store.store.database().prepare(sql);
    if (!statement || !statement->step().value_or(false)) return -1;
    return statement->column_int(0);
  }

  TestStore store;
  SysSeconds wall = at(1'700'000'000);
  store::RestoreReport report;  // of the last start

 private:
  void start() {
    m_persistence =
        store::BrokerPersistence::open(store.store, [this] { return wall; }, {}).value();
    m_harness = std::make_unique<BrokerHarness>(*m_persistence);
    report = store::restore_broker_state(store.store, m_harness->broker,
                                         mqtt::TopicLimits{1024, 32}, wall, m_harness->now)
                 .value();
  }

  std::unique_ptr<store::BrokerPersistence> m_persistence;
  std::unique_ptr<BrokerHarness> m_harness;
};

/// Properties asking for a session expiry of `seconds`.
inline mqtt::Properties expiry(std::uint32_t seconds) {
  mqtt::Properties p;
  p.session_expiry_interval = seconds;
  return p;
}

/// Connects `id` with a session that outlives its connection (3.1.1 clean session 0, 5.0 expiry
/// 300); the CONNACK goes to `ack` when given.
inline mqtt::ConnectionId connect_persistent(PersistedBroker& b, const std::string& id,
                                             mqtt::Version v, mqtt::Connack* ack = nullptr) {
  return b.h().connect(id, v, false, v == mqtt::Version::v5 ? expiry(300) : mqtt::Properties{},
                       std::nullopt, ack);
}

/// Subscribes `id` to `filter` and returns what came back, the SUBACK included: a persistent
/// session gets it once the store committed.
inline std::vector<mqtt::Packet> subscribe(PersistedBroker& b, mqtt::ConnectionId id,
                                           const std::string& filter, mqtt::QoS qos,
                                           mqtt::Version v) {
  mqtt::Subscribe s{1, {}, {}};
  s.subscriptions.push_back(mqtt::SubscriptionRequest{filter, qos, false, false, 0});
  b.h().send(id, s, v);
  auto before = b.h().received(id, v);
  b.settle();
  auto after = b.h().received(id, v);
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

}  // namespace cs::test
