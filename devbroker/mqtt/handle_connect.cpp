// CONNECT: validation, authentication, session take-over and resumption, CONNACK.

#include <algorithm>

#include "common/crypto/random.h"
#include "common/log.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/broker_internal.h"
#include "devbroker/mqtt/codec.h"

namespace cs::mqtt {
std::string describe(const Connection& c) {
  std::string out;
  // The client id lives with the session, or with the CONNECT while it is being authenticated.
  const std::string* id = c.session != nullptr           ? &c.session->client_id
                          : c.pending_connect != nullptr ? &c.pending_connect->client_id
                                                         : nullptr;
  if (id != nullptr && !id->empty()) {
    out.append("client '").append(*id).append("' from ");
  }
  out.append(c.peer.empty() ? std::string("unknown peer") : c.peer);
  return out;
}

Version peek_connect_version(ByteView body) {
  // Protocol name "MQTT" (00 04 'M' 'Q' 'T' 'T') then the level byte.
  if (body.size() >= 7 && body[0] == 0 && body[1] == 4 && body[6] == 5) return Version::v5;
  return Version::v311;
}

std::optional<ConnectReturnCode> v311_return_code(ReasonCode reason) {
  switch (reason) {
    case ReasonCode::unsupported_protocol_version:
      return ConnectReturnCode::unacceptable_protocol_version;
    case ReasonCode::client_identifier_not_valid:
      return ConnectReturnCode::identifier_rejected;
    case ReasonCode::server_unavailable:
    case ReasonCode::server_busy:
    case ReasonCode::server_shutting_down:
      return ConnectReturnCode::server_unavailable;
    case ReasonCode::bad_username_or_password:
      return ConnectReturnCode::bad_username_or_password;
    case ReasonCode::not_authorized:
    case ReasonCode::banned:
    case ReasonCode::bad_authentication_method:
      return ConnectReturnCode::not_authorized;
    default:
      return std::nullopt;  // malformed or protocol errors: close without CONNACK
  }
}

void Broker::handle_connect(Connection& c, Connect&& connect, TimePoint now) {
  c.version = connect.version;
  const auto& props = connect.properties;
  if (connect.version == Version::v5) {
    c.client_receive_maximum = props.receive_maximum.value_or(65535);
    c.client_maximum_packet_size = props.maximum_packet_size.value_or(0);
    c.client_topic_alias_maximum = props.topic_alias_maximum.value_or(0);
    c.request_problem_information = props.request_problem_information.value_or(1) != 0;
    if (props.authentication_method) {
      return refuse_connect(c, ReasonCode::bad_authentication_method,
                            "enhanced authentication is not supported");
    }
  }

  if (connect.client_id.size() > m_options.limits.max_client_id_length) {
    return refuse_connect(c, ReasonCode::client_identifier_not_valid,
                          "the client identifier is too long");
  }
  if (connect.client_id.empty()) {
    if (connect.version == Version::v311 && !connect.clean_start) {
      // [MQTT-3.1.3-8] an empty client id requires a clean session in 3.1.1.
      return refuse_connect(c, ReasonCode::client_identifier_not_valid,
                            "an empty client identifier needs clean session");
    }
    connect.client_id = "auto-" + crypto::random_string(crypto::k_lowercase_alnum, 20);
    if (connect.version == Version::v5) c.pending_assigned_id = true;
  }
  if (connect.will) {
    if (auto why = check_topic_name(connect.will->topic, m_topic_limits)) {
      return refuse_connect(c, ReasonCode::topic_name_invalid, "will topic: " + *why);
    }
    if (connect.will->properties.payload_format_indicator.value_or(0) == 1 &&
        !valid_utf8_string(to_string(connect.will->payload))) {
      return refuse_connect(c, ReasonCode::payload_format_invalid,
                            "the will payload is not UTF-8 as its format indicator says");
    }
  }

  c.state = ConnectionState::authenticating;
  ConnectRequest request{
      c.id,
      connect.version,
      connect.client_id,
      connect.username,
      connect.password,
      props.authentication_method,
      c.peer,
      c.certificate_name ? std::optional<std::string>(*c.certificate_name) : std::nullopt};
  c.pending_connect = std::make_unique<Connect>(std::move(connect));
  if (auto decision = m_authorizer.authenticate(request)) {
    complete_connect(c, std::move(*decision), now);
  }
}

void Broker::on_auth_result(ConnectionId id, AuthDecision decision, TimePoint now) {
  Connection* c = find_connection(id);
  if (c == nullptr || c->state != ConnectionState::authenticating) return;
  complete_connect(*c, std::move(decision), now);
  if (c->state == ConnectionState::connected) process_input(*c, now);
}

void Broker::complete_connect(Connection& c, AuthDecision&& decision, TimePoint now) {
  if (!decision.accepted) {
    const ReasonCode reason = decision.reason < ReasonCode::unspecified_error
                                  ? ReasonCode::not_authorized
                                  : decision.reason;
    return refuse_connect(c, reason, decision.message);
  }
  Connect connect = std::move(*c.pending_connect);
  c.pending_connect.reset();

  // [MQTT-3.1.4-3] a second connection with the same client id takes the session over.
  if (auto it = m_sessions.find(connect.client_id);
      it != m_sessions.end() && it->second->connection != nullptr) {
    Connection& old = *it->second->connection;
    log::info("session taken over: " + describe(old));
    if (old.version == Version::v5) send(old, Disconnect{ReasonCode::session_taken_over, {}});
    request_close(old, ReasonCode::session_taken_over);
    end_connection(old, WillFate::publish, now);
  }

  bool session_present = false;
  Session& s = attach_session(c, connect, std::move(decision.identity), session_present, now);

  std::uint16_t keep_alive = connect.keep_alive;
  const std::uint16_t max_keep_alive = m_options.limits.max_keep_alive;
  bool keep_alive_overridden = false;
  if (c.version == Version::v5 && (keep_alive == 0 || keep_alive > max_keep_alive)) {
    keep_alive = max_keep_alive;
    keep_alive_overridden = true;
  }
  c.keep_alive = keep_alive;
  c.state = ConnectionState::connected;
  ++m_stats.clients_connected;

  Connack ack{session_present, 0, {}};
  if (c.version == Version::v5) {
    auto& p = ack.properties;
    if (c.pending_assigned_id) p.assigned_client_identifier = s.client_id;
    if (keep_alive_overridden) p.server_keep_alive = keep_alive;
    p.receive_maximum = m_options.limits.receive_maximum;
    p.maximum_packet_size = m_options.limits.max_packet_size;
    p.topic_alias_maximum = m_options.limits.topic_alias_maximum;
    const std::uint32_t asked = connect.properties.session_expiry_interval.value_or(0);
    if (asked != s.expiry_interval) p.session_expiry_interval = s.expiry_interval;
  }
  send(c, ack);
  if (log::enabled(log::Level::info)) {
    log::info("connected: " + describe(c) +
              (c.version == Version::v5 ? " (MQTT 5.0)" : " (MQTT 3.1.1)") +
              (session_present ? ", session resumed" : ""));
  }
  resend_inflight(s, now);
  drain_queue(s, now);
}

void Broker::refuse_connect(Connection& c, ReasonCode reason, std::string_view why) {
  if (log::enabled(log::Level::info)) {
    log::info("refused " + describe(c) + ": " + std::string(why));
  }
  if (c.version == Version::v5) {
    Connack ack{false, static_cast<std::uint8_t>(reason), {}};
    if (c.request_problem_information) ack.properties.reason_string = std::string(why);
    send(c, ack);
  } else if (auto code = v311_return_code(reason)) {
    send(c, Connack{false, static_cast<std::uint8_t>(*code), {}});
  }
  request_close(c, reason);
  c.state = ConnectionState::closing;
  c.pending_connect.reset();
}

Session& Broker::attach_session(Connection& c, const Connect& connect,
                                std::shared_ptr<const Identity> identity, bool& session_present,
                                TimePoint now) {
  auto it = m_sessions.find(connect.client_id);
  if (it != m_sessions.end() && connect.clean_start) {
    Session& old = *it->second;
    if (old.will) {
      // The old session ends here, so its delayed will is due now ([MQTT-3.1.3-9] applies
      // only when the session continues).
      PendingWill will = std::move(*old.will);
      old.will.reset();
      publish_will(std::move(will), now);
    }
    destroy_session(old);
    it = m_sessions.end();
  }
  const bool was_persistent = it != m_sessions.end() && it->second->persistent;
  if (it == m_sessions.end()) {
    auto s = std::make_unique<Session>();
    s->client_id = connect.client_id;
    s->serial = m_next_session_serial++;
    const std::string_view key = s->client_id;
    it = m_sessions.emplace(key, std::move(s)).first;
  } else {
    session_present = true;
  }
  Session& s = *it->second;
  s.connection = &c;
  s.version = c.version;
  s.identity = std::move(identity);
  s.expires_at.reset();
  s.will.reset();  // a new connection to this session cancels a delayed will

  const std::uint32_t max_expiry = m_options.limits.max_session_expiry;
  if (c.version == Version::v5) {
    s.expiry_interval =
        std::min(connect.properties.session_expiry_interval.value_or(0), max_expiry);
  } else {
    s.expiry_interval = connect.clean_start ? 0 : max_expiry;
  }
  if (connect.will) {
    s.will = std::make_unique<PendingWill>(
        PendingWill{*connect.will,
                    s.identity,
                    connect.client_id,
                    connect.will->properties.will_delay_interval.value_or(0),
                    std::nullopt,
                    {}});
    // Kept with a persistent session so the will can be checked after a restart.
    if (m_persistence != nullptr && s.expiry_interval > 0 && s.identity) {
      s.will->saved_identity = m_authorizer.save_identity(*s.identity);
    }
  }
  persist_attached(s, was_persistent, now);
  c.session = &s;
  return s;
}

void Broker::destroy_session(Session& s) {
  for (const auto& [filter, options] : s.subscriptions) unindex_subscription(s, filter);
  if (s.connection != nullptr) s.connection->session = nullptr;
  if (s.persistent) m_persistence->session_removed(s.client_id);
  m_sessions.erase(s.client_id);
}

}  // namespace cs::mqtt
