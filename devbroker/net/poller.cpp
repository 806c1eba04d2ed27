#include "devbroker/net/poller.h"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <string>

namespace cs::net {

namespace {

// Events taken per wake-up. A full batch means more may be ready: the rest is read in a posted
// handler, so other work of the loop runs in between.
constexpr std::size_t k_batch = 256;

Error epoll_error(const char* what) {
  std::string message = what;
  message.append(": ").append(std::strerror(errno));
  return Error{ErrorCode::io, std::move(message)};
}

}  // namespace

Result<std::unique_ptr<Poller>> Poller::open(boost::asio::io_context& io, Handler on_ready) {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return fail(epoll_error("cannot create an epoll set"));
  std::unique_ptr<Poller> poller(new Poller(io, fd, std::move(on_ready)));
  poller->wait();
  return poller;
}

Poller::Poller(boost::asio::io_context& io, int epoll_fd, Handler on_ready)
    : m_io(io), m_epoll(io, epoll_fd), m_on_ready(std::move(on_ready)), m_events(k_batch) {}

Result<void> Poller::add(int fd, std::uint64_t key) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  event.data.u64 = key;
  if (::epoll_ctl(m_epoll.native_handle(), EPOLL_CTL_ADD, fd, &event) != 0) {
    return fail(epoll_error("cannot watch a connection"));
  }
  return {};
}

// Re-arming reports the socket at once if it already has room, so no edge is lost.
Result<void> Poller::watch_writable(int fd, std::uint64_t key) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.u64 = key;
  if (::epoll_ctl(m_epoll.native_handle(), EPOLL_CTL_MOD, fd, &event) != 0) {
    return fail(epoll_error("cannot watch a connection for writing"));
  }
  return {};
}

void Poller::close() {
  m_closed = true;
  boost::system::error_code ignored;
  m_epoll.cancel(ignored);
}

// Asio watches the epoll set edge-triggered: it is waited on again only once a wait found it
// empty, after which any new event is a new edge.
void Poller::wait() {
  m_epoll.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [this](boost::system::error_code ec) {
                       if (ec || m_closed) return;
                       drain();
                     });
}

void Poller::drain() {
  int n = 0;
  do {
    n = ::epoll_wait(m_epoll.native_handle(), m_events.data(), static_cast<int>(m_events.size()),
                     0);
  } while (n < 0 && errno == EINTR);
  for (int i = 0; i < n && !m_closed; ++i) m_on_ready(m_events[i].data.u64, m_events[i].events);
  if (m_closed) return;
  if (n == static_cast<int>(m_events.size())) {
    boost::asio::post(m_io, [this] {
      if (!m_closed) drain();
    });
    return;
  }
  wait();
}

}  // namespace cs::net
