#pragma once
// MQTT over TLS (MQTTS): the server side of a TLS connection over TCP, via Asio and OpenSSL.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "devbroker/net/stream.h"
#include "devbroker/net/tls_context.h"

namespace cs::net {

/// How long a closing TLS connection waits for the peer's close_notify.
inline constexpr std::chrono::milliseconds k_tls_close_grace{500};

class TlsStream final : public Stream {
 public:
  /// Serves the TLS connection arriving on `socket` with `context`.
  TlsStream(boost::asio::ip::tcp::socket socket, TlsContextPtr context);
  ~TlsStream() override;
  /// Runs the TLS handshake (and the client certificate check the context asks for).
  void async_start(std::function<void(boost::system::error_code)> done) override;
  void async_read_some(void* data, std::size_t size, ReadHandler handler) override;
  void async_write(const void* data, std::size_t size, WriteHandler handler) override;
  /// Sends close_notify (once the handshake is done) and closes the socket shortly after.
  void close() override;
  std::string peer() const override;
  std::optional<ClientCertificate> client_certificate() const override;

 private:
  class Core;
  std::shared_ptr<Core> m_core;
};

/// Cancels what is pending on `stream`, sends close_notify and closes the socket once the peer
/// answers or after k_tls_close_grace; `owner` keeps `stream` and `timer` alive meanwhile.
template <class Next>
void close_tls_gracefully(std::shared_ptr<void> owner, boost::asio::ssl::stream<Next>& stream,
                          boost::asio::steady_timer& timer) {
  boost::system::error_code ignored;
  stream.lowest_layer().cancel(ignored);
  // Runs after the cancelled operations have completed, so the shutdown has the stream to itself.
  boost::asio::post(stream.get_executor(), [owner = std::move(owner), &stream, &timer] {
    auto close_socket = [&stream] {
      boost::system::error_code ignored_too;
      stream.lowest_layer().close(ignored_too);
    };
    timer.expires_after(k_tls_close_grace);
    timer.async_wait([owner, close_socket](boost::system::error_code ec) {
      if (!ec) close_socket();
    });
    stream.async_shutdown([owner, close_socket, &timer](boost::system::error_code) {
      timer.cancel();
      close_socket();
    });
  });
}

/// After a failed handshake on `ssl`, logs why `peer`'s client certificate was refused, if it
/// was (the handshake error alone says only "certificate verify failed").
void log_refused_client_certificate(SSL* ssl, const std::string& peer);

/// The remote endpoint of `socket` as endpoint_text(), or "unknown".
std::string remote_text(const boost::asio::ip::tcp::socket& socket);

}  // namespace cs::net
