#pragma once
// The broker's Persistence over the store: each event becomes one write on a StoreWriter (group
// commit on its own thread), named by the next ticket. When writes finish, the writer thread
// calls `notify`, which posts to the broker's loop; the loop then takes the progress and hands it
// to Broker::on_persisted.
//
// Two economies keep messages to connected persistent sessions cheap. A message acknowledged
// before the writer reached its insert is never written (nor are its state changes): the writer
// skips it. The deletions of messages acknowledged after their insert wait on the loop and go
// in one write, submitted when the previous one has finished (or when enough have gathered).
//
// Use, on the broker's loop thread: `auto p = BrokerPersistence::open(store, clock, notify)`,
// pass `p->get()` to the Broker, call `take_progress()` when notified, and `stop()` before the
// broker goes away (it commits everything submitted).

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

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

  /// The writes finished since the previous call; logs the first failure of a run of them, and
  /// submits the deletions that waited for the previous deletion write.
  mqtt::PersistProgress take_progress();
  /// Submits the waiting deletions and waits until every write submitted so far has committed
  /// or failed.
  void flush();
  /// Submits the waiting deletions, commits everything submitted, runs the callbacks and ends
  /// the writer thread.
  void stop();

  mqtt::WriteTicket last_ticket() const override { return m_last_ticket; }
  void retained_set(const mqtt::Message& message, mqtt::TimePoint now) override;
  void retained_cleared(const std::string& topic) override;
  void session_saved(const mqtt::Session& session, mqtt::TimePoint now) override;
  void will_removed(const std::string& client_id) override;
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
  // Writer thread: true when message `seq` is to be inserted now, false when it was removed
  // before the writer reached it.
  bool claim(std::int64_t seq);
  // Writer thread: true when message `seq` was removed before it was inserted.
  bool cancelled(std::int64_t seq);
  // Loop thread: submits the waiting deletions unless one deletion write is in flight and
  // fewer than a batch wait, or `always`.
  void submit_removals(bool always);
  // Loop thread: forgets the skipped messages no pending write names any more.
  void forget_cancelled(mqtt::WriteTicket finished);

  WallClock m_wall_clock;
  Notify m_notify;
  mqtt::WriteTicket m_last_ticket = 0;  // loop thread only
  std::int64_t m_last_seq;              // loop thread only

  std::mutex m_mutex;  // guards what the writer thread reports
  mqtt::PersistProgress m_progress;
  std::optional<Error> m_first_error;  // of the failures not yet taken
  bool m_notified = false;             // a notification is on its way to the loop
  bool m_failing = false;              // loop thread: the last report held failures

  std::mutex m_cancel_mutex;                     // guards the two members below
  std::int64_t m_claimed_seq;                    // the last message whose insert the writer ran
  std::unordered_set<std::int64_t> m_cancelled;  // removed before their insert ran
  // Loop thread only: when each cancelled seq may be forgotten (every write naming it was
  // submitted by that ticket), in ticket order; deletions waiting for a write; and its ticket.
  std::deque<std::pair<mqtt::WriteTicket, std::int64_t>> m_cancelled_until;
  std::vector<std::pair<std::string, std::int64_t>> m_removals;
  mqtt::WriteTicket m_removal_ticket = 0;
  mqtt::WriteTicket m_finished_seen = 0;

  std::unique_ptr<StoreWriter> m_writer;  // last: its thread stops before the rest goes
};

}  // namespace cs::store
