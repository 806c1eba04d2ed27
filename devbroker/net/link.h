#pragma once
// The host's side of one accepted connection: moves bytes between its socket and the broker core.
// Internal to devbroker/net; BrokerHost owns the links.

#include <sys/types.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "common/crypto/bytes.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/net/stream.h"

namespace cs::net {

class BrokerHost;

/// A connection through a Stream with a layer of its own (TLS, WebSocket): Asio operations on
/// the stream, a read buffer that grows while reads come back full.
class StreamLink final : public std::enable_shared_from_this<StreamLink> {
 public:
  StreamLink(BrokerHost& host, mqtt::ConnectionId id, std::unique_ptr<Stream> stream);
  /// Negotiates the stream (with the host's handshake deadline), then opens the connection.
  void start();
  /// Starts writing whatever the broker has for this connection, or closes it when asked.
  void kick();
  /// Ends the connection now.
  void abort() { finish(); }

 private:
  void open();
  void read();
  void write();
  void close_gracefully();
  void start_linger();
  void finish();

  BrokerHost& m_host;
  mqtt::ConnectionId m_id;
  std::unique_ptr<Stream> m_stream;
  Bytes m_read_buffer;
  Bytes m_pending;
  std::unique_ptr<boost::asio::steady_timer> m_timer;  // the handshake deadline, later the linger
  bool m_timed_out = false;
  bool m_linger_armed = false;
  bool m_writing = false;
  bool m_opened = false;
  bool m_closing = false;
  bool m_finished = false;
};

/// A plain TCP connection, read and written by the host itself through its Poller: while idle
/// it holds this object and a kernel socket, nothing else.
class PlainLink {
 public:
  /// Takes `fd` (a connected, non-blocking socket), whose events the Poller reports under `id`.
  PlainLink(BrokerHost& host, mqtt::ConnectionId id, int fd);
  ~PlainLink();
  PlainLink(const PlainLink&) = delete;
  PlainLink& operator=(const PlainLink&) = delete;
  /// Opens the connection from `peer` ("address:port").
  void start(std::string peer);
  /// Reacts to the Poller's `events` for this socket.
  void on_events(std::uint32_t events);
  /// Goes on reading after a turn given to other connections.
  void resume_reading() {
    if (!m_finished) read_ready(Until::would_block);
  }
  /// Starts writing whatever the broker has for this connection, or closes it when asked.
  void kick();
  /// Ends the connection now.
  void abort() { finish(); }

 private:
  // How far one turn reads: until the socket would block, or until a read that did not fill
  // the buffer (the socket was emptied then, and new input brings a new edge).
  enum class Until : std::uint8_t { would_block, short_read };
  void read_ready(Until until);
  void send_pending();
  void close_gracefully();
  void start_linger();
  void finish();

  BrokerHost& m_host;
  mqtt::ConnectionId m_id;
  Bytes m_pending;                                     // output the socket has not taken yet
  std::size_t m_offset = 0;                            // how much of m_pending it took
  std::unique_ptr<boost::asio::steady_timer> m_timer;  // the linger while closing
  int m_fd;
  bool m_watching_writes = false;
  bool m_closing = false;
  bool m_finished = false;
};

}  // namespace cs::net
