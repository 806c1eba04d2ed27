#include "devbroker/store/session_repository.h"

#include <unordered_map>

#include "devbroker/store/properties_blob.h"
#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

constexpr std::uint32_t k_never_expires = 0xFFFFFFFF;

std::string_view state_name(DeliveryState state) {
  switch (state) {
    case DeliveryState::queued:
      return "queued";
    case DeliveryState::awaiting_ack:
      return "awaiting_ack";
    case DeliveryState::awaiting_pubcomp:
      return "awaiting_pubcomp";
  }
  return "queued";
}

DeliveryState state_from_name(std::string_view name) {
  if (name == "awaiting_ack") return DeliveryState::awaiting_ack;
  if (name == "awaiting_pubcomp") return DeliveryState::awaiting_pubcomp;
  return DeliveryState::queued;
}

std::optional<std::uint16_t> packet_id_column(std::uint16_t packet_id) {
  if (packet_id == 0) return std::nullopt;
  return packet_id;
}

std::optional<Bytes> properties_column(const mqtt::Properties& properties) {
  Bytes blob = encode_properties(properties);
  if (blob.empty()) return std::nullopt;
  return blob;
}

Error no_session(const std::string& client_id) {
  return Error(ErrorCode::not_found, concat({"no stored session for client '", client_id, "'"}));
}

// The error of adding a row for `client_id`: a missing session reads better than a foreign key.
Result<void> added(const Result<std::int64_t>& done, const std::string& client_id) {
  if (done) return {};
  if (done.error().code == ErrorCode::not_found) return fail(no_session(client_id));
  return fail(done.error());
}

Result<void> ignored_count(const Result<std::int64_t>& done) {
  if (!done) return fail(done.error());
  return {};
}

SessionRecord read_session(const Statement& row) {
  return SessionRecord{row.column_text(0), static_cast<std::uint32_t>(row.column_int(1)),
                       row.column_optional_time(2), static_cast<mqtt::Version>(row.column_int(3))};
}

SubscriptionRecord read_subscription(const Statement& row) {
  SubscriptionRecord subscription;
  subscription.filter = row.column_text(1);
  subscription.options.max_qos = static_cast<mqtt::QoS>(row.column_int(2));
  subscription.options.no_local = row.column_int(3) != 0;
  subscription.options.retain_as_published = row.column_int(4) != 0;
  subscription.options.retain_handling = static_cast<std::uint8_t>(row.column_int(5));
  subscription.options.subscription_id = static_cast<std::uint32_t>(row.column_int(6));
  return subscription;
}

Result<QueuedMessageRecord> read_message(const Statement& row) {
  auto properties = decode_properties(row.column_blob(6));
  if (!properties) return fail(properties.error());
  QueuedMessageRecord message;
  message.seq = row.column_int(1);
  message.topic = row.column_text(2);
  message.payload = row.column_blob(3);
  message.qos = static_cast<mqtt::QoS>(row.column_int(4));
  message.retain = row.column_int(5) != 0;
  message.properties = std::move(*properties);
  message.expires_at = row.column_optional_time(7);
  message.state = state_from_name(row.column_text(8));
  message.packet_id = static_cast<std::uint16_t>(row.column_int(9));
  return message;
}

Result<WillRecord> read_will(const Statement& row) {
  auto properties = decode_properties(row.column_blob(5));
  if (!properties) return fail(properties.error());
  WillRecord will;
  will.topic = row.column_text(1);
  will.payload = row.column_blob(2);
  will.qos = static_cast<mqtt::QoS>(row.column_int(3));
  will.retain = row.column_int(4) != 0;
  will.properties = std::move(*properties);
  will.delay = static_cast<std::uint32_t>(row.column_int(6));
  will.due_at = row.column_optional_time(7);
  will.identity = row.column_text(8);
  return will;
}

// Loads one session (`client_id` given) or all of them: one query per table, each row attached
// to its session by client id.
class SessionLoader {
 public:
  SessionLoader(Database& db, std::optional<std::string> client_id,
                std::vector<std::string>* damaged)
      : m_db(db), m_client_id(std::move(client_id)), m_damaged(damaged) {}

  Result<std::vector<StoredSession>> load() && {
    for (auto step : {&SessionLoader::load_sessions, &SessionLoader::load_subscriptions,
                      &SessionLoader::load_queue, &SessionLoader::load_incoming_qos2,
                      &SessionLoader::load_wills}) {
      if (auto loaded = (this->*step)(); !loaded) return fail(loaded.error());
    }
    return std::move(m_sessions);
  }

 private:
  Result<Statement> select(std::string_view select_from, std::string_view order_by) {
    auto statement = m_db.prepare(
        concat({select_from, m_client_id ? " WHERE client_id = ?" : "", " ORDER BY ", order_by}));
    if (statement && m_client_id) statement->bind(1, *m_client_id);
    return statement;
  }

  // The session the row belongs to (its first column is the client id), or nullptr.
  StoredSession* owner(const Statement& row) {
    const auto it = m_index.find(row.column_text(0));
    return it == m_index.end() ? nullptr : &m_sessions[it->second];
  }

  Result<void> load_sessions() {
    return for_each_row(
        select("SELECT client_id, expiry_interval, disconnected_at, version FROM sessions",
               "client_id"),
        [&](const Statement& row) {
          m_index.emplace(row.column_text(0), m_sessions.size());
          m_sessions.push_back(StoredSession{read_session(row), {}, {}, {}, {}});
          return Result<void>{};
        });
  }

  Result<void> load_subscriptions() {
    return for_each_row(select("SELECT client_id, filter, max_qos, no_local, retain_as_published, "
                               "retain_handling, subscription_id FROM session_subscriptions",
                               "client_id, filter"),
                        [&](const Statement& row) {
                          if (auto* session = owner(row))
                            session->subscriptions.push_back(read_subscription(row));
                          return Result<void>{};
                        });
  }

  Result<void> load_queue() {
    return for_each_row(
        select("SELECT client_id, seq, topic, payload, qos, retain, properties, expires_at, "
               "state, packet_id FROM session_queue",
               "client_id, seq"),
        [&](const Statement& row) -> Result<void> {
          auto message = read_message(row);
          if (!message) return skip(row, message.error());
          if (auto* session = owner(row)) session->queue.push_back(std::move(*message));
          return {};
        });
  }

  // A message that cannot be read: the load fails, or it is left out and described.
  Result<void> skip(const Statement& row, const Error& error) {
    return skip_row(concat({"message ", std::to_string(row.column_int(1))}), row, error);
  }

  // A row (`what`) that cannot be read: the load fails, or it is left out and described.
  Result<void> skip_row(std::string_view what, const Statement& row, const Error& error) {
    if (m_damaged == nullptr) return fail(error);
    m_damaged->push_back(concat({what, " of session '", row.column_text(0), "': ", error.message}));
    return {};
  }

  Result<void> load_wills() {
    return for_each_row(select("SELECT client_id, topic, payload, qos, retain, properties, delay, "
                               "due_at, identity FROM session_wills",
                               "client_id"),
                        [&](const Statement& row) -> Result<void> {
                          auto will = read_will(row);
                          if (!will) return skip_row("the will", row, will.error());
                          if (auto* session = owner(row)) session->will = std::move(*will);
                          return {};
                        });
  }

  Result<void> load_incoming_qos2() {
    return for_each_row(
        select("SELECT client_id, packet_id FROM session_incoming_qos2", "client_id, packet_id"),
        [&](const Statement& row) {
          if (auto* session = owner(row)) {
            session->incoming_qos2.push_back(static_cast<std::uint16_t>(row.column_int(1)));
          }
          return Result<void>{};
        });
  }

  Database& m_db;
  std::optional<std::string> m_client_id;
  std::vector<std::string>* m_damaged;
  std::vector<StoredSession> m_sessions;
  std::unordered_map<std::string, std::size_t> m_index;
};

}  // namespace

Result<void> SessionRepository::save(const SessionRecord& session) {
  return ignored_count(m_db.execute(
      "INSERT INTO sessions (client_id, expiry_interval, disconnected_at, version) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET "
      "expiry_interval = excluded.expiry_interval, disconnected_at = excluded.disconnected_at, "
      "version = excluded.version",
      session.client_id, session.expiry_interval, session.disconnected_at,
      static_cast<int>(session.version)));
}

Result<void> SessionRepository::remove(const std::string& client_id) {
  return ignored_count(m_db.execute("DELETE FROM sessions WHERE client_id = ?", client_id));
}

Result<void> SessionRepository::put_subscription(const std::string& client_id,
                                                 const SubscriptionRecord& subscription) {
  const auto& options = subscription.options;
  return added(
      m_db.execute(
          "INSERT INTO session_subscriptions (client_id, filter, max_qos, no_local, "
          "retain_as_published, retain_handling, subscription_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (client_id, filter) DO UPDATE SET max_qos = excluded.max_qos, "
          "no_local = excluded.no_local, retain_as_published = excluded.retain_as_published, "
          "retain_handling = excluded.retain_handling, "
          "subscription_id = excluded.subscription_id",
          client_id, subscription.filter, static_cast<int>(options.max_qos), options.no_local,
          options.retain_as_published, options.retain_handling, options.subscription_id),
      client_id);
}

Result<void> SessionRepository::remove_subscription(const std::string& client_id,
                                                    const std::string& filter) {
  return ignored_count(m_db.execute(
      "DELETE FROM session_subscriptions WHERE client_id = ? AND filter = ?", client_id, filter));
}

Result<void> SessionRepository::enqueue(const std::string& client_id,
                                        const QueuedMessageRecord& message) {
  auto done = m_db.execute(
      "INSERT INTO session_queue (client_id, seq, topic, payload, qos, retain, properties, "
      "expires_at, state, packet_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      client_id, message.seq, message.topic, message.payload, static_cast<int>(message.qos),
      message.retain, properties_column(message.properties), message.expires_at,
      state_name(message.state), packet_id_column(message.packet_id));
  if (!done && done.error().code == ErrorCode::conflict) {
    return fail(ErrorCode::conflict, concat({"message ", std::to_string(message.seq),
                                             " of client '", client_id, "' is already stored"}));
  }
  return added(done, client_id);
}

Result<void> SessionRepository::set_delivery_state(const std::string& client_id, std::int64_t seq,
                                                   DeliveryState state, std::uint16_t packet_id) {
  return expect_changed(
      m_db.execute("UPDATE session_queue SET state = ?, packet_id = ? WHERE client_id = ? AND "
                   "seq = ?",
                   state_name(state), packet_id_column(packet_id), client_id, seq),
      Error(ErrorCode::not_found,
            concat({"no stored message ", std::to_string(seq), " for client '", client_id, "'"})));
}

Result<void> SessionRepository::remove_message(const std::string& client_id, std::int64_t seq) {
  return ignored_count(
      m_db.execute("DELETE FROM session_queue WHERE client_id = ? AND seq = ?", client_id, seq));
}

Result<void> SessionRepository::clear_queue(const std::string& client_id) {
  return ignored_count(m_db.execute("DELETE FROM session_queue WHERE client_id = ?", client_id));
}

Result<void> SessionRepository::add_incoming_qos2(const std::string& client_id,
                                                  std::uint16_t packet_id) {
  return added(m_db.execute("INSERT INTO session_incoming_qos2 (client_id, packet_id) "
                            "VALUES (?, ?) ON CONFLICT DO NOTHING",
                            client_id, packet_id),
               client_id);
}

Result<void> SessionRepository::remove_incoming_qos2(const std::string& client_id,
                                                     std::uint16_t packet_id) {
  return ignored_count(
      m_db.execute("DELETE FROM session_incoming_qos2 WHERE client_id = ? AND packet_id = ?",
                   client_id, packet_id));
}

Result<void> SessionRepository::put_will(const std::string& client_id, const WillRecord& will) {
  return added(
      m_db.execute(
          "INSERT INTO session_wills (client_id, topic, payload, qos, retain, properties, delay, "
          "due_at, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE "
          "SET topic = excluded.topic, payload = excluded.payload, qos = excluded.qos, "
          "retain = excluded.retain, properties = excluded.properties, delay = excluded.delay, "
          "due_at = excluded.due_at, identity = excluded.identity",
          client_id, will.topic, will.payload, static_cast<int>(will.qos), will.retain,
          properties_column(will.properties), will.delay, will.due_at, will.identity),
      client_id);
}

Result<void> SessionRepository::remove_will(const std::string& client_id) {
  return ignored_count(m_db.execute("DELETE FROM session_wills WHERE client_id = ?", client_id));
}

Result<std::optional<StoredSession>> SessionRepository::load(const std::string& client_id) const {
  auto sessions = SessionLoader(m_db, client_id, nullptr).load();
  if (!sessions) return fail(sessions.error());
  if (sessions->empty()) return std::nullopt;
  return std::move(sessions->front());
}

Result<std::vector<StoredSession>> SessionRepository::load_all(
    std::vector<std::string>* damaged) const {
  return SessionLoader(m_db, std::nullopt, damaged).load();
}

Result<std::int64_t> SessionRepository::last_seq() const {
  auto statement = m_db.prepare("SELECT coalesce(max(seq), 0) FROM session_queue");
  if (!statement) return fail(statement.error());
  auto row = statement->step();
  if (!row) return fail(row.error());
  return *row ? statement->column_int(0) : 0;
}

Result<std::int64_t> SessionRepository::delete_expired(SysSeconds now) {
  return m_db.execute(
      "DELETE FROM sessions WHERE disconnected_at IS NOT NULL AND expiry_interval < ? AND "
      "disconnected_at + expiry_interval <= ? AND "
      "NOT EXISTS (SELECT 1 FROM session_wills WHERE session_wills.client_id = sessions.client_id)",
      k_never_expires, now);
}

Result<std::int64_t> SessionRepository::delete_expired_messages(SysSeconds now) {
  return m_db.execute("DELETE FROM session_queue WHERE state = 'queued' AND expires_at <= ?", now);
}

}  // namespace cs::store
