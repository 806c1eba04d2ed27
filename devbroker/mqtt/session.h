#pragma once
// What the broker keeps per client: the session (which outlives connections when asked to) and
// the connection (one network link, from CONNECT to close).

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "devbroker/mqtt/authorizer.h"
#include "devbroker/mqtt/message.h"
#include "devbroker/mqtt/packet.h"

namespace cs::mqtt {

struct Connection;

/// Names one write a Persistence queued; tickets increase in the order the writes were made.
using WriteTicket = std::uint64_t;

/// One message on its way to a client: which message, at what QoS, with which flags.
struct Delivery {
  MessagePtr message;
  QoS qos = QoS::at_most_once;
  bool retain = false;
  std::vector<std::uint32_t> subscription_ids;
  std::int64_t seq = 0;  // its id in the store; 0 while not stored
};

/// A QoS 1/2 delivery sent and not yet completed. The small members come last so that they fill
/// the delivery's tail padding: 64 bytes, which matters when a full window is scanned and moved.
struct Inflight {
  Delivery delivery;
  std::uint16_t packet_id = 0;
  bool awaiting_pubcomp = false;  // QoS 2 after PUBREC: PUBREL sent
};

/// A will waiting for its delay (5.0 will delay interval) or for its connection to end.
struct PendingWill {
  Will will;
  std::shared_ptr<const Identity> identity;
  std::string client_id;
  std::uint32_t delay = 0;       // seconds after the connection ends (5.0 will delay interval)
  std::optional<TimePoint> due;  // set when the connection ends (not when the server stops)
  std::string saved_identity;    // `identity` as the store keeps it (persistent sessions only)
};

/// A session's subscriptions: filters as sent, with their options, kept sorted in one vector.
/// Empty, it costs 24 bytes and no allocation (an unordered_map costs 56); lookups are binary
/// searches over at most Limits::max_subscriptions_per_client entries.
class SubscriptionMap {
 public:
  using Entry = std::pair<std::string, SubscriptionOptions>;
  bool contains(std::string_view filter) const;
  std::size_t size() const { return m_entries.size(); }
  /// The options of `filter`, added with default options if it is new.
  SubscriptionOptions& operator[](const std::string& filter);
  /// Removes `filter`; returns how many entries went (0 or 1).
  std::size_t erase(std::string_view filter);
  std::vector<Entry>::const_iterator begin() const { return m_entries.begin(); }
  std::vector<Entry>::const_iterator end() const { return m_entries.end(); }

 private:
  std::vector<Entry>::iterator lower_bound(std::string_view filter);
  std::vector<Entry> m_entries;
};

/// Packet identifiers kept sorted in one vector: 24 bytes and no allocation while empty.
class PacketIdSet {
 public:
  bool contains(std::uint16_t id) const;
  std::size_t size() const { return m_ids.size(); }
  void insert(std::uint16_t id);
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }
  /// Removes `id`; returns how many went (0 or 1).
  std::size_t erase(std::uint16_t id);

 private:
  std::vector<std::uint16_t> m_ids;
};

struct Session {
  std::string client_id;
  std::uint64_t serial = 0;  // unique for each session ever created
  Connection* connection = nullptr;
  Version version = Version::v311;
  bool persistent = false;  // outlives its connection, so the broker's Persistence keeps it
  std::shared_ptr<const Identity> identity;

  SubscriptionMap subscriptions;
  /// In send order from index `inflight_acked` on (at most the client's receive maximum); the
  /// entries before it were acknowledged and wait to be dropped in bulk.
  std::vector<Inflight> inflight;
  std::list<Delivery> queue;  // waiting to be sent (a list allocates nothing while empty)
  PacketIdSet incoming_qos2;  // PUBREC sent, PUBREL not yet received
  std::uint16_t last_packet_id = 0;
  std::uint16_t inflight_acked = 0;

  std::uint32_t expiry_interval = 0;    // seconds after disconnect; 0xFFFFFFFF never
  std::optional<TimePoint> expires_at;  // set while disconnected
  std::unique_ptr<PendingWill> will;    // armed while connected or during the will delay

  // Scratch for routing one message: merges overlapping subscriptions of this session.
  std::uint64_t match_epoch = 0;
  std::size_t match_slot = 0;

  /// How many deliveries are in flight.
  std::size_t inflight_count() const { return inflight.size() - inflight_acked; }
  /// The deliveries in flight, in send order.
  std::span<Inflight> live_inflight() { return std::span(inflight).subspan(inflight_acked); }
  /// A packet identifier not used by any in-flight delivery, or 0 when all 65535 are in use.
  std::uint16_t allocate_packet_id();
  /// The in-flight delivery with `packet_id`, or nullptr.
  Inflight* find_inflight(std::uint16_t packet_id);
  /// Removes the in-flight delivery with `packet_id`; false when there was none.
  bool erase_inflight(std::uint16_t packet_id);
};

enum class ConnectionState : std::uint8_t { awaiting_connect, authenticating, connected, closing };

/// The 5.0 topic aliases of one connection, in both directions.
struct TopicAliases {
  std::unordered_map<std::uint16_t, std::string> inbound;
  std::unordered_map<std::string, std::uint16_t> outbound;
};

struct Connection {
  ConnectionId id = 0;
  std::string peer;
  // CN of the verified client certificate (mTLS); a pointer, as most connections have none.
  std::unique_ptr<const std::string> certificate_name;

  Bytes input;   // bytes received and not yet decoded
  Bytes output;  // bytes encoded and not yet taken by the transport
  TimePoint last_received{};

  std::unique_ptr<Connect> pending_connect;  // while the authorizer decides
  /// The session, which holds the client id and the identity the authorizer accepted.
  Session* session = nullptr;

  /// The connection's topic aliases, made on first use: most clients never use one, and an idle
  /// connection should stay small.
  TopicAliases& topic_aliases() {
    if (!aliases) aliases = std::make_unique<TopicAliases>();
    return *aliases;
  }
  std::unique_ptr<TopicAliases> aliases;

  // What the client told us about itself (5.0 CONNECT properties).
  std::uint32_t client_maximum_packet_size = 0;  // 0 = no limit beyond the protocol's
  std::uint16_t client_receive_maximum = 65535;
  std::uint16_t client_topic_alias_maximum = 0;
  bool request_problem_information = true;

  // The small members last, packed together.
  std::uint16_t keep_alive = 0;  // effective seconds; 0 = none
  ConnectionState state = ConnectionState::awaiting_connect;
  Version version = Version::v311;
  ReasonCode close_reason = ReasonCode::success;  // why the broker closes it; success = normal end
  bool close_requested = false;
  bool pending_assigned_id = false;  // 5.0: the broker chose the client id, CONNACK says which
  bool acks_held = false;            // acknowledgements wait in the broker for the store to commit
};

}  // namespace cs::mqtt
