#include "devbroker/net/broker_host.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <vector>

#include "common/log.h"
#include "devbroker/net/stream.h"

namespace cs::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Reads start small and double while they come back full: an idle client costs half a kilobyte of
// buffer, a busy one reads up to 64 KiB at a time.
constexpr std::size_t k_first_read = 512;
constexpr std::size_t k_max_read = 64 * 1024;
constexpr auto k_stop_grace = std::chrono::seconds(2);
constexpr auto k_stop_poll = std::chrono::milliseconds(20);
constexpr auto k_linger = std::chrono::seconds(2);

}  // namespace

/// One accepted connection: reads into the broker, writes what the broker queued for it.
class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(BrokerHost& host, mqtt::ConnectionId id, std::unique_ptr<Stream> stream)
      : m_host(host),
        m_id(id),
        m_stream(std::move(stream)),
        m_read_buffer(k_first_read),
        m_handshake_timer(host.m_io) {}

  void start() {
    // A client that never finishes its handshake must not hold a connection forever.
    m_handshake_timer.expires_after(m_host.m_handshake_timeout);
    m_handshake_timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->m_opened || self->m_finished) return;
      self->m_timed_out = true;
      self->m_stream->close();
    });
    m_stream->async_start([self = shared_from_this()](boost::system::error_code ec) {
      self->m_handshake_timer.cancel();
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
      self->m_opened = true;
      std::optional<std::string> certificate_name;
      if (auto cert = self->m_stream->client_certificate(); cert && !cert->common_name.empty()) {
        certificate_name = cert->common_name;
      }
      self->m_host.m_broker.on_open(self->m_id, self->m_stream->peer(), mqtt::Clock::now(),
                                    std::move(certificate_name));
      self->m_host.flush();
      self->read();
    });
  }

  // Starts writing whatever the broker has for this connection, or closes it when asked.
  void kick() {
    if (m_finished || m_writing) return;
    m_pending = m_host.m_broker.take_output(m_id);
    if (!m_pending.empty()) {
      m_writing = true;
      m_stream->async_write(m_pending.data(), m_pending.size(),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->m_writing = false;
                              if (ec) return self->finish();
                              self->kick();
                            });
      return;
    }
    if (m_host.m_broker.close_requested(m_id)) close_gracefully();
  }

  void abort() { finish(); }

 private:
  void read() {
    if (m_finished) return;
    m_stream->async_read_some(
        m_read_buffer.data(), m_read_buffer.size(),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (self->m_finished) return;
          if (ec) return self->finish();
          if (self->m_closing) return self->read();  // draining until the peer closes
          self->m_host.m_broker.on_data(self->m_id, ByteView(self->m_read_buffer.data(), n),
                                        mqtt::Clock::now());
          self->m_host.flush();
          const std::size_t size = self->m_read_buffer.size();
          if (n == size && size < k_max_read) self->m_read_buffer.resize(2 * size);
          self->read();
        });
  }

  // Sends FIN after the last bytes and reads until the peer closes too (or a grace period
  // passes). Closing with unread input would send RST, and a client could lose the CONNACK or
  // DISCONNECT that explains why it is being closed.
  void close_gracefully() {
    if (m_closing) return;
    m_closing = true;
    m_stream->shutdown_send();
    m_linger.expires_after(k_linger);
    m_linger.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->finish();
    });
  }

  void finish() {
    if (m_finished) return;
    m_finished = true;
    m_linger.cancel();
    m_stream->close();
    if (m_opened) m_host.m_broker.on_closed(m_id, mqtt::Clock::now());
    m_host.forget(m_id);
    // Closing may have published a will: write it out, outside this call chain.
    asio::post(m_host.m_io, [&host = m_host] { host.flush(); });
  }

  BrokerHost& m_host;
  mqtt::ConnectionId m_id;
  std::unique_ptr<Stream> m_stream;
  Bytes m_read_buffer;
  Bytes m_pending;
  boost::asio::steady_timer m_handshake_timer;
  bool m_timed_out = false;
  bool m_writing = false;
  bool m_opened = false;
  bool m_closing = false;
  bool m_finished = false;
  asio::steady_timer m_linger{m_host.m_io};
};

BrokerHost::BrokerHost(asio::io_context& io, mqtt::Broker& broker)
    : m_io(io), m_broker(broker), m_timer(io) {}

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
  auto listener = std::make_unique<Listener>(Listener{tcp::acceptor(m_io), std::move(make_stream)});
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

void BrokerHost::accept_next(Listener& listener) {
  auto& acceptor = listener.acceptor;
  acceptor.async_accept([this, &listener](boost::system::error_code ec, tcp::socket socket) {
    if (m_stopping || !listener.acceptor.is_open()) return;
    if (!ec) {
      const mqtt::ConnectionId id = m_next_id++;
      auto link = std::make_shared<Link>(*this, id, listener.make_stream(std::move(socket)));
      m_links.emplace(id, link);
      link->start();
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
  for (mqtt::ConnectionId id : m_broker.take_ready()) {
    auto it = m_links.find(id);
    if (it == m_links.end()) continue;
    auto link = it->second;  // keeps the link alive if kick() ends it
    link->kick();
  }
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
