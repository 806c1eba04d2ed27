#pragma once
// What the broker tells a store about the state that must outlive the process: retained
// messages, and the sessions that outlive their connections (session expiry interval > 0) with
// their subscriptions, the QoS 1/2 messages stored for them and the QoS 2 packet ids they sent.
//
// The broker calls these on its own thread and never waits for them: each call only queues a
// write and names it with the next WriteTicket. The store reports back which writes finished
// (Broker::on_persisted), and the acknowledgements that promise durability (PUBACK, PUBREC,
// PUBCOMP, PUBREL, SUBACK, UNSUBACK after a write) wait for those reports. Every QoS 1/2 message
// for a persistent session is written, connected or not, and removed once acknowledged; its
// delivery to a connected client never waits for the write.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "devbroker/mqtt/message.h"
#include "devbroker/mqtt/session.h"

namespace cs::mqtt {

/// Where a message stored for a session stands in its delivery.
enum class StoredState : std::uint8_t {
  queued,            // not sent yet
  awaiting_ack,      // sent: QoS 1 waits for PUBACK, QoS 2 for PUBREC
  awaiting_pubcomp,  // QoS 2: PUBREL sent
};

/// The writes that finished since the previous report.
struct PersistProgress {
  WriteTicket finished = 0;         // every write up to this ticket has committed or failed
  std::vector<WriteTicket> failed;  // the ones among them that did not commit
};

class Persistence {
 public:
  virtual ~Persistence() = default;

  /// The ticket of the most recent write (0 before the first).
  virtual WriteTicket last_ticket() const = 0;

  /// `message` became the retained message of its topic; `now` dates its expiry.
  virtual void retained_set(const Message& message, TimePoint now) = 0;
  /// The retained message of `topic` was cleared.
  virtual void retained_cleared(const std::string& topic) = 0;

  /// Session `session` was created, resumed, or disconnected (its connection is null), or its
  /// expiry interval changed; its subscriptions and messages are kept, its will (with its due
  /// time on the clock of `now`, if armed) replaces the one stored, or clears it.
  virtual void session_saved(const Session& session, TimePoint now) = 0;
  /// The will of session `client_id` was published (or dropped); the session lives on.
  virtual void will_removed(const std::string& client_id) = 0;
  /// Session `client_id` ended, with everything it held.
  virtual void session_removed(const std::string& client_id) = 0;

  /// Session `client_id` subscribed to `filter` with `options` (or changed its options).
  virtual void subscription_added(const std::string& client_id, const std::string& filter,
                                  const SubscriptionOptions& options) = 0;
  /// Session `client_id` unsubscribed from `filter`.
  virtual void subscription_removed(const std::string& client_id, const std::string& filter) = 0;

  /// Stores `delivery` for session `client_id` in `state` (under `packet_id` when in flight);
  /// `now` dates its expiry. Returns the id the later calls name it by.
  virtual std::int64_t message_stored(const std::string& client_id, const Delivery& delivery,
                                      StoredState state, std::uint16_t packet_id,
                                      TimePoint now) = 0;
  /// Stored message `seq` of session `client_id` moved to `state` under `packet_id`.
  virtual void message_state(const std::string& client_id, std::int64_t seq, StoredState state,
                             std::uint16_t packet_id) = 0;
  /// Stored message `seq` of session `client_id` was delivered, refused or dropped.
  virtual void message_removed(const std::string& client_id, std::int64_t seq) = 0;

  /// Session `client_id` received QoS 2 `packet_id` and answers PUBREC.
  virtual void incoming_qos2_added(const std::string& client_id, std::uint16_t packet_id) = 0;
  /// Session `client_id` released QoS 2 `packet_id` (PUBREL).
  virtual void incoming_qos2_removed(const std::string& client_id, std::uint16_t packet_id) = 0;
};

/// A persistent session's will as the store kept it.
struct RestoredWill {
  Will will;
  std::uint32_t delay = 0;     // seconds (5.0 will delay interval)
  TimePoint due{};             // when it is published unless the client reconnects first
  std::string saved_identity;  // for Authorizer::restore_identity; empty: none was known
};

/// A persistent session as the store kept it, for Broker::restore_session.
struct RestoredSession {
  std::string client_id;
  Version version = Version::v311;
  std::uint32_t expiry_interval = 0;    // seconds; 0xFFFFFFFF never
  std::optional<TimePoint> expires_at;  // nullopt: never
  std::vector<std::pair<std::string, SubscriptionOptions>> subscriptions;
  std::vector<Inflight> inflight;  // in send order; every delivery has its seq
  std::vector<Delivery> queue;     // in send order; every delivery has its seq
  std::vector<std::uint16_t> incoming_qos2;
  std::optional<RestoredWill> will;
};

}  // namespace cs::mqtt
