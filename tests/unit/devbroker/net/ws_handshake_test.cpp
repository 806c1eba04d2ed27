#include "devbroker/net/ws_handshake.h"

#include <catch2/catch.hpp>

using cs::net::decide_ws_handshake;
using cs::net::normalize_origin;
using cs::net::WsPolicy;
using cs::net::WsRequest;

namespace {

WsRequest upgrade(std::string_view target = "/mqtt",
                  std::optional<std::string_view> subprotocols = "mqtt") {
  WsRequest r;
  r.target = target;
  r.is_upgrade = true;
  r.subprotocols = subprotocols;
  return r;
}

const WsPolicy k_any_origin{};
const WsPolicy k_app_only{{"https://app.example.com", "http://localhost:5173"}};

}  // namespace

TEST_CASE("WebSocket upgrades are served on / and /mqtt only", "[ws]") {
  for (const char* target : {"/", "/mqtt", "/mqtt?token=x", "/?a=b"}) {
    INFO(target);
    CHECK(decide_ws_handshake(upgrade(target), k_any_origin).status == 101);
  }
  for (const char* target : {"/mqtt/", "/MQTT", "/ws", "", "/mqtt/../x", "http://h/mqtt"}) {
    INFO(target);
    const auto d = decide_ws_handshake(upgrade(target), k_any_origin);
    CHECK(d.status == 404);
    CHECK(d.reason == "MQTT over WebSocket is served on / and /mqtt only");
  }
}

TEST_CASE("a plain HTTP request is answered 426, after the path check", "[ws]") {
  auto r = upgrade("/");
  r.is_upgrade = false;
  const auto d = decide_ws_handshake(r, k_any_origin);
  CHECK(d.status == 426);
  CHECK(d.reason == "this port serves MQTT over WebSocket; send a WebSocket upgrade request");
  r.target = "/favicon.ico";
  CHECK(decide_ws_handshake(r, k_any_origin).status == 404);
}

TEST_CASE("the subprotocol answered is the one the client offered", "[ws]") {
  CHECK(decide_ws_handshake(upgrade("/mqtt", "mqtt"), k_any_origin).subprotocol == "mqtt");
  CHECK(decide_ws_handshake(upgrade("/mqtt", "mqttv3.1"), k_any_origin).subprotocol == "mqttv3.1");
  // "mqtt" is preferred whatever the order.
  CHECK(decide_ws_handshake(upgrade("/mqtt", "mqttv3.1, mqtt"), k_any_origin).subprotocol ==
        "mqtt");
  CHECK(decide_ws_handshake(upgrade("/mqtt", " chat ,\tmqtt "), k_any_origin).subprotocol ==
        "mqtt");
  // No offer, or an empty header: served without a subprotocol.
  for (auto offered : {std::optional<std::string_view>{}, std::optional<std::string_view>{""},
                       std::optional<std::string_view>{" , "}}) {
    const auto d = decide_ws_handshake(upgrade("/mqtt", offered), k_any_origin);
    CHECK(d.status == 101);
    CHECK(d.subprotocol.empty());
  }
}

TEST_CASE("offering only unknown subprotocols is refused with 400", "[ws]") {
  for (const char* offered : {"wamp", "MQTT", "mqttv5, chat", "mqtt3.1"}) {
    INFO(offered);
    const auto d = decide_ws_handshake(upgrade("/mqtt", offered), k_any_origin);
    CHECK(d.status == 400);
    CHECK(d.reason == "no supported WebSocket subprotocol offered; offer \"mqtt\"");
  }
}

TEST_CASE("with allowed origins, other Origin headers get 403", "[ws]") {
  auto r = upgrade();
  for (const char* origin : {"https://app.example.com", "HTTPS://APP.example.com:443",
                             "https://app.example.com/", "http://localhost:5173"}) {
    INFO(origin);
    r.origin = origin;
    CHECK(decide_ws_handshake(r, k_app_only).status == 101);
  }
  for (const char* origin : {"https://evil.example.com", "http://app.example.com",
                             "https://app.example.com:8443", "null", "", "http://localhost"}) {
    INFO(origin);
    r.origin = origin;
    const auto d = decide_ws_handshake(r, k_app_only);
    CHECK(d.status == 403);
    CHECK(d.reason == "this origin is not allowed to connect");
  }
  // No Origin header (not a browser): allowed. Without a list: every origin is.
  r.origin.reset();
  CHECK(decide_ws_handshake(r, k_app_only).status == 101);
  r.origin = "https://evil.example.com";
  CHECK(decide_ws_handshake(r, k_any_origin).status == 101);
}

TEST_CASE("the checks run in their written order", "[ws]") {
  WsRequest r;
  r.target = "/nope";
  r.is_upgrade = false;
  r.origin = "https://evil.example.com";
  r.subprotocols = "wamp";
  CHECK(decide_ws_handshake(r, k_app_only).status == 404);
  r.target = "/mqtt";
  CHECK(decide_ws_handshake(r, k_app_only).status == 426);
  r.is_upgrade = true;
  CHECK(decide_ws_handshake(r, k_app_only).status == 403);
  r.origin = "https://app.example.com";
  CHECK(decide_ws_handshake(r, k_app_only).status == 400);
  r.subprotocols = "mqtt";
  CHECK(decide_ws_handshake(r, k_app_only).status == 101);
}

TEST_CASE("origins are normalised as browsers serialise them", "[ws]") {
  const std::pair<const char*, const char*> table[] = {
      {"https://app.example.com", "https://app.example.com"},
      {"HTTPS://App.Example.COM/", "https://app.example.com"},
      {"https://app.example.com:443", "https://app.example.com"},
      {"http://localhost:80", "http://localhost"},
      {"http://localhost:5173", "http://localhost:5173"},
      {"https://localhost:80", "https://localhost:80"},
      {"http://[::1]:8080", "http://[::1]:8080"},
      {"chrome-extension://abcdef", "chrome-extension://abcdef"},
  };
  for (const auto& [input, expected] : table) {
    INFO(input);
    const auto r = normalize_origin(input);
    REQUIRE(r);
    CHECK(*r == expected);
  }
  for (const char* bad :
       {"", "null", "app.example.com", "https://", "https://a/b", "https://a:0", "https://a:99999",
        "https://a:x", "https://u@a", "1http://a", "https://a b"}) {
    INFO(bad);
    const auto r = normalize_origin(bad);
    REQUIRE_FALSE(r);
    std::string expected = "not an origin like https://app.example.com: '";
    expected.append(bad).push_back('\'');
    CHECK(r.error().message == expected);
  }
}
