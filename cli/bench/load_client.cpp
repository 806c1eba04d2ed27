#include "cli/bench/load_client.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>

#include "cli/bench/payload.h"
#include "devbroker/mqtt/codec.h"

namespace cs::bench {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t k_read_chunk = 64 * 1024;
constexpr std::size_t k_idle_read_chunk = 512;  // idle clients only see CONNACK and PINGRESP
constexpr std::uint32_t k_max_packet = 256 * 1024 * 1024;
constexpr auto k_keep_alive = std::chrono::seconds(60);
constexpr std::uint16_t k_subscribe_id = 1;

std::string hex_code(std::uint8_t code) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", code);
  return buffer;
}

const char* role_prefix(Role role) {
  switch (role) {
    case Role::publisher:
      return "pub";
    case Role::subscriber:
      return "sub";
    case Role::idle:
      return "idle";
  }
  return "client";
}

}  // namespace

// ---- LoadClient: connection ---------------------------------------------------------------------

LoadClient::LoadClient(asio::any_io_executor executor, RunContext& run, Role role,
                       std::size_t index)
    : m_executor(std::move(executor)),
      m_run(run),
      m_role(role),
      m_index(index),
      m_version(run.workload().version),
      m_stream(make_client_stream(m_executor, run.workload().broker, run.tls())),
      m_timer(m_executor),
      m_ping_timer(m_executor),
      m_keep_alive(k_keep_alive),
      m_read_buffer(role == Role::idle ? k_idle_read_chunk : k_read_chunk) {
  if (role == Role::publisher) {
    const Workload& w = run.workload();
    m_publish.qos = w.qos;
    m_publish.topic = topic_for(w.topic_pattern, index);
    m_publish.payload.assign(w.payload_size, static_cast<std::uint8_t>('x'));
    m_rate = w.rate / static_cast<double>(w.publishers);
    m_window = w.window;
    if (w.qos != mqtt::QoS::at_most_once) {
      m_window = std::min<std::size_t>(m_window, 65535);
      m_ids_in_use.assign(65536, false);
    }
  }
}

LoadClient::~LoadClient() = default;

std::string LoadClient::name() const {
  std::string out = "cs-bench-";
  out.append(std::to_string(::getpid())).append("-").append(role_prefix(m_role));
  out.append(std::to_string(m_index));
  return out;
}

void LoadClient::start() {
  asio::post(m_executor, [self = shared_from_this()] {
    if (self->m_state != State::idle) return;
    self->m_state = State::connecting;
    self->m_stream->async_connect(self->m_run.endpoint(),
                                  [self](boost::system::error_code ec) { self->on_connected(ec); });
  });
}

void LoadClient::on_connected(boost::system::error_code ec) {
  if (m_state != State::connecting) return;
  if (ec) {
    std::string message = "cannot connect to ";
    message.append(m_run.workload().url).append(": ").append(ec.message());
    const bool tls = ec.category() == asio::error::get_ssl_category();
    return fail(Error{ErrorCode::unreachable, std::move(message),
                      tls ? "pass --cafile with the CA that signed the broker's certificate "
                            "(cloudsignal dev ca prints the dev CA's path)"
                          : "is the broker running? (cloudsignal dev starts one)"});
  }
  m_state = State::awaiting_connack;

  const Workload& w = m_run.workload();
  mqtt::Connect connect;
  connect.version = m_version;
  connect.clean_start = true;
  connect.keep_alive = static_cast<std::uint16_t>(m_keep_alive.count());
  connect.client_id = name();
  connect.username = w.username;
  if (w.password) connect.password = Bytes(w.password->begin(), w.password->end());
  queue(connect);
  flush();
  read();
}

void LoadClient::read() {
  m_stream->async_read_some(m_read_buffer.data(), m_read_buffer.size(),
                            [self = shared_from_this()](boost::system::error_code ec,
                                                        std::size_t n) { self->on_read(ec, n); });
}

void LoadClient::on_read(boost::system::error_code ec, std::size_t size) {
  if (m_state == State::closed) return;
  if (ec) return on_lost(ec);
  const auto now = Clock::now();
  ByteView data(m_read_buffer.data(), size);
  const bool buffered = !m_input.empty();
  if (buffered) {
    m_input.insert(m_input.end(), data.begin(), data.end());
    data = m_input;
  }
  std::size_t used = 0;
  while (m_state != State::closed) {
    const ByteView rest = data.subspan(used);
    auto header = mqtt::read_fixed_header(rest, k_max_packet);
    if (!header) {
      return fail(Error{ErrorCode::unavailable,
                        "the broker sent a malformed packet: " + header.error().message});
    }
    if (!header->has_value() || (*header)->total_size() > rest.size()) break;
    const mqtt::FixedHeader& h = **header;
    auto packet = mqtt::decode(h, rest.subspan(h.header_size, h.remaining_length), m_version);
    used += h.total_size();
    if (!packet) {
      return fail(Error{ErrorCode::unavailable,
                        "the broker sent a malformed packet: " + packet.error().message});
    }
    handle(std::move(*packet), now);
  }
  if (m_state == State::closed) return;
  if (buffered) {
    m_input.erase(m_input.begin(), m_input.begin() + static_cast<std::ptrdiff_t>(used));
  } else {
    m_input.assign(data.begin() + static_cast<std::ptrdiff_t>(used), data.end());
  }
  flush();
  if (m_role == Role::publisher) pump();
  read();
}

void LoadClient::handle(mqtt::Packet&& packet, Clock::time_point now) {
  if (auto* p = std::get_if<mqtt::Publish>(&packet)) return on_publish(*p, now);
  if (auto* p = std::get_if<mqtt::Puback>(&packet)) {
    return on_acknowledged(p->packet_id, p->reason_code, "PUBACK");
  }
  if (auto* p = std::get_if<mqtt::Pubrec>(&packet)) {
    if (p->reason_code >= mqtt::ReasonCode::unspecified_error) {
      return on_acknowledged(p->packet_id, p->reason_code, "PUBREC");
    }
    return queue(mqtt::Pubrel{p->packet_id, mqtt::ReasonCode::success, {}});
  }
  if (auto* p = std::get_if<mqtt::Pubcomp>(&packet)) {
    return on_acknowledged(p->packet_id, p->reason_code, "PUBCOMP");
  }
  if (auto* p = std::get_if<mqtt::Pubrel>(&packet)) {
    return queue(mqtt::Pubcomp{p->packet_id, mqtt::ReasonCode::success, {}});
  }
  if (auto* p = std::get_if<mqtt::Connack>(&packet)) return on_connack(*p);
  if (auto* p = std::get_if<mqtt::Suback>(&packet)) return on_suback(*p);
  if (std::holds_alternative<mqtt::Pingresp>(packet)) return;
  if (auto* p = std::get_if<mqtt::Disconnect>(&packet)) {
    std::string message = "the broker disconnected ";
    message.append(name()).append(" (reason ");
    message.append(hex_code(static_cast<std::uint8_t>(p->reason_code))).append(")");
    if (p->properties.reason_string) message.append(": ").append(*p->properties.reason_string);
    return fail(Error{ErrorCode::unavailable, std::move(message)});
  }
  std::string message = "the broker sent an unexpected ";
  message.append(mqtt::packet_type_name(static_cast<mqtt::PacketType>(packet.index() + 1)));
  fail(Error{ErrorCode::unavailable, std::move(message)});
}

void LoadClient::on_connack(const mqtt::Connack& ack) {
  if (m_state != State::awaiting_connack) {
    return fail(Error{ErrorCode::unavailable, "the broker sent a second CONNACK"});
  }
  if (ack.reason_code != 0) {
    std::string message = "the broker refused the connection of ";
    message.append(name()).append(" (");
    if (m_version == mqtt::Version::v5) {
      message.append("reason ").append(hex_code(ack.reason_code));
    } else {
      message.append("return code ").append(std::to_string(ack.reason_code));
    }
    message.append(")");
    if (ack.properties.reason_string) message.append(": ").append(*ack.properties.reason_string);
    return fail(Error{ErrorCode::unauthorized, std::move(message),
                      "pass -u and -P, or start cloudsignal dev with --allow-anonymous"});
  }
  if (ack.properties.receive_maximum) {
    m_window = std::min<std::size_t>(m_window, *ack.properties.receive_maximum);
  }
  if (ack.properties.server_keep_alive) {
    m_keep_alive = std::chrono::seconds(*ack.properties.server_keep_alive);
  }
  m_run.note_connected();
  m_run.start_next();
  schedule_ping();
  if (m_role != Role::subscriber) {
    m_state = State::ready;
    return;
  }
  m_state = State::subscribing;
  const Workload& w = m_run.workload();
  mqtt::Subscribe subscribe;
  subscribe.packet_id = k_subscribe_id;
  subscribe.subscriptions.push_back({subscription_filter(w.topic_pattern), w.qos, false, false, 0});
  queue(subscribe);
}

void LoadClient::on_suback(const mqtt::Suback& ack) {
  if (m_state != State::subscribing || ack.packet_id != k_subscribe_id) {
    return fail(Error{ErrorCode::unavailable, "the broker sent an unexpected SUBACK"});
  }
  if (ack.reason_codes.size() != 1 || ack.reason_codes[0] >= 0x80) {
    std::string message = "the broker refused the subscription to '";
    message.append(subscription_filter(m_run.workload().topic_pattern)).append("'");
    if (ack.reason_codes.size() == 1) {
      message.append(" (reason ").append(hex_code(ack.reason_codes[0])).append(")");
    }
    return fail(Error{ErrorCode::forbidden, std::move(message)});
  }
  m_state = State::ready;
  m_run.note_subscribed();
}

void LoadClient::on_publish(const mqtt::Publish& publish, Clock::time_point now) {
  if (publish.qos == mqtt::QoS::at_least_once) {
    queue(mqtt::Puback{publish.packet_id, mqtt::ReasonCode::success, {}});
  } else if (publish.qos == mqtt::QoS::exactly_once) {
    queue(mqtt::Pubrec{publish.packet_id, mqtt::ReasonCode::success, {}});
  }
  const auto stamp = read_stamp(publish.payload);
  if (!stamp || stamp->run != m_run.run_tag() || stamp->publisher >= m_run.publisher_count()) {
    return;  // not from this run (a retained message, another tool on the same topics)
  }
  const std::uint64_t received_ns = stamp_time(now);
  m_latency.record(received_ns > stamp->sent_ns ? received_ns - stamp->sent_ns : 0);
  ++m_received;
  m_last_received = now;
  m_run.count_received(stamp->publisher);
}

void LoadClient::on_acknowledged(std::uint16_t packet_id, mqtt::ReasonCode reason,
                                 const char* what) {
  if (m_role != Role::publisher || m_ids_in_use.empty() || !m_ids_in_use[packet_id]) {
    std::string message = "the broker sent a ";
    message.append(what).append(" for an unknown packet identifier");
    return fail(Error{ErrorCode::unavailable, std::move(message)});
  }
  if (reason >= mqtt::ReasonCode::unspecified_error) {
    std::string message = "the broker refused a PUBLISH to '";
    message.append(m_publish.topic).append("' (").append(what).append(" reason ");
    message.append(hex_code(static_cast<std::uint8_t>(reason))).append(")");
    return fail(Error{ErrorCode::forbidden, std::move(message)});
  }
  m_ids_in_use[packet_id] = false;
  ++m_acked;
  m_run.acknowledged.fetch_add(1);
}

// ---- LoadClient: writing --------------------------------------------------------------------

void LoadClient::queue(const mqtt::Packet& packet) {
  mqtt::encode(packet, m_version, m_pending);
}

void LoadClient::flush() {
  if (m_write_busy || m_pending.empty() || m_state == State::closed) return;
  m_write_busy = true;
  m_writing.swap(m_pending);
  m_pending.clear();
  m_writing_publishes = m_pending_publishes;
  m_pending_publishes = 0;
  m_stream->async_write(m_writing.data(), m_writing.size(),
                        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->on_written(ec);
                        });
}

void LoadClient::on_written(boost::system::error_code ec) {
  m_write_busy = false;
  if (m_state == State::closed) return;
  if (ec) return on_lost(ec);
  m_writing.clear();
  if (m_writing_publishes != 0) {
    m_run.sent.fetch_add(m_writing_publishes);
    m_writing_publishes = 0;
  }
  if (m_state == State::closing && m_pending.empty()) {
    close_socket();
    m_run.note_closed();
    return;
  }
  if (m_role == Role::publisher) {
    if (!m_publishing && !m_stop_noted && m_start != Clock::time_point{}) {
      m_stop_noted = true;
      m_run.note_stopped();
    }
    pump();
  }
  flush();
}

void LoadClient::schedule_ping() {
  m_ping_timer.expires_after(m_keep_alive / 2);
  m_ping_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->m_state != State::ready) return;
    self->queue(mqtt::Pingreq{});
    self->flush();
    self->schedule_ping();
  });
}

// ---- LoadClient: ending ---------------------------------------------------------------------

void LoadClient::disconnect() {
  asio::post(m_executor, [self = shared_from_this()] {
    if (self->m_state == State::closed || self->m_state == State::closing) return;
    if (self->m_state == State::idle || self->m_state == State::connecting) {
      self->close_socket();
      self->m_run.note_closed();
      return;
    }
    self->m_state = State::closing;
    self->m_publishing = false;
    self->queue(mqtt::Disconnect{});
    self->flush();
  });
}

void LoadClient::abort() {
  asio::post(m_executor, [self = shared_from_this()] { self->close_socket(); });
}

void LoadClient::fail(Error error) {
  if (m_state == State::closed) return;
  close_socket();
  m_run.note_failure(std::move(error));
}

void LoadClient::on_lost(boost::system::error_code ec) {
  if (m_state == State::closing) {
    close_socket();
    m_run.note_closed();
    return;
  }
  std::string message = "the broker closed the connection of ";
  message.append(name()).append(" (").append(ec.message()).append(")");
  fail(Error{ErrorCode::unavailable, std::move(message)});
}

void LoadClient::close_socket() {
  m_state = State::closed;
  m_publishing = false;
  ++m_timer_generation;
  m_timer.cancel();
  m_ping_timer.cancel();
  m_stream->close();
}

}  // namespace cs::bench
