#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <string>

#include "common/log.h"
#include "devbroker/net/broker_host.h"
#include "devbroker/net/link.h"
#include "devbroker/net/poller.h"

namespace cs::net {

namespace asio = boost::asio;

namespace {

constexpr auto k_linger = std::chrono::seconds(2);

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

}  // namespace

PlainLink::PlainLink(BrokerHost& host, mqtt::ConnectionId id, int fd)
    : m_host(host), m_id(id), m_fd(fd) {}

PlainLink::~PlainLink() {
  if (m_fd >= 0) ::close(m_fd);
}

void PlainLink::start(std::string peer) {
  m_host.m_broker.on_open(m_id, std::move(peer), mqtt::Clock::now(), std::nullopt);
  m_host.flush();
  // No read here: adding the socket to the Poller reported any input that came before.
}

void PlainLink::on_events(std::uint32_t events) {
  if (m_finished) return;  // closed earlier in the same batch of events
  if ((events & EPOLLOUT) != 0 && !m_pending.empty()) send_pending();
  if (m_finished) return;
  // A short read may end the reading only when the peer has not closed its side: its FIN
  // raises no edge of its own once the event that reported it has been taken.
  if ((events & (EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0) return read_ready(Until::would_block);
  if ((events & EPOLLIN) != 0) read_ready(Until::short_read);
}

// Reads what the socket holds into the host's buffer (the Poller reports edges only, so all of
// it). A connection that fills the buffer yields to the others and goes on in a posted handler.
void PlainLink::read_ready(Until until) {
  Bytes& buffer = m_host.m_read_buffer;
  for (;;) {
    const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && would_block(errno)) return;
    if (n <= 0) return finish();  // end of stream or a socket error
    if (!m_closing) {             // else draining until the peer closes
      m_host.m_broker.on_data(m_id, ByteView(buffer.data(), static_cast<std::size_t>(n)),
                              mqtt::Clock::now());
      m_host.flush();
      if (m_finished) return;
    }
    // A short read emptied the socket: what arrives later is a new edge, so asking again
    // would only hear EAGAIN.
    if (until == Until::short_read && static_cast<std::size_t>(n) < buffer.size()) return;
    if (static_cast<std::size_t>(n) < buffer.size()) continue;
    asio::post(m_host.m_io, [&host = m_host, id = m_id] { host.resume_reading(id); });
    return;
  }
}

void PlainLink::kick() {
  if (m_finished) return;
  if (!m_pending.empty()) {
    // A write waiting for room goes on by itself; a close asked for meanwhile waits for it at
    // most the linger, or a client that stopped reading would hold the connection forever.
    if (m_host.m_broker.close_requested(m_id)) start_linger();
    return;
  }
  m_pending = m_host.m_broker.take_output(m_id);
  m_offset = 0;
  if (!m_pending.empty()) return send_pending();
  m_pending = Bytes();  // an idle connection keeps no output buffer
  if (m_host.m_broker.close_requested(m_id)) close_gracefully();
}

// Sends at once what the socket takes; the rest waits for the Poller to report room.
void PlainLink::send_pending() {
  while (m_offset < m_pending.size()) {
    const ssize_t n = ::send(m_fd, m_pending.data() + m_offset, m_pending.size() - m_offset,
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && would_block(errno)) {
      if (!m_watching_writes) {
        if (auto watched = m_host.m_poller->watch_writable(m_fd, m_id); !watched) {
          log::warn(watched.error().message);
          return finish();
        }
        m_watching_writes = true;
      }
      return;
    }
    if (n < 0) return finish();
    m_offset += static_cast<std::size_t>(n);
  }
  m_pending.clear();
  kick();
}

// Sends FIN after the last bytes and reads until the peer closes too (or a grace period
// passes). Closing with unread input would send RST, and a client could lose the CONNACK or
// DISCONNECT that explains why it is being closed.
void PlainLink::close_gracefully() {
  if (m_closing) return;
  m_closing = true;
  ::shutdown(m_fd, SHUT_WR);
  start_linger();
}

// Ends the connection after k_linger, whatever happens meanwhile; armed once.
void PlainLink::start_linger() {
  if (m_timer) return;
  m_timer = std::make_unique<asio::steady_timer>(m_host.m_io, k_linger);
  m_timer->async_wait([&host = m_host, id = m_id](boost::system::error_code ec) {
    if (!ec) host.abort(id);
  });
}

void PlainLink::finish() {
  if (m_finished) return;
  m_finished = true;
  if (m_timer) m_timer->cancel();
  ::close(m_fd);  // which also takes it out of the Poller's set
  m_fd = -1;
  m_host.m_broker.on_closed(m_id, mqtt::Clock::now());
  m_host.finished_plain(m_id);  // erased later, outside the calls into this link
  // Closing may have published a will: write it out, outside this call chain.
  asio::post(m_host.m_io, [&host = m_host] { host.flush(); });
}

}  // namespace cs::net
