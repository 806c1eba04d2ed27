#include <boost/asio/post.hpp>
#include <optional>
#include <string>

#include "common/log.h"
#include "devbroker/net/broker_host.h"
#include "devbroker/net/link.h"

namespace cs::net {

namespace asio = boost::asio;

namespace {

// The read buffer starts small and doubles while reads come back full.
constexpr std::size_t k_first_read = 512;
constexpr std::size_t k_max_read = 64 * 1024;
constexpr auto k_linger = std::chrono::seconds(2);

}  // namespace

StreamLink::StreamLink(BrokerHost& host, mqtt::ConnectionId id, std::unique_ptr<Stream> stream)
    : m_host(host), m_id(id), m_stream(std::move(stream)) {}

void StreamLink::start() {
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
    self->open();
  });
}

void StreamLink::kick() {
  if (m_finished) return;
  if (m_writing) {
    // A close asked for while a write waits for the peer waits for it at most the linger.
    if (m_host.m_broker.close_requested(m_id)) start_linger();
    return;
  }
  m_pending = m_host.m_broker.take_output(m_id);
  if (!m_pending.empty()) return write();
  m_pending = Bytes();  // an idle connection keeps no output buffer
  if (m_host.m_broker.close_requested(m_id)) close_gracefully();
}

void StreamLink::open() {
  m_opened = true;
  std::optional<std::string> certificate_name;
  if (auto cert = m_stream->client_certificate(); cert && !cert->common_name.empty()) {
    certificate_name = cert->common_name;
  }
  m_host.m_broker.on_open(m_id, m_stream->peer(), mqtt::Clock::now(), std::move(certificate_name));
  m_host.flush();
  read();
}

void StreamLink::read() {
  if (m_finished) return;
  m_stream->async_read_some(
      m_read_buffer.data(), m_read_buffer.size(),
      [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        if (self->m_finished) return;
        if (ec) return self->finish();
        if (!self->m_closing) {  // else draining until the peer closes
          self->m_host.m_broker.on_data(self->m_id, ByteView(self->m_read_buffer.data(), n),
                                        mqtt::Clock::now());
          self->m_host.flush();
        }
        const std::size_t size = self->m_read_buffer.size();
        if (n == size && size < k_max_read) self->m_read_buffer.resize(2 * size);
        self->read();
      });
}

void StreamLink::write() {
  m_writing = true;
  m_stream->async_write(m_pending.data(), m_pending.size(),
                        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->m_writing = false;
                          if (ec) return self->finish();
                          self->kick();
                        });
}

// Closes the write side (TLS close_notify, WebSocket close frame) and reads until the peer
// closes too, or a grace period passes, so that the client reads the goodbye that explains why.
void StreamLink::close_gracefully() {
  if (m_closing) return;
  m_closing = true;
  m_stream->shutdown_send(close_cause(m_host.m_broker.close_reason(m_id)));
  start_linger();
}

// Ends the connection after k_linger, whatever happens meanwhile; armed once. (The handshake
// deadline, which shares the timer, is gone once the stream opened.)
void StreamLink::start_linger() {
  if (m_linger_armed) return;
  m_linger_armed = true;
  m_timer = std::make_unique<asio::steady_timer>(m_host.m_io, k_linger);
  m_timer->async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->finish();
  });
}

void StreamLink::finish() {
  if (m_finished) return;
  m_finished = true;
  if (m_timer) m_timer->cancel();
  m_stream->close();
  if (m_opened) m_host.m_broker.on_closed(m_id, mqtt::Clock::now());
  m_host.forget(m_id);
  // Closing may have published a will: write it out, outside this call chain.
  asio::post(m_host.m_io, [&host = m_host] { host.flush(); });
}

}  // namespace cs::net
