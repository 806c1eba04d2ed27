#pragma once
// Persistent MQTT sessions (clean start 0 / session expiry > 0): the session row, its
// subscriptions, the messages queued or in flight to it, and the QoS 2 packet ids it has
// received but not yet released. Child rows go when their session goes.
//
// Removing something absent is not an error: the broker's memory is the authority and the
// store follows it. Adding to a session that is not stored is (not_found).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto/bytes.h"
#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/mqtt/message.h"
#include "devbroker/mqtt/packet.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct SessionRecord {
  std::string client_id;
  std::uint32_t expiry_interval = 0;          // seconds after disconnect; 0xFFFFFFFF never
  std::optional<SysSeconds> disconnected_at;  // nullopt while connected
  mqtt::Version version = mqtt::Version::v311;
  bool operator==(const SessionRecord&) const = default;
};

struct SubscriptionRecord {
  std::string filter;
  mqtt::SubscriptionOptions options;
  bool operator==(const SubscriptionRecord&) const = default;
};

enum class DeliveryState : std::uint8_t {
  queued,            // not sent yet
  awaiting_ack,      // sent: QoS 1 waiting for PUBACK, QoS 2 waiting for PUBREC
  awaiting_pubcomp,  // QoS 2: PUBREL sent
};

/// One message on its way to a session: queued, or in flight under `packet_id`.
struct QueuedMessageRecord {
  std::int64_t seq = 0;  // chosen by the caller, increasing within a session: the send order
  std::string topic;
  Bytes payload;
  mqtt::QoS qos = mqtt::QoS::at_most_once;  // of this delivery
  bool retain = false;                      // of this delivery
  /// Forwarded properties; `subscription_identifiers` holds the delivery's subscription ids.
  mqtt::Properties properties;
  std::optional<SysSeconds> expires_at;
  DeliveryState state = DeliveryState::queued;
  std::uint16_t packet_id = 0;  // non-zero exactly when in flight
  bool operator==(const QueuedMessageRecord&) const = default;
};

/// The will of a persistent session.
struct WillRecord {
  std::string topic;
  Bytes payload;
  mqtt::QoS qos = mqtt::QoS::at_most_once;
  bool retain = false;
  mqtt::Properties properties;       // will properties (5.0)
  std::uint32_t delay = 0;           // seconds (5.0 will delay interval)
  std::optional<SysSeconds> due_at;  // nullopt while its connection is open
  std::string identity;              // the sender, as the auth stack saved it
  bool operator==(const WillRecord&) const = default;
};

struct StoredSession {
  SessionRecord session;
  std::vector<SubscriptionRecord> subscriptions;  // by filter
  std::vector<QueuedMessageRecord> queue;         // by seq
  std::vector<std::uint16_t> incoming_qos2;       // ascending
  std::optional<WillRecord> will;
  bool operator==(const StoredSession&) const = default;
};

class SessionRepository {
 public:
  explicit SessionRepository(Database& db) : m_db(db) {}

  /// Creates session `session.client_id`, or updates its expiry, disconnect time and version
  /// keeping its subscriptions and messages.
  Result<void> save(const SessionRecord& session);
  /// Deletes session `client_id` with its subscriptions and messages.
  Result<void> remove(const std::string& client_id);

  /// Adds or replaces the subscription to `subscription.filter` of session `client_id`.
  Result<void> put_subscription(const std::string& client_id,
                                const SubscriptionRecord& subscription);
  /// Deletes the subscription to `filter` of session `client_id`.
  Result<void> remove_subscription(const std::string& client_id, const std::string& filter);

  /// Appends `message` to the queue of session `client_id`; conflict when its seq is taken.
  Result<void> enqueue(const std::string& client_id, const QueuedMessageRecord& message);
  /// Records that message `seq` of session `client_id` is in `state` under `packet_id` (0 when
  /// queued again); not_found when there is no such message.
  Result<void> set_delivery_state(const std::string& client_id, std::int64_t seq,
                                  DeliveryState state, std::uint16_t packet_id);
  /// Deletes message `seq` of session `client_id` (delivered, or dropped).
  Result<void> remove_message(const std::string& client_id, std::int64_t seq);
  /// Deletes every message of session `client_id`.
  Result<void> clear_queue(const std::string& client_id);

  /// Remembers that QoS 2 `packet_id` from client `client_id` was answered with PUBREC.
  Result<void> add_incoming_qos2(const std::string& client_id, std::uint16_t packet_id);
  /// Forgets QoS 2 `packet_id` of client `client_id` (PUBREL arrived).
  Result<void> remove_incoming_qos2(const std::string& client_id, std::uint16_t packet_id);

  /// Stores `will` as the will of session `client_id`, replacing any other.
  Result<void> put_will(const std::string& client_id, const WillRecord& will);
  /// Deletes the will of session `client_id`.
  Result<void> remove_will(const std::string& client_id);

  /// Session `client_id` with everything it holds, or nullopt.
  Result<std::optional<StoredSession>> load(const std::string& client_id) const;
  /// Every stored session, by client id, for a broker starting up. A message or will whose data
  /// cannot be read fails the call, or with `damaged` given is left out and described there.
  Result<std::vector<StoredSession>> load_all(std::vector<std::string>* damaged = nullptr) const;
  /// The highest message seq stored for any session, readable or not; 0 when there is none.
  Result<std::int64_t> last_seq() const;

  /// Deletes the sessions whose expiry passed by `now` (disconnected at or before
  /// `now` - expiry interval, and not "never") and that hold no will (a broker starting up
  /// publishes it first); returns how many.
  Result<std::int64_t> delete_expired(SysSeconds now);
  /// Deletes queued (not in-flight) messages expired at `now`; returns how many.
  Result<std::int64_t> delete_expired_messages(SysSeconds now);

 private:
  Database& m_db;
};

}  // namespace cs::store
