#include "cli/mqtt_client/url.h"

#include <catch2/catch.hpp>

using cs::cli::mqtt_client::parse_mqtt_url;
using cs::cli::mqtt_client::Scheme;

namespace {

std::string refusal(std::string_view text) {
  auto url = parse_mqtt_url(text);
  REQUIRE_FALSE(url);
  CHECK(url.error().code == cs::ErrorCode::usage);
  return url.error().message;
}

}  // namespace

TEST_CASE("broker URLs: each scheme with its default port", "[cli][mqtt_client]") {
  struct Case {
    const char* text;
    Scheme scheme;
    int port;
    const char* canonical;
    const char* paho;
  };
  for (const Case& c : {
           Case{"mqtt://broker.example", Scheme::mqtt, 1883, "mqtt://broker.example:1883",
                "tcp://broker.example:1883"},
           Case{"mqtts://broker.example", Scheme::mqtts, 8883, "mqtts://broker.example:8883",
                "ssl://broker.example:8883"},
           Case{"ws://broker.example", Scheme::ws, 80, "ws://broker.example:80/mqtt",
                "ws://broker.example:80/mqtt"},
           Case{"wss://broker.example", Scheme::wss, 443, "wss://broker.example:443/mqtt",
                "wss://broker.example:443/mqtt"},
       }) {
    INFO(c.text);
    auto url = parse_mqtt_url(c.text);
    REQUIRE(url);
    CHECK(url->scheme == c.scheme);
    CHECK(url->port == c.port);
    CHECK(url->text() == c.canonical);
    CHECK(url->paho_uri() == c.paho);
  }
}

TEST_CASE("broker URLs: ports, IPv6 hosts and WebSocket paths", "[cli][mqtt_client]") {
  auto url = parse_mqtt_url("mqtt://127.0.0.1:2883");
  REQUIRE(url);
  CHECK(url->host == "127.0.0.1");
  CHECK(url->port == 2883);
  CHECK_FALSE(url->tls());
  CHECK(url->path.empty());

  url = parse_mqtt_url("mqtts://[::1]:8884/");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->tls());
  CHECK(url->paho_uri() == "ssl://[::1]:8884");

  url = parse_mqtt_url("wss://localhost:18885/");
  REQUIRE(url);
  CHECK(url->path == "/");
  CHECK(url->paho_uri() == "wss://localhost:18885/");

  url = parse_mqtt_url("ws://localhost:18884/custom/path?tenant=7");
  REQUIRE(url);
  CHECK(url->path == "/custom/path?tenant=7");
  CHECK(url->text() == "ws://localhost:18884/custom/path?tenant=7");

  url = parse_mqtt_url("ws://localhost?x=1");
  REQUIRE(url);
  CHECK(url->path == "/?x=1");
}

TEST_CASE("broker URLs: what is refused and why", "[cli][mqtt_client]") {
  CHECK(refusal("localhost:1883") == "not a broker URL 'localhost:1883': no scheme");
  CHECK(refusal("http://localhost") ==
        "not a broker URL 'http://localhost': the scheme must be mqtt, mqtts, ws or wss");
  CHECK(refusal("tcp://localhost") ==
        "not a broker URL 'tcp://localhost': the scheme must be mqtt, mqtts, ws or wss");
  CHECK(refusal("mqtt://") == "not a broker URL 'mqtt://': no host");
  CHECK(refusal("mqtt://:1883") == "not a broker URL 'mqtt://:1883': no host");
  CHECK(refusal("mqtt://host:0") ==
        "not a broker URL 'mqtt://host:0': the port must be from 1 to 65535");
  CHECK(refusal("mqtt://host:65536").ends_with("the port must be from 1 to 65535"));
  CHECK(refusal("mqtt://host:").ends_with("the port must be from 1 to 65535"));
  CHECK(refusal("mqtt://host:12a").ends_with("the port must be from 1 to 65535"));
  CHECK(refusal("mqtt://host/topic") ==
        "not a broker URL 'mqtt://host/topic': mqtt:// and mqtts:// URLs have no path");
  CHECK(refusal("ws://host/a#frag").ends_with("fragments are not allowed"));
  CHECK(refusal("mqtt://[::1").ends_with("unclosed '['"));
  CHECK(refusal("mqtt://[::1]x").ends_with("junk after the IPv6 address"));
  CHECK(refusal("mqtt://ho st").ends_with("the host has a forbidden character"));
  CHECK(refusal("ws://host/a b").ends_with("the path has a space or control character"));
}

TEST_CASE("broker URLs: credentials in the URL are refused without echoing them",
          "[cli][mqtt_client]") {
  auto url = parse_mqtt_url("mqtt://alice:s3cret@host");
  REQUIRE_FALSE(url);
  CHECK(url.error().code == cs::ErrorCode::usage);
  CHECK(url.error().message == "credentials in the broker URL are not accepted");
  CHECK(url.error().hint.find("-u and -P") != std::string::npos);
}
