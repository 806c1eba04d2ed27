#pragma once
// MQTT over WebSocket (RFC 6455; MQTT 5.0 section 6) via Beast, on TCP (WS) and on TLS (WSS).
// The upgrade request is judged by decide_ws_handshake(); refused requests get an HTTP answer
// and are closed. MQTT bytes travel in binary messages, which may split packets or carry
// several; a text message closes the connection with code 1003, an oversized one with 1009, a
// malformed frame with 1002 (Beast), and the broker's own reasons map through ws_close_code().
// The broker sends one packet per message: Paho C (1.3) leaves a second packet of a message
// unread until more bytes arrive on the socket.

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "common/crypto/bytes.h"
#include "devbroker/net/stream.h"
#include "devbroker/net/tls_context.h"
#include "devbroker/net/ws_handshake.h"

namespace cs::net {

/// Room a WebSocket message gets beyond the largest MQTT packet, for a few small packets
/// written together with it.
inline constexpr std::size_t k_ws_message_slack = 64 * 1024;
/// Bytes of request line and headers accepted before the upgrade.
inline constexpr std::size_t k_ws_max_request_header = 8 * 1024;
/// How long a closing connection waits for the peer's close frame.
inline constexpr std::chrono::milliseconds k_ws_close_grace{500};

/// The WebSocket close code (RFC 6455 section 7.4.1) that tells the peer `cause`.
std::uint16_t ws_close_code(CloseCause cause);

/// The size of the MQTT packet at the start of `bytes` (fixed header included), or all of
/// `bytes` when they do not start with a whole packet.
std::size_t first_packet_size(ByteView bytes);

struct WsSettings {
  std::size_t max_message_size = 0;  // a WebSocket message, after reassembly of its frames
  WsPolicy policy;
};

/// MQTT over WebSocket on plain TCP.
class WsStream final : public Stream {
 public:
  /// Serves the connection arriving on `socket` under `settings`.
  WsStream(boost::asio::ip::tcp::socket socket, std::shared_ptr<const WsSettings> settings);
  ~WsStream() override;
  /// Reads the HTTP request and upgrades it, or answers it with an HTTP error.
  void async_start(std::function<void(boost::system::error_code)> done) override;
  void async_read_some(void* data, std::size_t size, ReadHandler handler) override;
  void async_write(const void* data, std::size_t size, WriteHandler handler) override;
  /// Sends a close frame (1000, or 1003 after a text message) and closes the socket once the
  /// peer answers or after k_ws_close_grace.
  void close() override;
  /// Closes as close() does, with the close code that stands for `cause`.
  void shutdown_send(CloseCause cause) override;
  std::string peer() const override;

 private:
  class Core;
  std::shared_ptr<Core> m_core;
};

/// MQTT over WebSocket over TLS.
class WssStream final : public Stream {
 public:
  /// Serves the TLS connection arriving on `socket` with `context`, then as WsStream does.
  WssStream(boost::asio::ip::tcp::socket socket, TlsContextPtr context,
            std::shared_ptr<const WsSettings> settings);
  ~WssStream() override;
  /// The TLS handshake, then the WebSocket upgrade.
  void async_start(std::function<void(boost::system::error_code)> done) override;
  void async_read_some(void* data, std::size_t size, ReadHandler handler) override;
  void async_write(const void* data, std::size_t size, WriteHandler handler) override;
  void close() override;
  void shutdown_send(CloseCause cause) override;
  std::string peer() const override;
  std::optional<ClientCertificate> client_certificate() const override;

 private:
  class Core;
  std::shared_ptr<Core> m_core;
};

}  // namespace cs::net
