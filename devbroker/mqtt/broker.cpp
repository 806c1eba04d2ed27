#include "devbroker/mqtt/broker.h"

#include <algorithm>
#include <string>

#include "common/log.h"
#include "devbroker/mqtt/broker_internal.h"
#include "devbroker/mqtt/codec.h"

namespace cs::mqtt {

Broker::Broker(BrokerOptions options, Authorizer& authorizer, TimePoint now,
               Persistence* persistence)
    : m_options(std::move(options)),
      m_authorizer(authorizer),
      m_persistence(persistence),
      m_topic_limits{m_options.limits.max_topic_length, m_options.limits.max_topic_levels},
      m_started(now),
      m_next_sys(now) {}

Broker::~Broker() = default;

Connection* Broker::find_connection(ConnectionId id) {
  auto it = m_connections.find(id);
  return it == m_connections.end() ? nullptr : &it->second;
}

void Broker::on_open(ConnectionId id, std::string peer, TimePoint now,
                     std::optional<std::string> certificate_name) {
  // Kept in the map's node itself: one allocation per connection, at a stable address.
  Connection& ref = m_connections.try_emplace(id).first->second;
  ref.id = id;
  ref.peer = std::move(peer);
  if (certificate_name) {
    ref.certificate_name = std::make_unique<const std::string>(std::move(*certificate_name));
  }
  ref.last_received = now;
  if (m_connections.size() > m_options.limits.max_connections) {
    log::warn("refusing connection from " + ref.peer + ": too many connections");
    request_close(ref, ReasonCode::server_busy);
  }
}

void Broker::on_data(ConnectionId id, ByteView data, TimePoint now) {
  Connection* c = find_connection(id);
  if (c == nullptr || c->state == ConnectionState::closing) return;
  m_stats.bytes_received += data.size();
  c->last_received = now;
  if (!c->input.empty()) {
    c->input.insert(c->input.end(), data.begin(), data.end());
    return process_input(*c, now);
  }
  // Whole packets are decoded where they arrived; only an unfinished one is copied and kept.
  const std::size_t used = consume(*c, data, now);
  if (c->state == ConnectionState::closing) return;
  c->input.assign(data.begin() + static_cast<std::ptrdiff_t>(used), data.end());
  check_held_input(*c, now);
}

void Broker::process_input(Connection& c, TimePoint now) {
  const std::size_t used = consume(c, c.input, now);
  if (c.state == ConnectionState::closing || used == c.input.size()) {
    Bytes().swap(c.input);  // an idle connection keeps no input buffer
    return;
  }
  c.input.erase(c.input.begin(), c.input.begin() + static_cast<std::ptrdiff_t>(used));
  check_held_input(c, now);
}

std::size_t Broker::consume(Connection& c, ByteView bytes, TimePoint now) {
  std::size_t offset = 0;
  while (c.state == ConnectionState::awaiting_connect || c.state == ConnectionState::connected) {
    const ByteView rest = bytes.subspan(offset);
    auto header = read_fixed_header(rest, m_options.limits.max_packet_size);
    if (!header) {
      fail(c, header.error().reason, header.error().message, now);
      break;
    }
    if (!header->has_value() || (*header)->total_size() > rest.size()) break;
    const FixedHeader& h = **header;
    const ByteView body = rest.subspan(h.header_size, h.remaining_length);
    offset += h.total_size();

    if (c.state == ConnectionState::awaiting_connect && h.type != PacketType::connect) {
      // [MQTT-3.1.0-1] the first packet from a client must be CONNECT.
      fail(c, ReasonCode::protocol_error, "the first packet was not CONNECT", now);
      break;
    }
    auto packet = decode(h, body, c.version);
    if (!packet) {
      if (h.type == PacketType::connect) c.version = peek_connect_version(body);
      fail(c, packet.error().reason, packet.error().message, now);
      break;
    }
    dispatch(c, std::move(*packet), now);
  }
  return offset;
}

void Broker::check_held_input(Connection& c, TimePoint now) {
  // While authentication is pending the client may pipeline packets; bound what we hold.
  if (c.input.size() > static_cast<std::size_t>(m_options.limits.max_packet_size) + 5) {
    fail(c, ReasonCode::packet_too_large, "too much input before the connection was accepted", now);
  }
}

void Broker::dispatch(Connection& c, Packet&& packet, TimePoint now) {
  switch (static_cast<PacketType>(packet.index() + 1)) {
    case PacketType::connect:
      if (c.state != ConnectionState::awaiting_connect) {
        // [MQTT-3.1.0-2] a second CONNECT is a protocol violation.
        return fail(c, ReasonCode::protocol_error, "a second CONNECT on one connection", now);
      }
      return handle_connect(c, std::get<Connect>(std::move(packet)), now);
    case PacketType::publish:
      return handle_publish(c, std::get<Publish>(std::move(packet)), now);
    case PacketType::puback:
      return handle_puback(c, std::get<Puback>(packet), now);
    case PacketType::pubrec:
      return handle_pubrec(c, std::get<Pubrec>(packet), now);
    case PacketType::pubrel:
      return handle_pubrel(c, std::get<Pubrel>(packet));
    case PacketType::pubcomp:
      return handle_pubcomp(c, std::get<Pubcomp>(packet), now);
    case PacketType::subscribe:
      return handle_subscribe(c, std::get<Subscribe>(std::move(packet)), now);
    case PacketType::unsubscribe:
      return handle_unsubscribe(c, std::get<Unsubscribe>(packet));
    case PacketType::pingreq:
      return send(c, Pingresp{});
    case PacketType::disconnect:
      return handle_disconnect(c, std::get<Disconnect>(packet), now);
    case PacketType::auth:
      // Enhanced authentication is not offered, so no AUTH exchange can be in progress.
      return fail(c, ReasonCode::protocol_error, "AUTH without an authentication method", now);
    case PacketType::connack:
    case PacketType::suback:
    case PacketType::unsuback:
    case PacketType::pingresp:
      return fail(c, ReasonCode::protocol_error, "a server-to-client packet sent by a client", now);
  }
}

// The one place where broker-side errors become what the peer sees: a CONNACK or DISCONNECT
// with a reason code for 5.0, a CONNACK return code where 3.1.1 has one, else a plain close.
void Broker::fail(Connection& c, ReasonCode reason, std::string_view why, TimePoint now) {
  if (c.state == ConnectionState::closing) return;
  if (log::enabled(log::Level::info)) {
    log::info("closing " + describe(c) + ": " + std::string(why));
  }
  if (c.state == ConnectionState::awaiting_connect || c.state == ConnectionState::authenticating) {
    refuse_connect(c, reason, why);
    return;
  }
  if (c.version == Version::v5) {
    Disconnect d{reason, {}};
    if (c.request_problem_information) d.properties.reason_string = std::string(why);
    send(c, d);
  }
  request_close(c, reason);
  end_connection(c, WillFate::publish, now);
}

void Broker::send(Connection& c, const Packet& packet) {
  if (c.state == ConnectionState::closing) return;
  if (c.client_maximum_packet_size != 0 &&
      encoded_size(packet, c.version) > c.client_maximum_packet_size) {
    // [MQTT-3.1.2-25] never exceed the client's maximum packet size: drop what may be dropped.
    Packet slim = packet;
    std::visit([](auto& p) { strip_optional_properties(p); }, slim);
    if (encoded_size(slim, c.version) > c.client_maximum_packet_size) return;
    encode(slim, c.version, c.output);
  } else {
    encode(packet, c.version, c.output);
  }
  mark_ready(c);
}

void Broker::mark_ready(Connection& c) {
  // m_ready is drained by the transport after every call; a duplicate entry is harmless.
  if (m_ready.empty() || m_ready.back() != c.id) m_ready.push_back(c.id);
}

void Broker::request_close(Connection& c, ReasonCode why) {
  if (!c.close_requested) c.close_reason = why;
  c.close_requested = true;
  mark_ready(c);
}

void Broker::end_connection(Connection& c, WillFate fate, TimePoint now) {
  const bool was_connected = c.state == ConnectionState::connected;
  c.state = ConnectionState::closing;
  c.pending_connect.reset();
  Session* s = c.session;
  if (s == nullptr) return;
  c.session = nullptr;
  s->connection = nullptr;
  if (was_connected) --m_stats.clients_connected;

  const bool session_ends = s->expiry_interval == 0;
  // A will kept for the next start stays unarmed; only a persistent session can keep one.
  if (s->will && (fate == WillFate::discard || (fate == WillFate::keep && session_ends))) {
    s->will.reset();
  }
  if (s->will && fate == WillFate::publish) {
    s->will->due = now + std::chrono::seconds(s->will->delay);
    if (session_ends || s->will->delay == 0) {
      PendingWill will = std::move(*s->will);
      s->will.reset();
      publish_will(std::move(will), now);
    }
  }
  if (session_ends) {
    destroy_session(*s);
    return;
  }
  if (s->expiry_interval != k_session_never_expires) {
    s->expires_at = now + std::chrono::seconds(s->expiry_interval);
  }
  persist_detached(*s, now);
}

void Broker::on_closed(ConnectionId id, TimePoint now) {
  Connection* c = find_connection(id);
  if (c == nullptr) return;
  if (c->state != ConnectionState::closing) {
    if (log::enabled(log::Level::info)) log::info("connection lost: " + describe(*c));
    end_connection(*c, WillFate::publish, now);
  }
  if (c->acks_held) m_held_acks.erase(id);
  m_connections.erase(id);
}

void Broker::on_tick(TimePoint now) {
  std::vector<Connection*> expired;
  for (auto& [id, entry] : m_connections) {
    Connection* c = &entry;
    if (c->state == ConnectionState::closing) continue;
    if (c->state != ConnectionState::connected) {
      if (now - c->last_received > k_connect_timeout) expired.push_back(c);
      continue;
    }
    // [MQTT-3.1.2-24] close after one and a half keep-alive periods of silence.
    if (c->keep_alive != 0 &&
        now - c->last_received > std::chrono::milliseconds(c->keep_alive) * 1500) {
      expired.push_back(c);
    }
  }
  for (Connection* c : expired) {
    if (c->state == ConnectionState::connected) {
      fail(*c, ReasonCode::keep_alive_timeout, "keep alive timeout", now);
    } else {
      log::info("closing " + describe(*c) + ": no CONNECT in time");
      request_close(*c, ReasonCode::maximum_connect_time);
      end_connection(*c, WillFate::discard, now);
    }
  }

  std::vector<Session*> ended;
  for (auto& [id, s] : m_sessions) {
    if (s->connection != nullptr) continue;
    if (s->will && s->will->due && *s->will->due <= now) {
      PendingWill will = std::move(*s->will);
      s->will.reset();
      persist_will_published(*s);
      publish_will(std::move(will), now);
    }
    if (s->expires_at && *s->expires_at <= now) ended.push_back(s.get());
  }
  for (Session* s : ended) {
    if (s->will) {
      PendingWill will = std::move(*s->will);
      s->will.reset();
      publish_will(std::move(will), now);
    }
    destroy_session(*s);
  }

  if (now >= m_next_sys) {
    publish_sys(now);
    m_next_sys = now + m_options.sys_interval;
  }
}

void Broker::disconnect_if(const std::function<bool(const Identity&)>& match, ReasonCode reason,
                           TimePoint now) {
  std::vector<Connection*> victims;
  for (auto& [id, entry] : m_connections) {
    Connection* c = &entry;
    if (c->state == ConnectionState::connected && c->session != nullptr && c->session->identity &&
        match(*c->session->identity)) {
      victims.push_back(c);
    }
  }
  for (Connection* c : victims) fail(*c, reason, "disconnected by the server", now);
}

void Broker::shutdown(TimePoint now) {
  std::vector<Connection*> all;
  for (auto& [id, c] : m_connections) all.push_back(&c);
  for (Connection* c : all) {
    if (c->state == ConnectionState::connected) {
      if (c->version == Version::v5) send(*c, Disconnect{ReasonCode::server_shutting_down, {}});
      request_close(*c, ReasonCode::server_shutting_down);
      // A server shutting down is not the client's failure: keep the will for the next start.
      end_connection(*c, WillFate::keep, now);
    } else {
      request_close(*c, ReasonCode::server_shutting_down);
      end_connection(*c, WillFate::discard, now);
    }
  }
}

std::vector<ConnectionId> Broker::take_ready() {
  std::vector<ConnectionId> out;
  out.swap(m_ready);
  return out;
}

void Broker::take_ready(std::vector<ConnectionId>& ready) {
  ready.clear();
  ready.swap(m_ready);
}

Bytes Broker::take_output(ConnectionId id) {
  Connection* c = find_connection(id);
  if (c == nullptr) return {};
  m_stats.bytes_sent += c->output.size();
  Bytes out;
  out.swap(c->output);
  return out;
}

bool Broker::close_requested(ConnectionId id) const {
  auto it = m_connections.find(id);
  return it == m_connections.end() || it->second.close_requested;
}

ReasonCode Broker::close_reason(ConnectionId id) const {
  auto it = m_connections.find(id);
  return it == m_connections.end() ? ReasonCode::success : it->second.close_reason;
}

BrokerStats Broker::stats() const {
  BrokerStats s = m_stats;
  s.sessions = m_sessions.size();
  s.subscriptions = m_subscriptions.size();
  for (const auto& [key, group] : m_shared_groups) s.subscriptions += group->members.size();
  s.retained = m_retained.size();
  return s;
}

std::chrono::milliseconds Broker::tick_interval() {
  return k_tick_interval;
}

}  // namespace cs::mqtt
