#pragma once
// The broker's Persistence over the store: each event becomes one write on a StoreWriter (group
// commit on its own thread), named by the next ticket. When writes finish, the writer thread
// calls `notify`, which posts to the broker's loop; the loop then takes the progress and hands it
// to Broker::on_persisted.
//
// Use, on the broker's loop thread: `auto p = BrokerPersistence::open(store, clock, notify)`,
// pass `p->get()` to the Broker, call `take_progress()` when notified, and `stop()` before the
// broker goes away (it commits everything submitted).

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/mqtt/persistence.h"
#include "devbroker/store/store.h"
#include "devbroker/store/store_writer.h"

namespace cs::store {

class BrokerPersistence final : public mqtt::Persistence {
 public:
  /// Reads the wall clock: stored times (disconnects, expiries) are wall-clock seconds.
  using WallClock = std::function<SysSeconds()>;
  /// Runs on the writer thread when progress is waiting; must only post to the broker's loop.
  using Notify = std::function<void()>;

  /// Persistence over a new writer on `store`, dating stored times by `wall_clock`.
  static Result<std::unique_ptr<BrokerPersistence>> open(Store& store, WallClock wall_clock,
                                                         Notify notify);

  /// Persistence over `writer`, whose message seqs continue after `last_seq`.
  BrokerPersistence(std::unique_ptr<StoreWriter> writer, std::int64_t last_seq,
                    WallClock wall_clock, Notify notify);
  /// Stops as stop() does.
  ~BrokerPersistence() override;
  BrokerPersistence(const BrokerPersistence&) = delete;
  BrokerPersistence& operator=(const BrokerPersistence&) = delete;

  /// The writes finished since the previous call; logs the first failure of a run of them.
  mqtt::PersistProgress take_progress();
  /// Waits until every write submitted so far has committed or failed.
  void flush();
  /// Commits everything submitted, runs the callbacks and ends the writer thread.
  void stop();

  mqtt::WriteTicket last_ticket() const override { return m_last_ticket; }
  void retained_set(const mqtt::Message& message, mqtt::TimePoint now) override;
  void retained_cleared(const std::string& topic) override;
  void session_saved(const mqtt::Session& session) override;
  void session_removed(const std::string& client_id) override;
  void subscription_added(const std::string& client_id, const std::string& filter,
                          const mqtt::SubscriptionOptions& options) override;
  void subscription_removed(const std::string& client_id, const std::string& filter) override;
  std::int64_t message_stored(const std::string& client_id, const mqtt::Delivery& delivery,
                              mqtt::StoredState state, std::uint16_t packet_id,
                              mqtt::TimePoint now) override;
  void message_state(const std::string& client_id, std::int64_t seq, mqtt::StoredState state,
                     std::uint16_t packet_id) override;
  void message_removed(const std::string& client_id, std::int64_t seq) override;
  void incoming_qos2_added(const std::string& client_id, std::uint16_t packet_id) override;
  void incoming_qos2_removed(const std::string& client_id, std::uint16_t packet_id) override;

 private:
  void submit(StoreWriter::Write write);
  void finished(mqtt::WriteTicket ticket, const Result<void>& result);
  std::optional<SysSeconds> wall_expiry(const std::optional<mqtt::TimePoint>& expires_at,
                                        mqtt::TimePoint now) const;

  WallClock m_wall_clock;
  Notify m_notify;
  mqtt::WriteTicket m_last_ticket = 0;  // loop thread only
  std::int64_t m_last_seq;              // loop thread only

  std::mutex m_mutex;  // guards what the writer thread reports
  mqtt::PersistProgress m_progress;
  std::optional<Error> m_first_error;  // of the failures not yet taken
  bool m_notified = false;             // a notification is on its way to the loop
  bool m_failing = false;              // loop thread: the last report held failures

  std::unique_ptr<StoreWriter> m_writer;  // last: its thread stops before the rest goes
};

}  // namespace cs::store
