#include "devbroker/net/broker_host.h"

#include <sys/socket.h>

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <vector>

#include "common/log.h"
#include "devbroker/net/stream.h"

namespace cs::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Streams with a layer of their own (TLS, WebSocket) read into a buffer per connection that
// starts small and doubles while reads come back full. Plain TCP connections hold no buffer:
// they wait for input and read it into the host's one buffer.
constexpr std::size_t k_first_read = 512;
constexpr std::size_t k_max_read = 64 * 1024;
constexpr auto k_stop_grace = std::chrono::seconds(2);
constexpr auto k_stop_poll = std::chrono::milliseconds(20);
constexpr auto k_linger = std::chrono::seconds(2);

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
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

/// One accepted connection: reads into the broker, writes what the broker queued for it.
class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(BrokerHost& host, mqtt::ConnectionId id, std::unique_ptr<Stream> stream)
      : m_host(host), m_id(id), m_stream(std::move(stream)), m_socket(m_stream->plain_socket()) {}

  /// Opens the connection from `peer` once its stream is ready.
  void start(const tcp::endpoint& peer) {
    if (m_socket != nullptr) return open(endpoint_text(peer));  // nothing to negotiate
    m_read_buffer.resize(k_first_read);
    // A client that never finishes its handshake must not hold a connection forever.
    m_timer = std::make_unique<asio::steady_timer>(m_host.m_io, m_host.m_handshake_timeout);
    m_timer->async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->m_opened || self->m_finished) return;
      self->m_timed_out = true;
      self->m_stream->close();
    });
    m_stream->async_start([self = shared_from_this()](boost::system::error_code ec) {
      self->m_timer.reset();
      if (ec || self->m_finished) {
        if (log::enabled(log::Level::info)) {
          std::string line = "connection from ";
          line.append(self->m_stream->peer())
              .append(" not opened: ")
              .append(self->m_timed_out ? "handshake timed out" : ec.message());
          log::info(line);
        }
        self->m_finished = true;
        self->m_stream->close();
        self->m_host.forget(self->m_id);
        return;
      }
      self->open(self->m_stream->peer());
    });
  }

  // Starts writing whatever the broker has for this connection, or closes it when asked.
  void kick() {
    if (m_finished || m_writing) return;
    m_pending = m_host.m_broker.take_output(m_id);
    if (!m_pending.empty()) return write(0);
    m_pending = Bytes();  // an idle connection keeps no output buffer
    if (m_host.m_broker.close_requested(m_id)) close_gracefully();
  }

  void abort() { finish(); }

 private:
  void open(std::string peer) {
    m_opened = true;
    std::optional<std::string> certificate_name;
    if (auto cert = m_stream->client_certificate(); cert && !cert->common_name.empty()) {
      certificate_name = cert->common_name;
    }
    m_host.m_broker.on_open(m_id, std::move(peer), mqtt::Clock::now(), std::move(certificate_name));
    m_host.flush();
    read();
  }

  void read() {
    if (m_finished) return;
    if (m_socket != nullptr) return wait_readable();
    m_stream->async_read_some(
        m_read_buffer.data(), m_read_buffer.size(),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (self->m_finished) return;
          if (ec) return self->finish();
          self->deliver(self->m_read_buffer.data(), n);
          const std::size_t size = self->m_read_buffer.size();
          if (n == size && size < k_max_read) self->m_read_buffer.resize(2 * size);
          self->read();
        });
  }

  void deliver(const std::uint8_t* data, std::size_t n) {
    if (m_closing) return;  // draining until the peer closes
    m_host.m_broker.on_data(m_id, ByteView(data, n), mqtt::Clock::now());
    m_host.flush();
  }

  // Asio recycles handler memory in blocks as large as its largest operation (an accept), so
  // every waiting connection would hold one; the standard allocator sizes the wait exactly.
  void wait_readable() {
    m_socket->async_wait(
        tcp::socket::wait_read,
        asio::bind_allocator(std::allocator<void>(),
                             [self = shared_from_this()](boost::system::error_code ec) {
                               if (self->m_finished) return;
                               if (ec) return self->finish();
                               self->read_ready();
                             }));
  }

  // Reads what the socket holds into the host's buffer until it would block. A connection that
  // fills the buffer yields to the others and goes on in a posted handler, as a read per
  // wake-up would.
  void read_ready() {
    Bytes& buffer = m_host.m_read_buffer;
    for (;;) {
      const ssize_t n =
          ::recv(m_socket->native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && would_block(errno)) return wait_readable();
      if (n <= 0) return finish();  // end of stream or a socket error
      deliver(buffer.data(), static_cast<std::size_t>(n));
      if (m_finished) return;
      if (static_cast<std::size_t>(n) == buffer.size()) {
        asio::post(m_host.m_io, [self = shared_from_this()] {
          if (!self->m_finished) self->read_ready();
        });
        return;
      }
    }
  }

  // Plain TCP sends at once what the socket takes and leaves only the rest to Asio.
  void write(std::size_t offset) {
    if (m_socket != nullptr) {
      while (offset < m_pending.size()) {
        const ssize_t n = ::send(m_socket->native_handle(), m_pending.data() + offset,
                                 m_pending.size() - offset, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && would_block(errno)) break;
        if (n < 0) return finish();
        offset += static_cast<std::size_t>(n);
      }
      if (offset == m_pending.size()) return kick();
    }
    m_writing = true;
    m_stream->async_write(m_pending.data() + offset, m_pending.size() - offset,
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            self->m_writing = false;
                            if (ec) return self->finish();
                            self->kick();
                          });
  }

  // Sends FIN after the last bytes and reads until the peer closes too (or a grace period
  // passes). Closing with unread input would send RST, and a client could lose the CONNACK or
  // DISCONNECT that explains why it is being closed.
  void close_gracefully() {
    if (m_closing) return;
    m_closing = true;
    m_stream->shutdown_send(close_cause(m_host.m_broker.close_reason(m_id)));
    m_timer = std::make_unique<asio::steady_timer>(m_host.m_io, k_linger);
    m_timer->async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->finish();
    });
  }

  void finish() {
    if (m_finished) return;
    m_finished = true;
    if (m_timer) m_timer->cancel();
    m_stream->close();
    if (m_opened) m_host.m_broker.on_closed(m_id, mqtt::Clock::now());
    m_host.forget(m_id);
    // Closing may have published a will: write it out, outside this call chain.
    asio::post(m_host.m_io, [&host = m_host] { host.flush(); });
  }

  BrokerHost& m_host;
  mqtt::ConnectionId m_id;
  std::unique_ptr<Stream> m_stream;
  tcp::socket* m_socket;  // the stream's own socket when it is plain TCP, else null
  Bytes m_read_buffer;    // streams other than plain TCP
  Bytes m_pending;
  std::unique_ptr<asio::steady_timer> m_timer;  // the handshake deadline, later the linger
  bool m_timed_out = false;
  bool m_writing = false;
  bool m_opened = false;
  bool m_closing = false;
  bool m_finished = false;
};

BrokerHost::BrokerHost(asio::io_context& io, mqtt::Broker& broker)
    : m_io(io), m_broker(broker), m_timer(io), m_read_buffer(k_max_read) {}

BrokerHost::~BrokerHost() = default;

Result<std::uint16_t> BrokerHost::listen_tcp(const std::string& host, std::uint16_t port) {
  return listen(host, port, [](tcp::socket socket) -> std::unique_ptr<Stream> {
    return std::make_unique<TcpStream>(std::move(socket));
  });
}

Result<std::uint16_t> BrokerHost::listen(const std::string& host, std::uint16_t port,
                                         StreamFactory make_stream) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return fail(ErrorCode::invalid_request, "not an IP address: " + host);
  auto listener =
      std::make_unique<Listener>(Listener{tcp::acceptor(m_io), std::move(make_stream), {}});
  auto& acceptor = listener->acceptor;
  const tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(ErrorCode::unavailable,
                "cannot listen on " + endpoint_text(endpoint) + ": " + ec.message(),
                "choose another port, or 0 for a free one");
  }
  const std::uint16_t bound = acceptor.local_endpoint().port();
  accept_next(*listener);
  m_listeners.push_back(std::move(listener));
  return bound;
}

// The peer's address comes with the accepted socket, which spares plain TCP a getpeername.
void BrokerHost::accept_next(Listener& listener) {
  listener.acceptor.async_accept(
      listener.peer, [this, &listener](boost::system::error_code ec, tcp::socket socket) {
        if (m_stopping || !listener.acceptor.is_open()) return;
        if (!ec) {
          const mqtt::ConnectionId id = m_next_id++;
          auto link = std::make_shared<Link>(*this, id, listener.make_stream(std::move(socket)));
          m_links.emplace(id, link);
          link->start(listener.peer);
        } else if (ec != asio::error::operation_aborted) {
          log::warn("accept failed: " + ec.message());
        }
        accept_next(listener);
      });
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
  }
  m_broker.shutdown(mqtt::Clock::now());
  flush();
  m_stop_done = std::move(done);
  m_stop_deadline = mqtt::Clock::now() + k_stop_grace;
  poll_stopped();
}

// Gives the goodbyes a moment to reach the clients, then cuts whatever is left.
void BrokerHost::poll_stopped() {
  if (!m_links.empty() && mqtt::Clock::now() < m_stop_deadline) {
    m_timer.expires_after(k_stop_poll);
    m_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) poll_stopped();
    });
    return;
  }
  std::vector<std::shared_ptr<Link>> left;
  for (auto& [id, link] : m_links) left.push_back(link);
  for (auto& link : left) link->abort();
  if (auto done = std::move(m_stop_done)) done();
}

}  // namespace cs::net
