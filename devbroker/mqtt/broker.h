#pragma once
// The MQTT broker core: sessions, routing, retained messages, wills, shared subscriptions,
// keep alive and $SYS. It does no I/O. A transport feeds it bytes and time and takes back the
// bytes to write and the connections to close; everything runs on one thread (the event loop).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "devbroker/limits.h"
#include "devbroker/mqtt/authorizer.h"
#include "devbroker/mqtt/message.h"
#include "devbroker/mqtt/packet.h"
#include "devbroker/mqtt/persistence.h"
#include "devbroker/mqtt/session.h"
#include "devbroker/mqtt/topic.h"
#include "devbroker/mqtt/topic_index.h"

namespace cs::mqtt {

struct BrokerOptions {
  devbroker::Limits limits;
  std::chrono::seconds sys_interval{5};  // how often $SYS/broker/... is published
  std::string version;                   // reported in $SYS/broker/version
};

struct BrokerStats {
  std::uint64_t clients_connected = 0;
  std::uint64_t sessions = 0;
  std::uint64_t messages_received = 0;  // PUBLISH packets from clients
  std::uint64_t messages_sent = 0;      // PUBLISH packets to clients
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t subscriptions = 0;
  std::uint64_t retained = 0;
  std::uint64_t dropped = 0;  // messages not delivered because a queue or buffer was full
};

class Broker {
 public:
  /// Builds a broker that asks `authorizer` (which must outlive it) about every client and, when
  /// given, tells `persistence` (which must outlive it too) what must survive a restart.
  Broker(BrokerOptions options, Authorizer& authorizer, TimePoint now,
         Persistence* persistence = nullptr);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  /// A transport accepted connection `id` from `peer`; `certificate_name` is the common name of
  /// the client certificate the transport verified, if any.
  void on_open(ConnectionId id, std::string peer, TimePoint now,
               std::optional<std::string> certificate_name = std::nullopt);
  /// Bytes arrived on connection `id`.
  void on_data(ConnectionId id, ByteView data, TimePoint now);
  /// The transport closed connection `id`; the broker forgets it (its session may live on).
  void on_closed(ConnectionId id, TimePoint now);
  /// The authorizer finished deciding the CONNECT of connection `id`.
  void on_auth_result(ConnectionId id, AuthDecision decision, TimePoint now);
  /// Time passed: keep alive, will delays, session expiry, $SYS publication.
  void on_tick(TimePoint now);
  /// Routes `message` from inside the server (HTTP publish, $SYS) as if a client published it;
  /// `durable` (may be empty) runs on this thread once what routing stored (a retained message,
  /// messages for persistent sessions) has committed, with false when the store lost it, and at
  /// once when nothing was stored.
  void publish(Message message, TimePoint now, std::function<void(bool saved)> durable = {});
  /// Ends every connection whose identity satisfies `match`, with `reason` (5.0 DISCONNECT).
  void disconnect_if(const std::function<bool(const Identity&)>& match, ReasonCode reason,
                     TimePoint now);
  /// Ends every connection: 5.0 clients receive DISCONNECT "server shutting down".
  void shutdown(TimePoint now);

  /// Adds retained `message`, read from the store at start (nothing is written back).
  void restore_retained(MessagePtr message);
  /// Adds persistent session `session`, read from the store at start, as disconnected.
  void restore_session(RestoredSession&& session);
  /// The store finished the writes `progress` names: sends the acknowledgements that waited for
  /// them, and closes the connections whose acknowledged data could not be saved.
  void on_persisted(const PersistProgress& progress, TimePoint now);

  /// Connections that got output or a close request since the last call; the list is cleared.
  std::vector<ConnectionId> take_ready();
  /// Swaps the connections that got output or a close request since the last call into `ready`
  /// (emptied first), whose capacity the broker keeps for the next ones.
  void take_ready(std::vector<ConnectionId>& ready);
  /// Moves out the bytes waiting to be written to connection `id`.
  Bytes take_output(ConnectionId id);
  /// True when connection `id` should be closed once its output is written.
  bool close_requested(ConnectionId id) const;
  /// Why connection `id` is being closed: success when it ends normally (DISCONNECT from the
  /// client), else the reason code of the broker's refusal, error or server-side decision.
  ReasonCode close_reason(ConnectionId id) const;

  /// Counters for $SYS and the benchmarks.
  BrokerStats stats() const;
  /// How often the transport should call on_tick.
  static std::chrono::milliseconds tick_interval();

 private:
  struct SharedGroup;
  struct Match;
  /// What becomes of a session's will when its connection ends.
  enum class WillFate {
    publish,  // the connection was lost or ended in error: publish after the will delay
    discard,  // DISCONNECT with reason 0x00, or no session yet
    keep,     // the server stops: the stored will waits for the next start
  };
  /// An acknowledgement waiting until the writes it vouches for are durable.
  struct HeldAck {
    WriteTicket first = 0;  // its own writes are tickets first..last (none when first > last)
    WriteTicket last = 0;   // sent once every write up to this ticket has finished
    Packet packet;
  };
  /// Someone inside the server waiting until the writes first..last are durable.
  struct HeldCallback {
    WriteTicket first = 0;
    WriteTicket last = 0;
    std::function<void(bool saved)> done;
  };

  // Connection life (broker.cpp)
  Connection* find_connection(ConnectionId id);
  void process_input(Connection& c, TimePoint now);
  std::size_t consume(Connection& c, ByteView bytes, TimePoint now);
  void check_held_input(Connection& c, TimePoint now);
  void dispatch(Connection& c, Packet&& packet, TimePoint now);
  void fail(Connection& c, ReasonCode reason, std::string_view why, TimePoint now);
  void send(Connection& c, const Packet& packet);
  void request_close(Connection& c, ReasonCode why = ReasonCode::success);
  void end_connection(Connection& c, WillFate fate, TimePoint now);
  void mark_ready(Connection& c);

  // Persistence (persist.cpp)
  WriteTicket last_ticket() const;
  void acknowledge(Connection& c, Packet&& packet, WriteTicket since);
  void release_held(ConnectionId id, const PersistProgress& progress, TimePoint now);
  void when_durable(WriteTicket since, std::function<void(bool saved)> done);
  void release_callbacks(const PersistProgress& progress);
  void persist_attached(Session& s, bool was_persistent, TimePoint now);
  void persist_detached(Session& s, TimePoint now);
  void persist_will_published(Session& s);
  void restore_will(Session& s, RestoredWill&& restored);
  void persist_state(Session& s, const Delivery& d, StoredState state, std::uint16_t packet_id);
  void persist_removed(Session& s, const Delivery& d);

  // CONNECT and CONNACK (handle_connect.cpp)
  void handle_connect(Connection& c, Connect&& packet, TimePoint now);
  void complete_connect(Connection& c, AuthDecision&& decision, TimePoint now);
  void refuse_connect(Connection& c, ReasonCode reason, std::string_view why);
  Session& attach_session(Connection& c, const Connect& connect,
                          std::shared_ptr<const Identity> identity, bool& session_present,
                          TimePoint now);
  void destroy_session(Session& s);

  // PUBLISH and its acknowledgements (handle_publish.cpp)
  void handle_publish(Connection& c, Publish&& packet, TimePoint now);
  void handle_puback(Connection& c, const Puback& packet, TimePoint now);
  void handle_pubrec(Connection& c, const Pubrec& packet, TimePoint now);
  void handle_pubrel(Connection& c, const Pubrel& packet);
  void handle_pubcomp(Connection& c, const Pubcomp& packet, TimePoint now);

  // SUBSCRIBE and UNSUBSCRIBE (handle_subscribe.cpp)
  void handle_subscribe(Connection& c, Subscribe&& packet, TimePoint now);
  void handle_unsubscribe(Connection& c, const Unsubscribe& packet);
  void add_subscription(Session& s, const std::string& filter, const SubscriptionOptions& options);
  bool remove_subscription(Session& s, const std::string& filter);
  void unindex_subscription(Session& s, const std::string& filter);
  void send_retained(Session& s, const std::string& filter, const SubscriptionOptions& options,
                     TimePoint now);

  // DISCONNECT, PINGREQ, AUTH (handle_disconnect.cpp)
  void handle_disconnect(Connection& c, const Disconnect& packet, TimePoint now);

  // Routing and delivery (route.cpp)
  void route(const MessagePtr& message, TimePoint now);
  void deliver(Session& s, Delivery&& delivery, TimePoint now);
  void send_publish(Connection& c, Session& s, const Delivery& delivery, std::uint16_t packet_id,
                    bool dup, TimePoint now);
  void drain_queue(Session& s, TimePoint now);
  void resend_inflight(Session& s, TimePoint now);
  void publish_will(PendingWill&& will, TimePoint now);
  void store_retained(const MessagePtr& message, TimePoint now);

  // Timers and $SYS (broker.cpp, sys_topics.cpp)
  void publish_sys(TimePoint now);

  BrokerOptions m_options;
  Authorizer& m_authorizer;
  Persistence* m_persistence;
  TopicLimits m_topic_limits;
  TimePoint m_started;
  TimePoint m_next_sys;

  std::unordered_map<ConnectionId, Connection> m_connections;
  // Keyed by a view of each session's own client_id, which lives as long as its entry.
  std::unordered_map<std::string_view, std::unique_ptr<Session>> m_sessions;
  std::uint64_t m_next_session_serial = 1;

  TopicIndex<Session*, SubscriptionOptions> m_subscriptions;
  std::unordered_map<std::string, std::unique_ptr<SharedGroup>> m_shared_groups;  // "group/filter"
  TopicIndex<SharedGroup*, char> m_shared_index;
  std::unordered_map<std::string, MessagePtr> m_retained;

  std::vector<ConnectionId> m_ready;
  // Per connection, in arrival order; kept here rather than in every Connection, most never hold.
  std::unordered_map<ConnectionId, std::vector<HeldAck>> m_held_acks;
  std::vector<HeldCallback> m_held_callbacks;  // in the order they were made
  std::vector<Match> m_matches;                // scratch for route()
  std::uint64_t m_match_epoch = 0;
  BrokerStats m_stats;
};

}  // namespace cs::mqtt
