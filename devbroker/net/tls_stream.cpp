#include "devbroker/net/tls_stream.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"

namespace cs::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

class TlsStream::Core {
 public:
  Core(tcp::socket socket, TlsContextPtr context)
      : m_peer(remote_text(socket)),
        m_context(std::move(context)),
        m_stream(std::move(socket), *m_context),
        m_timer(m_stream.get_executor()) {
    boost::system::error_code ignored;
    m_stream.lowest_layer().set_option(tcp::no_delay(true), ignored);
  }

  std::string m_peer;
  TlsContextPtr m_context;  // before m_stream, which uses it
  ssl::stream<tcp::socket> m_stream;
  asio::steady_timer m_timer;
  std::optional<ClientCertificate> m_client;
  bool m_handshake_done = false;
  bool m_closed = false;
};

TlsStream::TlsStream(tcp::socket socket, TlsContextPtr context)
    : m_core(std::make_shared<Core>(std::move(socket), std::move(context))) {}

TlsStream::~TlsStream() = default;

void TlsStream::async_start(std::function<void(boost::system::error_code)> done) {
  m_core->m_stream.async_handshake(
      ssl::stream_base::server,
      [core = m_core, done = std::move(done)](boost::system::error_code ec) {
        if (!ec) {
          core->m_handshake_done = true;
          core->m_client = verified_client_certificate(core->m_stream.native_handle());
        } else {
          log_refused_client_certificate(core->m_stream.native_handle(), core->m_peer);
        }
        done(ec);
      });
}

// Each handler holds the core, so the SSL stream outlives operations still pending at close().
void TlsStream::async_read_some(void* data, std::size_t size, ReadHandler handler) {
  m_core->m_stream.async_read_some(
      asio::buffer(data, size),
      [core = m_core, handler = std::move(handler)](boost::system::error_code ec, std::size_t n) {
        handler(ec, n);
      });
}

void TlsStream::async_write(const void* data, std::size_t size, WriteHandler handler) {
  asio::async_write(m_core->m_stream, asio::buffer(data, size),
                    [core = m_core, handler = std::move(handler)](
                        boost::system::error_code ec, std::size_t n) { handler(ec, n); });
}

void TlsStream::close() {
  Core& core = *m_core;
  if (core.m_closed) return;
  core.m_closed = true;
  if (core.m_handshake_done) return close_tls_gracefully(m_core, core.m_stream, core.m_timer);
  boost::system::error_code ignored;
  core.m_stream.lowest_layer().close(ignored);
}

std::string TlsStream::peer() const {
  return m_core->m_peer;
}

std::optional<ClientCertificate> TlsStream::client_certificate() const {
  return m_core->m_client;
}

void log_refused_client_certificate(SSL* ssl, const std::string& peer) {
  const auto why = client_certificate_failure(ssl);
  if (why.empty() || !log::enabled(log::Level::info)) return;
  std::string line = "client certificate from ";
  line.append(peer).append(" refused: ").append(why);
  log::info(line);
}

std::string remote_text(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint_text(endpoint);
}

}  // namespace cs::net
