// MQTT over WebSocket against `cloudsignal dev`, with a Beast client and raw HTTP: the upgrade
// and its refusals, subprotocols, origins, framing, control frames and close codes.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/support/dev_broker.h"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;
using cs::test::DevBroker;

namespace {

constexpr auto k_timeout = 5s;

// Runs `io` until `done` or the timeout; false on timeout.
bool run_until(asio::io_context& io, const bool& done) {
  const auto deadline = std::chrono::steady_clock::now() + k_timeout;
  io.restart();
  while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
  return done;
}

// Sends `request` as it is and returns the server's answer: up to the end of the headers for
// an upgrade (101), else everything until the server closes the connection.
std::string http_exchange(int port, const std::string& request) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
  asio::write(socket, asio::buffer(request));
  std::string answer;
  bool done = false;
  asio::async_read_until(socket, asio::dynamic_buffer(answer), "\r\n\r\n",
                         [&](boost::system::error_code, std::size_t) { done = true; });
  REQUIRE(run_until(io, done));
  if (answer.rfind("HTTP/1.1 101 ", 0) == 0) return answer;
  done = false;
  asio::async_read(socket, asio::dynamic_buffer(answer),
                   [&](boost::system::error_code, std::size_t) { done = true; });
  REQUIRE(run_until(io, done));  // closed by the server
  return answer;
}

std::string upgrade_request(const std::string& target, const std::string& extra_headers) {
  return "GET " + target +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
         extra_headers + "\r\n";
}

std::string status_line(const std::string& answer) {
  return answer.substr(0, answer.find("\r\n"));
}

cs::Bytes encode(const cs::mqtt::Packet& packet) {
  cs::Bytes out;
  cs::mqtt::encode(packet, cs::mqtt::Version::v311, out);
  return out;
}

// A WebSocket client over loopback whose every operation gives up after k_timeout.
class WsClient {
 public:
  explicit WsClient(int port) : m_ws(m_io) {
    m_ws.next_layer().connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    m_ws.binary(true);
    m_ws.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong) ++pongs;
    });
  }

  boost::system::error_code handshake(const std::string& target,
                                      const std::string& subprotocols = "mqtt") {
    m_ws.set_option(websocket::stream_base::decorator([subprotocols](websocket::request_type& r) {
      if (!subprotocols.empty()) r.set(http::field::sec_websocket_protocol, subprotocols);
    }));
    return wait([&](auto handler) {
      m_ws.async_handshake(response, "127.0.0.1", target, std::move(handler));
    });
  }

  boost::system::error_code send(const cs::Bytes& bytes) {
    return wait([&](auto handler) {
      m_ws.async_write(asio::buffer(bytes), [handler](auto ec, std::size_t) { handler(ec); });
    });
  }

  // Sends `bytes` as one message of several frames, cut at `cuts`.
  boost::system::error_code send_fragmented(const cs::Bytes& bytes,
                                            const std::vector<std::size_t>& cuts) {
    std::size_t from = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
      const std::size_t to = i < cuts.size() ? cuts[i] : bytes.size();
      const bool last = i == cuts.size();
      auto ec = wait([&](auto handler) {
        m_ws.async_write_some(last, asio::buffer(bytes.data() + from, to - from),
                              [handler](auto e, std::size_t) { handler(e); });
      });
      if (ec) return ec;
      from = to;
    }
    return {};
  }

  // Writes `bytes` on the TCP connection as they are, outside any WebSocket frame.
  boost::system::error_code send_raw(const cs::Bytes& bytes) {
    return wait([&](auto handler) {
      asio::async_write(m_ws.next_layer(), asio::buffer(bytes),
                        [handler](auto e, std::size_t) { handler(e); });
    });
  }

  boost::system::error_code send_text(const std::string& text) {
    m_ws.text(true);
    auto ec = wait([&](auto handler) {
      m_ws.async_write(asio::buffer(text), [handler](auto e, std::size_t) { handler(e); });
    });
    m_ws.text(false);
    return ec;
  }

  boost::system::error_code ping() {
    return wait([&](auto handler) { m_ws.async_ping({}, std::move(handler)); });
  }

  // Reads messages until `count` whole MQTT packets arrived (or an error, kept in `error`).
  std::vector<cs::mqtt::Packet> packets(std::size_t count) {
    std::vector<cs::mqtt::Packet> out;
    while (out.size() < count) {
      if (auto packet = next_buffered()) {
        out.push_back(std::move(*packet));
        continue;
      }
      beast::flat_buffer message;
      error = wait([&](auto handler) {
        m_ws.async_read(message, [handler](auto ec, std::size_t) { handler(ec); });
      });
      if (error) break;
      const auto* data = static_cast<const std::uint8_t*>(message.data().data());
      m_input.insert(m_input.end(), data, data + message.size());
    }
    return out;
  }

  websocket::close_reason close_reason() const { return m_ws.reason(); }
  bool is_open() const { return m_ws.is_open(); }

  websocket::response_type response;
  boost::system::error_code error;
  int pongs = 0;

 private:
  template <class Start>
  boost::system::error_code wait(Start start) {
    bool done = false;
    boost::system::error_code result;
    start([&](boost::system::error_code ec) {
      result = ec;
      done = true;
    });
    if (!run_until(m_io, done)) return asio::error::timed_out;
    return result;
  }

  std::optional<cs::mqtt::Packet> next_buffered() {
    const cs::ByteView view(m_input.data(), m_input.size());
    auto header = cs::mqtt::read_fixed_header(view, 1 << 20);
    if (!header || !*header || m_input.size() < (*header)->total_size()) return std::nullopt;
    auto packet = cs::mqtt::decode(
        **header, view.subspan((*header)->header_size, (*header)->remaining_length),
        cs::mqtt::Version::v311);
    REQUIRE(packet);
    m_input.erase(m_input.begin(), m_input.begin() + static_cast<long>((*header)->total_size()));
    return std::move(*packet);
  }

  asio::io_context m_io;
  websocket::stream<tcp::socket> m_ws;
  cs::Bytes m_input;
};

cs::mqtt::Connect connect_packet(const std::string& client_id) {
  cs::mqtt::Connect c;
  c.version = cs::mqtt::Version::v311;
  c.client_id = client_id;
  c.keep_alive = 30;
  return c;
}

}  // namespace

TEST_CASE("a plain HTTP request on the WebSocket port gets 426 and is closed",
          "[integration][ws]") {
  DevBroker dev;
  const auto answer = http_exchange(dev.ws_port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(status_line(answer) == "HTTP/1.1 426 Upgrade Required");
  CHECK(answer.find("\r\nUpgrade: websocket\r\n") != std::string::npos);
  CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
  CHECK(answer.find("this port serves MQTT over WebSocket") != std::string::npos);

  CHECK(status_line(http_exchange(dev.ws_port(), "not http at all\r\n\r\n")) ==
        "HTTP/1.1 400 Bad Request");
}

TEST_CASE("WebSocket upgrades elsewhere than / and /mqtt get 404", "[integration][ws]") {
  DevBroker dev;
  const auto answer = http_exchange(dev.ws_port(), upgrade_request("/ws", ""));
  CHECK(status_line(answer) == "HTTP/1.1 404 Not Found");
  CHECK(answer.find("served on / and /mqtt only") != std::string::npos);
}

TEST_CASE("the server answers the subprotocol the client offered", "[integration][ws]") {
  DevBroker dev;
  const std::pair<const char*, const char*> table[] = {
      {"mqtt", "mqtt"}, {"mqttv3.1", "mqttv3.1"}, {"mqttv3.1, mqtt", "mqtt"}, {"", ""}};
  for (const auto& [offered, answered] : table) {
    INFO("offered: " << offered);
    for (const char* path : {"/", "/mqtt"}) {
      WsClient client(dev.ws_port());
      REQUIRE_FALSE(client.handshake(path, offered));
      CHECK(std::string(client.response[http::field::sec_websocket_protocol]) == answered);
    }
  }
  const auto answer =
      http_exchange(dev.ws_port(), upgrade_request("/mqtt", "Sec-WebSocket-Protocol: wamp\r\n"));
  CHECK(status_line(answer) == "HTTP/1.1 400 Bad Request");
}

TEST_CASE("with --ws-allowed-origin, other origins get 403", "[integration][ws]") {
  DevBroker dev({"--allow-anonymous", "--ws-allowed-origin", "http://localhost:5173",
                 "--ws-allowed-origin", "https://app.example.com"});
  for (const char* origin : {"http://localhost:5173", "https://app.example.com"}) {
    const auto answer = http_exchange(
        dev.ws_port(), upgrade_request("/mqtt", std::string("Origin: ") + origin + "\r\n"));
    CHECK(status_line(answer) == "HTTP/1.1 101 Switching Protocols");
  }
  const auto answer =
      http_exchange(dev.ws_port(), upgrade_request("/mqtt", "Origin: https://evil.example\r\n"));
  CHECK(status_line(answer) == "HTTP/1.1 403 Forbidden");
  CHECK(answer.find("this origin is not allowed to connect") != std::string::npos);
  // Not a browser: no Origin header.
  CHECK(status_line(http_exchange(dev.ws_port(), upgrade_request("/mqtt", ""))) ==
        "HTTP/1.1 101 Switching Protocols");
}

TEST_CASE("MQTT packets may be split across WebSocket messages and frames, or share one",
          "[integration][ws]") {
  DevBroker dev;
  WsClient client(dev.ws_port());
  REQUIRE_FALSE(client.handshake("/mqtt"));

  // CONNECT in two messages, the second one in three frames.
  const auto connect = encode(connect_packet("ws-split"));
  REQUIRE_FALSE(client.send(cs::Bytes(connect.begin(), connect.begin() + 3)));
  REQUIRE_FALSE(client.send_fragmented(cs::Bytes(connect.begin() + 3, connect.end()), {1, 4}));
  auto got = client.packets(1);
  REQUIRE(got.size() == 1);
  REQUIRE(std::holds_alternative<cs::mqtt::Connack>(got[0]));
  CHECK(std::get<cs::mqtt::Connack>(got[0]).reason_code == 0);

  // SUBSCRIBE and a PUBLISH to the same topic in one message.
  cs::mqtt::Subscribe subscribe;
  subscribe.packet_id = 1;
  cs::mqtt::SubscriptionRequest request;
  request.filter = "ws/topic";
  subscribe.subscriptions.push_back(request);
  cs::mqtt::Publish publish;
  publish.topic = "ws/topic";
  publish.payload = cs::Bytes{'h', 'i'};
  auto both = encode(subscribe);
  const auto second = encode(publish);
  both.insert(both.end(), second.begin(), second.end());
  REQUIRE_FALSE(client.send(both));
  got = client.packets(2);
  REQUIRE(got.size() == 2);
  CHECK(std::holds_alternative<cs::mqtt::Suback>(got[0]));
  REQUIRE(std::holds_alternative<cs::mqtt::Publish>(got[1]));
  CHECK(std::get<cs::mqtt::Publish>(got[1]).topic == "ws/topic");
  CHECK(std::get<cs::mqtt::Publish>(got[1]).payload == cs::Bytes{'h', 'i'});
}

TEST_CASE("pings are answered, and the broker closes with 1000 after DISCONNECT",
          "[integration][ws]") {
  DevBroker dev;
  WsClient client(dev.ws_port());
  REQUIRE_FALSE(client.handshake("/"));
  REQUIRE_FALSE(client.send(encode(connect_packet("ws-ping"))));
  REQUIRE(client.packets(1).size() == 1);

  REQUIRE_FALSE(client.ping());
  REQUIRE_FALSE(client.send(encode(cs::mqtt::Pingreq{})));
  const auto got = client.packets(1);  // PINGRESP, which comes after the pong
  REQUIRE(got.size() == 1);
  CHECK(std::holds_alternative<cs::mqtt::Pingresp>(got[0]));
  CHECK(client.pongs == 1);

  REQUIRE_FALSE(client.send(encode(cs::mqtt::Disconnect{})));
  CHECK(client.packets(1).empty());
  CHECK(client.error == websocket::error::closed);
  CHECK(client.close_reason().code == websocket::close_code::normal);
}

TEST_CASE("a text message closes the connection with 1003", "[integration][ws]") {
  DevBroker dev;
  WsClient client(dev.ws_port());
  REQUIRE_FALSE(client.handshake("/mqtt"));
  REQUIRE_FALSE(client.send_text("{\"hello\": 1}"));
  CHECK(client.packets(1).empty());
  CHECK(client.error == websocket::error::closed);
  CHECK(client.close_reason().code == websocket::close_code::unknown_data);
}

TEST_CASE("a message beyond the maximum packet size closes the connection with 1009",
          "[integration][ws]") {
  DevBroker dev;
  WsClient client(dev.ws_port());
  REQUIRE_FALSE(client.handshake("/mqtt"));
  // Only the header of a masked binary frame announcing 1 MiB + 65 KiB: more than the maximum
  // packet size plus its 64 KiB slack, so the server refuses it before any payload. (A client
  // still sending the payload could miss the close frame: the server then stops reading.)
  const std::uint64_t length = 1024 * 1024 + 65 * 1024;
  cs::Bytes header = {0x82, 0x80 | 127};
  for (int shift = 56; shift >= 0; shift -= 8) {
    header.push_back(static_cast<std::uint8_t>(length >> shift));
  }
  header.insert(header.end(), {0x11, 0x22, 0x33, 0x44});  // the mask key
  REQUIRE_FALSE(client.send_raw(header));
  CHECK(client.packets(1).empty());
  CHECK(client.error == websocket::error::closed);
  CHECK(client.close_reason().code == websocket::close_code::too_big);
}

TEST_CASE("a malformed WebSocket frame closes the connection with 1002", "[integration][ws]") {
  DevBroker dev;
  // RFC 6455 5.1: a client masks every frame; 5.2: reserved bits stay 0 without an extension;
  // opcode 0x3 is reserved.
  const std::vector<std::pair<const char*, cs::Bytes>> frames = {
      {"unmasked binary frame", {0x82, 0x02, 0x10, 0x00}},
      {"RSV1 set", {0xC2, 0x80, 0x11, 0x22, 0x33, 0x44}},
      {"reserved opcode", {0x83, 0x80, 0x11, 0x22, 0x33, 0x44}},
  };
  for (const auto& [what, frame] : frames) {
    INFO(what);
    WsClient client(dev.ws_port());
    REQUIRE_FALSE(client.handshake("/mqtt"));
    REQUIRE_FALSE(client.send_raw(frame));
    CHECK(client.packets(1).empty());
    CHECK(client.error == websocket::error::closed);
    CHECK(client.close_reason().code == websocket::close_code::protocol_error);
  }
}

TEST_CASE("an MQTT protocol violation inside a valid message closes with 1002",
          "[integration][ws]") {
  DevBroker dev;
  SECTION("a first packet that is not CONNECT") {
    WsClient client(dev.ws_port());
    REQUIRE_FALSE(client.handshake("/mqtt"));
    REQUIRE_FALSE(client.send(encode(cs::mqtt::Pingreq{})));
    CHECK(client.packets(1).empty());
    CHECK(client.error == websocket::error::closed);
    CHECK(client.close_reason().code == websocket::close_code::protocol_error);
  }
  SECTION("a second CONNECT") {
    WsClient client(dev.ws_port());
    REQUIRE_FALSE(client.handshake("/mqtt"));
    REQUIRE_FALSE(client.send(encode(connect_packet("ws-twice"))));
    REQUIRE(client.packets(1).size() == 1);
    REQUIRE_FALSE(client.send(encode(connect_packet("ws-twice"))));
    CHECK(client.packets(1).empty());
    CHECK(client.error == websocket::error::closed);
    CHECK(client.close_reason().code == websocket::close_code::protocol_error);
  }
  SECTION("a malformed packet: reserved flags of SUBSCRIBE not 0010") {
    WsClient client(dev.ws_port());
    REQUIRE_FALSE(client.handshake("/mqtt"));
    REQUIRE_FALSE(client.send(encode(connect_packet("ws-flags"))));
    REQUIRE(client.packets(1).size() == 1);
    REQUIRE_FALSE(client.send(cs::Bytes{0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00}));
    CHECK(client.packets(1).empty());
    CHECK(client.error == websocket::error::closed);
    CHECK(client.close_reason().code == websocket::close_code::protocol_error);
  }
}

TEST_CASE("a refused CONNECT closes with 1008 after its CONNACK", "[integration][ws]") {
  DevBroker dev(std::vector<std::string>{});  // anonymous clients are not allowed
  WsClient client(dev.ws_port());
  REQUIRE_FALSE(client.handshake("/mqtt"));
  REQUIRE_FALSE(client.send(encode(connect_packet("ws-nobody"))));
  const auto got = client.packets(2);
  REQUIRE(got.size() == 1);
  REQUIRE(std::holds_alternative<cs::mqtt::Connack>(got[0]));
  CHECK(std::get<cs::mqtt::Connack>(got[0]).reason_code == 5);  // 3.1.1: not authorized
  CHECK(client.error == websocket::error::closed);
  CHECK(client.close_reason().code == websocket::close_code::policy_error);
}

TEST_CASE("a session taken over by a new connection closes the old one with 1000",
          "[integration][ws]") {
  DevBroker dev;
  WsClient first(dev.ws_port());
  REQUIRE_FALSE(first.handshake("/mqtt"));
  REQUIRE_FALSE(first.send(encode(connect_packet("ws-same-id"))));
  REQUIRE(first.packets(1).size() == 1);
  WsClient second(dev.ws_port());
  REQUIRE_FALSE(second.handshake("/mqtt"));
  REQUIRE_FALSE(second.send(encode(connect_packet("ws-same-id"))));
  REQUIRE(second.packets(1).size() == 1);
  CHECK(first.packets(1).empty());
  CHECK(first.error == websocket::error::closed);
  CHECK(first.close_reason().code == websocket::close_code::normal);
}
