#pragma once
// An epoll set of the host's own, waited on through the io_context, for the sockets the host
// reads and writes itself (plain TCP). A socket in it costs one kernel epoll entry and nothing
// in Asio, where every socket keeps a per-descriptor state and, while it waits, an operation:
// about 300 bytes that an idle connection would hold for nothing.

#include <sys/epoll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/result.h"

namespace cs::net {

class Poller {
 public:
  /// Called on the io_context's thread with the `key` a socket was added with and its epoll
  /// events (EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLERR, EPOLLHUP).
  using Handler = std::function<void(std::uint64_t key, std::uint32_t events)>;

  /// Opens an epoll set waited on through `io`; `on_ready` hears of every ready socket.
  static Result<std::unique_ptr<Poller>> open(boost::asio::io_context& io, Handler on_ready);

  /// Watches `fd` for input (edge-triggered: the handler must read until EAGAIN) under `key`;
  /// input already waiting is reported too. Closing `fd` removes it.
  Result<void> add(int fd, std::uint64_t key);

  /// Also watches `fd` (added under `key`) for room to write, from now on.
  Result<void> watch_writable(int fd, std::uint64_t key);

  /// Stops waiting; sockets still in the set hear nothing more.
  void close();

 private:
  Poller(boost::asio::io_context& io, int epoll_fd, Handler on_ready);
  void wait();
  void drain();

  boost::asio::io_context& m_io;
  boost::asio::posix::stream_descriptor m_epoll;
  Handler m_on_ready;
  std::vector<epoll_event> m_events;
  bool m_closed = false;
};

}  // namespace cs::net
