#include "devbroker/net/broker_host.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "common/log.h"
#include "devbroker/net/link.h"
#include "devbroker/net/poller.h"
#include "devbroker/net/stream.h"

namespace cs::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t k_read_buffer = 64 * 1024;  // plain TCP connections share this one
constexpr std::size_t k_accept_batch = 64;        // accepts per wake-up of a plain listener
constexpr auto k_accept_retry = std::chrono::milliseconds(100);
constexpr auto k_stop_grace = std::chrono::seconds(2);
constexpr auto k_stop_poll = std::chrono::milliseconds(20);

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

// Out of descriptors or kernel memory: the pending connection stays queued until some are free.
bool out_of_resources(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

std::string peer_text(const sockaddr_storage& address) {
  namespace ip = boost::asio::ip;
  if (address.ss_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &address, sizeof(in));
    return endpoint_text({ip::address_v4(ntohl(in.sin_addr.s_addr)), ntohs(in.sin_port)});
  }
  if (address.ss_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address, sizeof(in6));
    ip::address_v6::bytes_type bytes{};
    std::memcpy(bytes.data(), in6.sin6_addr.s6_addr, bytes.size());
    return endpoint_text({ip::address_v6(bytes, in6.sin6_scope_id), ntohs(in6.sin6_port)});
  }
  return "unknown";
}

}  // namespace

CloseCause close_cause(mqtt::ReasonCode reason) {
  using mqtt::ReasonCode;
  switch (reason) {
    case ReasonCode::success:
    case ReasonCode::disconnect_with_will:
    case ReasonCode::session_taken_over:
      return CloseCause::normal;
    case ReasonCode::server_shutting_down:
    case ReasonCode::use_another_server:
    case ReasonCode::server_moved:
      return CloseCause::going_away;
    case ReasonCode::malformed_packet:
    case ReasonCode::protocol_error:
    case ReasonCode::unsupported_protocol_version:
    case ReasonCode::topic_filter_invalid:
    case ReasonCode::topic_name_invalid:
    case ReasonCode::packet_identifier_in_use:
    case ReasonCode::packet_identifier_not_found:
    case ReasonCode::receive_maximum_exceeded:
    case ReasonCode::topic_alias_invalid:
    case ReasonCode::payload_format_invalid:
    case ReasonCode::bad_authentication_method:
      return CloseCause::protocol_error;
    case ReasonCode::packet_too_large:
      return CloseCause::too_big;
    case ReasonCode::unspecified_error:
    case ReasonCode::implementation_specific_error:
    case ReasonCode::server_unavailable:
      return CloseCause::server_error;
    default:
      // Refusals and the server's rules: credentials, authorization, bans, limits, keep alive.
      return CloseCause::policy_violation;
  }
}

BrokerHost::BrokerHost(asio::io_context& io, mqtt::Broker& broker)
    : m_io(io), m_broker(broker), m_timer(io), m_read_buffer(k_read_buffer) {}

BrokerHost::~BrokerHost() = default;

Result<std::uint16_t> BrokerHost::listen_tcp(const std::string& host, std::uint16_t port) {
  if (!m_poller) {
    auto poller = Poller::open(m_io, [this](std::uint64_t id, std::uint32_t events) {
      auto it = m_plain.find(id);
      if (it != m_plain.end()) it->second.on_events(events);
    });
    if (!poller) return fail(poller.error());
    m_poller = std::move(*poller);
  }
  return listen(host, port, nullptr);
}

Result<std::uint16_t> BrokerHost::listen(const std::string& host, std::uint16_t port,
                                         StreamFactory make_stream) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return fail(ErrorCode::invalid_request, "not an IP address: " + host);
  auto listener = std::make_unique<Listener>(
      Listener{tcp::acceptor(m_io), std::move(make_stream), {}, asio::steady_timer(m_io), false});
  auto& acceptor = listener->acceptor;
  const tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  // MQTT packets are small and latency matters more than coalescing. Accepted sockets inherit
  // the option from the listener, which saves a system call per connection.
  if (!ec) acceptor.set_option(tcp::no_delay(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) acceptor.non_blocking(true, ec);
  if (ec) {
    return fail(ErrorCode::unavailable,
                "cannot listen on " + endpoint_text(endpoint) + ": " + ec.message(),
                "choose another port, or 0 for a free one");
  }
  const std::uint16_t bound = acceptor.local_endpoint().port();
  if (listener->make_stream) {
    accept_next(*listener);
  } else {
    wait_plain(*listener);
  }
  m_listeners.push_back(std::move(listener));
  return bound;
}

// The peer's address comes with the accepted socket, which spares a getpeername.
void BrokerHost::accept_next(Listener& listener) {
  listener.acceptor.async_accept(listener.peer, [this, &listener](boost::system::error_code ec,
                                                                  tcp::socket socket) {
    if (m_stopping || !listener.acceptor.is_open()) return;
    if (!ec) {
      const mqtt::ConnectionId id = m_next_id++;
      auto link = std::make_shared<StreamLink>(*this, id, listener.make_stream(std::move(socket)));
      m_links.emplace(id, link);
      link->start();
    } else if (ec != asio::error::operation_aborted) {
      log::warn("accept failed: " + ec.message());
    }
    accept_next(listener);
  });
}

void BrokerHost::wait_plain(Listener& listener) {
  listener.acceptor.async_wait(tcp::acceptor::wait_read,
                               [this, &listener](boost::system::error_code ec) {
                                 if (ec || m_stopping || !listener.acceptor.is_open()) return;
                                 accept_plain(listener);
                               });
}

// Plain TCP sockets never become Asio sockets: accepted here, they go straight to the Poller.
// A full batch goes on in a posted handler; out of descriptors, accepting pauses a moment
// (waiting again at once would wake up at once).
void BrokerHost::accept_plain(Listener& listener) {
  const int listen_fd = listener.acceptor.native_handle();
  for (std::size_t i = 0; i < k_accept_batch; ++i) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&address), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      const int error = errno;
      if (error == EINTR || error == ECONNABORTED || error == EPROTO) continue;
      if (would_block(error)) return wait_plain(listener);
      if (!out_of_resources(error)) {
        log::warn(std::string("accept failed: ") + std::strerror(error));
        return wait_plain(listener);
      }
      if (!std::exchange(listener.starved, true)) {
        log::warn(std::string("cannot accept connections: ") + std::strerror(error) +
                  "; retrying until some close");
      }
      listener.retry.expires_after(k_accept_retry);
      listener.retry.async_wait([this, &listener](boost::system::error_code timer_ec) {
        if (!timer_ec && !m_stopping) accept_plain(listener);
      });
      return;
    }
    if (std::exchange(listener.starved, false)) log::info("accepting connections again");
    open_plain(fd, address);
  }
  asio::post(m_io, [this, &listener] {
    if (!m_stopping && listener.acceptor.is_open()) accept_plain(listener);
  });
}

void BrokerHost::open_plain(int fd, const sockaddr_storage& address) {
  const mqtt::ConnectionId id = m_next_id++;
  if (auto watched = m_poller->add(fd, id); !watched) {
    log::warn(watched.error().message);
    ::close(fd);
    return;
  }
  // Kept in the map's node itself; a finished link stays there until reap() runs, outside the
  // calls into it.
  PlainLink& link = m_plain.try_emplace(id, *this, id, fd).first->second;
  link.start(peer_text(address));
}

void BrokerHost::resume_reading(mqtt::ConnectionId id) {
  if (auto it = m_plain.find(id); it != m_plain.end()) it->second.resume_reading();
}

void BrokerHost::abort(mqtt::ConnectionId id) {
  if (auto it = m_plain.find(id); it != m_plain.end()) return it->second.abort();
  auto it = m_links.find(id);
  if (it == m_links.end()) return;
  const auto link = it->second;
  link->abort();
}

void BrokerHost::finished_plain(mqtt::ConnectionId id) {
  if (m_reaped.empty()) {
    asio::post(m_io, [this] { reap(); });
  }
  m_reaped.push_back(id);
}

void BrokerHost::reap() {
  for (mqtt::ConnectionId id : m_reaped) m_plain.erase(id);
  m_reaped.clear();
}

void BrokerHost::start() {
  tick();
}

void BrokerHost::tick() {
  if (m_stopping) return;
  m_broker.on_tick(mqtt::Clock::now());
  flush();
  m_timer.expires_after(mqtt::Broker::tick_interval());
  m_timer.async_wait([this](boost::system::error_code ec) {
    if (!ec) tick();
  });
}

void BrokerHost::flush() {
  // The list's capacity goes back and forth between the broker and the host; a nested flush
  // (none is expected) would start from an empty one.
  std::vector<mqtt::ConnectionId> ready = std::move(m_ready);
  m_broker.take_ready(ready);
  for (mqtt::ConnectionId id : ready) {
    if (auto plain = m_plain.find(id); plain != m_plain.end()) {
      plain->second.kick();
      continue;
    }
    auto it = m_links.find(id);
    if (it == m_links.end()) continue;
    auto link = it->second;  // keeps the link alive if kick() ends it
    link->kick();
  }
  ready.clear();
  m_ready = std::move(ready);
}

void BrokerHost::forget(mqtt::ConnectionId id) {
  m_links.erase(id);
}

void BrokerHost::stop(std::function<void()> done) {
  m_stopping = true;
  m_timer.cancel();
  for (auto& listener : m_listeners) {
    boost::system::error_code ignored;
    listener->acceptor.close(ignored);
    listener->retry.cancel();
  }
  m_broker.shutdown(mqtt::Clock::now());
  flush();
  m_stop_done = std::move(done);
  m_stop_deadline = mqtt::Clock::now() + k_stop_grace;
  poll_stopped();
}

// Gives the goodbyes a moment to reach the clients, then cuts whatever is left.
void BrokerHost::poll_stopped() {
  if ((!m_links.empty() || m_plain.size() > m_reaped.size()) &&
      mqtt::Clock::now() < m_stop_deadline) {
    m_timer.expires_after(k_stop_poll);
    m_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) poll_stopped();
    });
    return;
  }
  std::vector<std::shared_ptr<StreamLink>> left;
  for (auto& [id, link] : m_links) left.push_back(link);
  for (auto& link : left) link->abort();
  for (auto& [id, link] : m_plain) link.abort();
  reap();
  if (m_poller) m_poller->close();
  if (auto done = std::move(m_stop_done)) done();
}

}  // namespace cs::net
