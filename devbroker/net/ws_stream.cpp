#include "devbroker/net/ws_stream.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <optional>
#include <type_traits>

#include "common/log.h"
#include "devbroker/mqtt/wire.h"
#include "devbroker/net/coalescing_socket.h"
#include "devbroker/net/tls_stream.h"

namespace cs::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

using TlsLayer = ssl::stream<CoalescingSocket>;
using Done = std::function<void(boost::system::error_code)>;

// Errors this transport reports to the host: a refused upgrade (the HTTP status) or a text
// message where MQTT needs binary.
constexpr int k_text_message = 1;

// Boost's error_category has a protected non-virtual destructor by design; categories are
// never deleted through a base pointer.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class WsErrorCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "cloudsignal.websocket"; }
  std::string message(int value) const override {
    if (value == k_text_message) return "text WebSocket message; MQTT travels in binary ones";
    return "WebSocket upgrade refused with HTTP " + std::to_string(value);
  }
};
#pragma GCC diagnostic pop

boost::system::error_code ws_error(int value) {
  static const WsErrorCategory category;
  return {value, category};
}

std::string_view view(beast::string_view text) {
  return {text.data(), text.size()};
}

bool connection_gone(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec.category() != http::make_error_code(http::error::end_of_stream).category();
}

}  // namespace

std::uint16_t ws_close_code(CloseCause cause) {
  switch (cause) {
    case CloseCause::normal:
      return websocket::close_code::normal;
    case CloseCause::going_away:
      return websocket::close_code::going_away;
    case CloseCause::protocol_error:
      return websocket::close_code::protocol_error;
    case CloseCause::policy_violation:
      return websocket::close_code::policy_error;
    case CloseCause::too_big:
      return websocket::close_code::too_big;
    case CloseCause::server_error:
      return websocket::close_code::internal_error;
  }
  return websocket::close_code::normal;
}

std::size_t first_packet_size(ByteView bytes) {
  if (bytes.size() < 2) return bytes.size();
  const auto length = mqtt::wire::read_varint(bytes.subspan(1));
  if (length.status != mqtt::wire::VarintStatus::ok) return bytes.size();
  const std::size_t total = 1 + length.size + length.value;
  return total <= bytes.size() ? total : bytes.size();
}

// The WebSocket side shared by WS and WSS; `Next` is the TCP socket or the TLS stream on it,
// with a CoalescingSocket at the bottom: the packets of one write of the host leave together.
// Handlers hold a shared_ptr to the core, so it outlives operations pending at close().
template <class Next>
class WsCore : public std::enable_shared_from_this<WsCore<Next>> {
 public:
  static constexpr bool k_tls = std::is_same_v<Next, TlsLayer>;

  WsCore(tcp::socket socket, std::shared_ptr<const WsSettings> settings) requires(!k_tls)
      : m_peer(remote_text(socket)),
        m_settings(std::move(settings)),
        m_ws(std::move(socket)),
        m_timer(m_ws.get_executor()) {
    set_no_delay();
  }

  WsCore(tcp::socket socket, TlsContextPtr context,
         std::shared_ptr<const WsSettings> settings) requires k_tls
      : m_peer(remote_text(socket)),
        m_settings(std::move(settings)),
        m_context(std::move(context)),
        m_ws(std::move(socket), *m_context),
        m_timer(m_ws.get_executor()) {
    set_no_delay();
  }

  void start(Done done) {
    if constexpr (k_tls) {
      m_ws.next_layer().async_handshake(
          ssl::stream_base::server, [self = this->shared_from_this(),
                                     done = std::move(done)](boost::system::error_code ec) mutable {
            if (ec) {
              log_refused_client_certificate(self->m_ws.next_layer().native_handle(), self->m_peer);
              return done(ec);
            }
            self->m_tls_done = true;
            self->m_client = verified_client_certificate(self->m_ws.next_layer().native_handle());
            self->read_request(std::move(done));
          });
    } else {
      read_request(std::move(done));
    }
  }

  void read_some(void* data, std::size_t size, ReadHandler handler) {
    m_ws.async_read_some(asio::buffer(data, size),
                         [self = this->shared_from_this(), handler = std::move(handler)](
                             boost::system::error_code ec, std::size_t n) {
                           // MQTT 5.0 section 6.0: data in any other frame than binary closes the
                           // connection.
                           if (!ec && self->m_ws.got_text()) {
                             self->m_close_code = websocket::close_code::unknown_data;
                             return handler(ws_error(k_text_message), 0);
                           }
                           handler(ec, n);
                         });
  }

  // One WebSocket message per packet (Paho C 1.3 reads only the first packet of a message
  // until more bytes arrive), all of them sent together.
  void write(const void* data, std::size_t size, WriteHandler handler) {
    socket().begin_batch();
    write_packets(static_cast<const std::uint8_t*>(data), size, 0, std::move(handler));
  }

  // Frames the packets in data[offset, size), in order, then sends the batch.
  void write_packets(const std::uint8_t* data, std::size_t size, std::size_t offset,
                     WriteHandler handler) {
    const std::size_t length = first_packet_size(ByteView(data + offset, size - offset));
    m_ws.async_write(
        asio::buffer(data + offset, length),
        [self = this->shared_from_this(), data, size, offset, length, handler = std::move(handler)](
            boost::system::error_code ec, std::size_t n) mutable {
          if (!ec && offset + length < size) {
            return self->write_packets(data, size, offset + length, std::move(handler));
          }
          // Framed so far: offset + n bytes of the packets; they count once they are sent.
          self->socket().flush([handler = std::move(handler), framed_ec = ec,
                                written = offset + n](boost::system::error_code flush_ec) {
            const auto result = framed_ec ? framed_ec : flush_ec;
            handler(result, written);
          });
        });
  }

  // A text message already chose its code (1003); anything else says why the broker closes.
  void close(CloseCause cause) {
    if (m_close_code == websocket::close_code::normal) {
      m_close_code = static_cast<websocket::close_code>(ws_close_code(cause));
    }
    close();
  }

  void close() {
    if (m_closing) return;
    m_closing = true;
    auto self = this->shared_from_this();
    if (m_ws.is_open()) {
      m_timer.expires_after(k_ws_close_grace);
      m_timer.async_wait([self](boost::system::error_code ec) {
        if (!ec) self->close_socket();
      });
      m_ws.async_close(m_close_code, [self](boost::system::error_code) {
        self->m_timer.cancel();
        self->close_socket();
      });
      return;
    }
    // Never upgraded (refused, failed, timed out), or already closed by the peer.
    if constexpr (k_tls) {
      if (m_tls_done) return close_tls_gracefully(self, m_ws.next_layer(), m_timer);
    }
    close_socket();
  }

  const std::string& peer() const { return m_peer; }
  const std::optional<ClientCertificate>& client() const { return m_client; }

 private:
  CoalescingSocket& socket() {
    if constexpr (k_tls) {
      return m_ws.next_layer().next_layer();
    } else {
      return m_ws.next_layer();
    }
  }

  void set_no_delay() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(m_ws).set_option(tcp::no_delay(true), ignored);
  }

  void close_socket() {
    boost::system::error_code ignored;
    auto& socket = beast::get_lowest_layer(m_ws);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  void read_request(Done done) {
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(k_ws_max_request_header));
    http::async_read_header(
        m_ws.next_layer(), m_buffer, *m_parser,
        [self = this->shared_from_this(), done = std::move(done)](boost::system::error_code ec,
                                                                  std::size_t) mutable {
          if (ec && connection_gone(ec)) return done(ec);
          if (ec) {
            return self->refuse(WsDecision{400, {}, "malformed HTTP request"}, std::move(done));
          }
          self->on_request(std::move(done));
        });
  }

  void on_request(Done done) {
    const auto& request = m_parser->get();
    WsRequest facts;
    facts.target = view(request.target());
    facts.is_upgrade = websocket::is_upgrade(request);
    if (auto origin = request.find(http::field::origin); origin != request.end()) {
      facts.origin = view(origin->value());
    }
    // Several Sec-WebSocket-Protocol headers are one comma-separated list (RFC 6455 4.1).
    std::string offered;
    const auto [first, last] = request.equal_range(http::field::sec_websocket_protocol);
    for (auto it = first; it != last; ++it) {
      if (it != first) offered.push_back(',');
      offered.append(view(it->value()));
    }
    if (first != last) facts.subprotocols = offered;

    const WsDecision decision = decide_ws_handshake(facts, m_settings->policy);
    if (!decision.upgrade()) return refuse(decision, std::move(done));
    m_ws.set_option(websocket::stream_base::decorator(
        [subprotocol = decision.subprotocol](websocket::response_type& response) {
          response.set(http::field::server, "cloudsignal");
          if (!subprotocol.empty()) response.set(http::field::sec_websocket_protocol, subprotocol);
        }));
    m_ws.read_message_max(m_settings->max_message_size);
    m_ws.binary(true);
    m_ws.async_accept(request, [self = this->shared_from_this(), done = std::move(done)](
                                   boost::system::error_code ec) { done(ec); });
  }

  void refuse(const WsDecision& decision, Done done) {
    if (log::enabled(log::Level::debug)) {
      std::string line = "websocket: ";
      line.append(m_peer).append(": ").append(decision.reason);
      log::debug(line);
    }
    auto& response = m_response.emplace(static_cast<http::status>(decision.status), 11);
    response.set(http::field::server, "cloudsignal");
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    if (decision.status == 426) {
      response.set(http::field::upgrade, "websocket");
      response.set(http::field::sec_websocket_version, "13");
    }
    response.keep_alive(false);
    response.body() = decision.reason;
    response.body().push_back('\n');
    response.prepare_payload();
    http::async_write(
        m_ws.next_layer(), response,
        [self = this->shared_from_this(), done = std::move(done),
         status = static_cast<int>(decision.status)](boost::system::error_code ec, std::size_t) {
          done(ec ? ec : ws_error(status));
        });
  }

  std::string m_peer;
  std::shared_ptr<const WsSettings> m_settings;
  TlsContextPtr m_context;  // WSS only; before m_ws, which uses it
  websocket::stream<Next> m_ws;
  asio::steady_timer m_timer;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::empty_body>> m_parser;
  std::optional<http::response<http::string_body>> m_response;
  std::optional<ClientCertificate> m_client;
  websocket::close_code m_close_code = websocket::close_code::normal;
  bool m_tls_done = false;
  bool m_closing = false;
};

class WsStream::Core : public WsCore<CoalescingSocket> {
 public:
  using WsCore<CoalescingSocket>::WsCore;
};

class WssStream::Core : public WsCore<TlsLayer> {
 public:
  using WsCore<TlsLayer>::WsCore;
};

WsStream::WsStream(tcp::socket socket, std::shared_ptr<const WsSettings> settings)
    : m_core(std::make_shared<Core>(std::move(socket), std::move(settings))) {}

WsStream::~WsStream() = default;

void WsStream::async_start(std::function<void(boost::system::error_code)> done) {
  m_core->start(std::move(done));
}

void WsStream::async_read_some(void* data, std::size_t size, ReadHandler handler) {
  m_core->read_some(data, size, std::move(handler));
}

void WsStream::async_write(const void* data, std::size_t size, WriteHandler handler) {
  m_core->write(data, size, std::move(handler));
}

void WsStream::close() {
  m_core->close();
}

void WsStream::shutdown_send(CloseCause cause) {
  m_core->close(cause);
}

std::string WsStream::peer() const {
  return m_core->peer();
}

WssStream::WssStream(tcp::socket socket, TlsContextPtr context,
                     std::shared_ptr<const WsSettings> settings)
    : m_core(std::make_shared<Core>(std::move(socket), std::move(context), std::move(settings))) {}

WssStream::~WssStream() = default;

void WssStream::async_start(std::function<void(boost::system::error_code)> done) {
  m_core->start(std::move(done));
}

void WssStream::async_read_some(void* data, std::size_t size, ReadHandler handler) {
  m_core->read_some(data, size, std::move(handler));
}

void WssStream::async_write(const void* data, std::size_t size, WriteHandler handler) {
  m_core->write(data, size, std::move(handler));
}

void WssStream::close() {
  m_core->close();
}

void WssStream::shutdown_send(CloseCause cause) {
  m_core->close(cause);
}

std::string WssStream::peer() const {
  return m_core->peer();
}

std::optional<ClientCertificate> WssStream::client_certificate() const {
  return m_core->client();
}

}  // namespace cs::net
