#include "cli/bench/client_stream.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>
#include <type_traits>

namespace cs::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

using TlsLayer = ssl::stream<tcp::socket>;

void set_no_delay(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
}

void close_socket(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

// "host:port" for the Host header, an IPv6 address in brackets.
std::string host_header(const BrokerAddress& address) {
  std::string out;
  const bool v6 = address.host.find(':') != std::string::npos;
  if (v6) out.push_back('[');
  out.append(address.host);
  if (v6) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(address.port));
  return out;
}

// Names the broker for SNI (host names only, as RFC 6066 asks) and checks that its certificate
// is for `host`.
void prepare_tls(TlsLayer& stream, const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  if (ec) SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(host));
}

class TcpClientStream final : public ClientStream {
 public:
  explicit TcpClientStream(asio::any_io_executor executor) : m_socket(std::move(executor)) {}

  void async_connect(const tcp::endpoint& endpoint, ConnectHandler done) override {
    m_socket.async_connect(endpoint, [this, done = std::move(done)](boost::system::error_code ec) {
      if (!ec) set_no_delay(m_socket);
      done(ec);
    });
  }
  void async_read_some(void* data, std::size_t size, IoHandler handler) override {
    m_socket.async_read_some(asio::buffer(data, size), std::move(handler));
  }
  void async_write(const void* data, std::size_t size, IoHandler handler) override {
    asio::async_write(m_socket, asio::buffer(data, size), std::move(handler));
  }
  void close() override { close_socket(m_socket); }

 private:
  tcp::socket m_socket;
};

class TlsClientStream final : public ClientStream {
 public:
  TlsClientStream(asio::any_io_executor executor, TlsClientContext context, std::string host)
      : m_context(std::move(context)), m_stream(std::move(executor), *m_context) {
    prepare_tls(m_stream, host);
  }

  void async_connect(const tcp::endpoint& endpoint, ConnectHandler done) override {
    m_stream.next_layer().async_connect(
        endpoint, [this, done = std::move(done)](boost::system::error_code ec) mutable {
          if (ec) return done(ec);
          set_no_delay(m_stream.next_layer());
          m_stream.async_handshake(ssl::stream_base::client, std::move(done));
        });
  }
  void async_read_some(void* data, std::size_t size, IoHandler handler) override {
    m_stream.async_read_some(asio::buffer(data, size), std::move(handler));
  }
  void async_write(const void* data, std::size_t size, IoHandler handler) override {
    asio::async_write(m_stream, asio::buffer(data, size), std::move(handler));
  }
  void close() override { close_socket(m_stream.next_layer()); }

 private:
  TlsClientContext m_context;  // before m_stream, which uses it
  TlsLayer m_stream;
};

// WebSocket on TCP (`Next` = tcp::socket) or on TLS (`Next` = TlsLayer).
template <class Next>
class WsClientStream final : public ClientStream {
 public:
  static constexpr bool k_tls = std::is_same_v<Next, TlsLayer>;

  WsClientStream(asio::any_io_executor executor, TlsClientContext context,
                 const BrokerAddress& address)
      : m_context(std::move(context)),
        m_ws(make_ws(std::move(executor), m_context)),
        m_host(host_header(address)),
        m_path(address.path) {
    if constexpr (k_tls) prepare_tls(m_ws.next_layer(), address.host);
    m_ws.binary(true);
    m_ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(beast::http::field::sec_websocket_protocol, "mqtt");
    }));
  }

  void async_connect(const tcp::endpoint& endpoint, ConnectHandler done) override {
    beast::get_lowest_layer(m_ws).async_connect(
        endpoint, [this, done = std::move(done)](boost::system::error_code ec) mutable {
          if (ec) return done(ec);
          set_no_delay(beast::get_lowest_layer(m_ws));
          if constexpr (k_tls) {
            m_ws.next_layer().async_handshake(
                ssl::stream_base::client,
                [this, done = std::move(done)](boost::system::error_code e) mutable {
                  if (e) return done(e);
                  upgrade(std::move(done));
                });
          } else {
            upgrade(std::move(done));
          }
        });
  }
  void async_read_some(void* data, std::size_t size, IoHandler handler) override {
    m_ws.async_read_some(asio::buffer(data, size), std::move(handler));
  }
  void async_write(const void* data, std::size_t size, IoHandler handler) override {
    m_ws.async_write(asio::buffer(data, size), std::move(handler));
  }
  void close() override { close_socket(beast::get_lowest_layer(m_ws)); }

 private:
  static websocket::stream<Next> make_ws(asio::any_io_executor executor,
                                         const TlsClientContext& context) {
    if constexpr (k_tls) {
      return websocket::stream<Next>(std::move(executor), *context);
    } else {
      return websocket::stream<Next>(std::move(executor));
    }
  }

  void upgrade(ConnectHandler done) { m_ws.async_handshake(m_host, m_path, std::move(done)); }

  TlsClientContext m_context;  // before m_ws, which uses it
  websocket::stream<Next> m_ws;
  std::string m_host;  // the Host header: host:port
  std::string m_path;
};

}  // namespace

Result<TlsClientContext> make_client_tls_context(
    const std::optional<std::filesystem::path>& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  // Thousands of idle clients should not hold 34 KB of TLS buffers each.
  SSL_CTX_set_mode(context->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  boost::system::error_code ec;
  if (ca_file) {
    context->load_verify_file(ca_file->string(), ec);
  } else {
    context->set_default_verify_paths(ec);
  }
  if (ec) {
    std::string message = "cannot load the CA file ";
    message.append(ca_file ? ca_file->string() : std::string("of the system"));
    message.append(": ").append(ec.message());
    return fail(ErrorCode::usage, std::move(message),
                "give a PEM file of the CA that signed the broker's certificate");
  }
  return context;
}

std::unique_ptr<ClientStream> make_client_stream(asio::any_io_executor executor,
                                                 const BrokerAddress& address,
                                                 const TlsClientContext& tls) {
  switch (address.transport) {
    case Transport::tcp:
      break;
    case Transport::tls:
      return std::make_unique<TlsClientStream>(std::move(executor), tls, address.host);
    case Transport::ws:
      return std::make_unique<WsClientStream<tcp::socket>>(std::move(executor), nullptr, address);
    case Transport::wss:
      return std::make_unique<WsClientStream<TlsLayer>>(std::move(executor), tls, address);
  }
  return std::make_unique<TcpClientStream>(std::move(executor));
}

}  // namespace cs::bench
