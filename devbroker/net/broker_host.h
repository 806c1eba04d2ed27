#pragma once
// Network side of the broker: accepts connections, moves bytes between sockets and the broker
// core, and ticks its timers. Everything runs on one io_context thread, the broker's owner.

#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/net/link.h"
#include "devbroker/net/stream.h"

namespace cs::net {

class Poller;
class StreamLink;

/// What the transport should tell the peer when the broker closes a connection for `reason`.
CloseCause close_cause(mqtt::ReasonCode reason);

/// Connects sockets to one Broker. Owns the links; the broker is owned by the caller.
class BrokerHost {
 public:
  /// Serves `broker` on `io`; both must outlive this object.
  BrokerHost(boost::asio::io_context& io, mqtt::Broker& broker);
  ~BrokerHost();

  /// Listens for plain MQTT over TCP on `host`:`port` (0 = a free port); returns the port bound.
  Result<std::uint16_t> listen_tcp(const std::string& host, std::uint16_t port);

  /// Listens on `host`:`port` (0 = a free port) and serves each accepted socket through the
  /// stream `make_stream` wraps it in (TLS, WebSocket, ...); returns the port bound.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port,
                               StreamFactory make_stream);

  /// How long a new connection may spend in Stream::async_start (TLS handshake, WebSocket
  /// upgrade) before it is closed; 10 s unless set.
  void set_handshake_timeout(std::chrono::milliseconds timeout) { m_handshake_timeout = timeout; }

  /// Starts the broker's timer (keep alive, expiry, $SYS).
  void start();

  /// Stops accepting, ends every connection (5.0 clients hear "server shutting down") and calls
  /// `done` once the goodbyes are written or after a short grace period.
  void stop(std::function<void()> done);

  /// Writes what the broker has queued and closes what it asked to close. Call after any
  /// direct call into the broker (on_auth_result, publish, disconnect_if).
  void flush();

  boost::asio::io_context& io() { return m_io; }
  mqtt::Broker& broker() { return m_broker; }

 private:
  friend class PlainLink;
  friend class StreamLink;

  /// What the transport should tell the peer when the broker closes a connection for `reason`.
  CloseCause close_cause(mqtt::ReasonCode reason);
  struct Listener {
    boost::asio::ip::tcp::acceptor acceptor;
    StreamFactory make_stream;            // null for plain TCP, which the host serves itself
    boost::asio::ip::tcp::endpoint peer;  // filled by the accept under way
    boost::asio::steady_timer retry;      // plain TCP: accepting again after running out of fds
    bool starved = false;                 // plain TCP: out of descriptors, said so once
  };
  void accept_next(Listener& listener);
  void wait_plain(Listener& listener);
  void accept_plain(Listener& listener);
  void open_plain(int fd, const sockaddr_storage& address);
  void resume_reading(mqtt::ConnectionId id);
  void abort(mqtt::ConnectionId id);
  void finished_plain(mqtt::ConnectionId id);
  void reap();
  void tick();
  void forget(mqtt::ConnectionId id);
  void poll_stopped();

  boost::asio::io_context& m_io;
  mqtt::Broker& m_broker;
  std::vector<std::unique_ptr<Listener>> m_listeners;
  std::unique_ptr<Poller> m_poller;  // plain TCP connections, from the first listen_tcp on
  std::unordered_map<mqtt::ConnectionId, std::shared_ptr<StreamLink>> m_links;
  std::unordered_map<mqtt::ConnectionId, PlainLink> m_plain;
  std::vector<mqtt::ConnectionId> m_reaped;  // finished plain links, erased by reap()
  boost::asio::steady_timer m_timer;
  mqtt::ConnectionId m_next_id = 1;
  std::chrono::milliseconds m_handshake_timeout{10000};
  bool m_stopping = false;
  std::function<void()> m_stop_done;
  mqtt::TimePoint m_stop_deadline{};
  Bytes m_read_buffer;                      // plain TCP connections read into this one
  std::vector<mqtt::ConnectionId> m_ready;  // reused by flush()
};

}  // namespace cs::net
