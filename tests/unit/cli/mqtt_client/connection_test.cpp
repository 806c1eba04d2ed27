#include "cli/mqtt_client/connection.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

using namespace cs::cli::mqtt_client;

namespace {

struct Env {
  std::ostringstream out, err;
  std::istringstream in;
  std::map<std::string, std::string> vars;
  cs::cli::Context ctx{out, err, [this](std::string_view name) -> std::optional<std::string> {
                         auto it = vars.find(std::string(name));
                         if (it == vars.end()) return std::nullopt;
                         return it->second;
                       }};
  explicit Env(std::string input = {}) : in(std::move(input)) { ctx.in = &in; }
};

}  // namespace

TEST_CASE("connection: defaults are MQTT 5, keep-alive 60, a random cs-cli- id",
          "[cli][mqtt_client]") {
  Env env;
  auto s = resolve_connection(ConnectionOptions{}, env.ctx);
  REQUIRE(s);
  CHECK(s->version == cs::mqtt::Version::v5);
  CHECK(s->keepalive == 60);
  CHECK(s->target.url.text() == "mqtt://127.0.0.1:1883");
  REQUIRE(s->client_id.size() == 15);
  CHECK(s->client_id.starts_with("cs-cli-"));
  CHECK(s->client_id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789", 7) ==
        std::string::npos);
  auto other = resolve_connection(ConnectionOptions{}, env.ctx);
  CHECK(other->client_id != s->client_id);
}

TEST_CASE("connection: -P - reads the first line of stdin and leaves the rest",
          "[cli][mqtt_client]") {
  Env env("sk_secret\r\nfirst message\n");
  ConnectionOptions o;
  o.username = "backend@org_x";
  o.password = "-";
  o.client_id = "me";
  o.mqtt_version = 3;
  auto s = resolve_connection(o, env.ctx);
  REQUIRE(s);
  CHECK(s->target.password == "sk_secret");
  CHECK(s->client_id == "me");
  CHECK(s->version == cs::mqtt::Version::v311);
  std::string rest;
  std::getline(env.in, rest);
  CHECK(rest == "first message");
}

TEST_CASE("connection: -P - with nothing on stdin is a usage error", "[cli][mqtt_client]") {
  Env env("");
  ConnectionOptions o;
  o.password = "-";
  auto s = resolve_connection(o, env.ctx);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == cs::ErrorCode::usage);
  CHECK(s.error().message == "-P - reads the password from stdin, but stdin is empty");
  env.ctx.in = nullptr;
  CHECK_FALSE(resolve_connection(o, env.ctx));
}

TEST_CASE("connection: the password comes from the environment when no flag gives it",
          "[cli][mqtt_client]") {
  Env env;
  env.vars = {{"CLOUDSIGNAL_MQTT_USERNAME", "u"},
              {"CLOUDSIGNAL_MQTT_PASSWORD", "p"},
              {"CLOUDSIGNAL_MQTT_URL", "wss://localhost:18885/mqtt"}};
  auto s = resolve_connection(ConnectionOptions{}, env.ctx);
  REQUIRE(s);
  CHECK(s->target.username == "u");
  CHECK(s->target.password == "p");
  CHECK(s->target.url.text() == "wss://localhost:18885/mqtt");
}

TEST_CASE("connection: version, keep-alive and client id are checked", "[cli][mqtt_client]") {
  ConnectionOptions o;
  o.mqtt_version = 4;
  CHECK(check_connection(o).error().message == "--mqtt-version must be 3 (3.1.1) or 5 (5.0)");
  o = {};
  o.keepalive = 65536;
  CHECK(check_connection(o).error().message == "--keepalive must be from 0 to 65535 seconds");
  o.keepalive = -1;
  CHECK_FALSE(check_connection(o));
  o = {};
  o.client_id = std::string("a\0b", 3);
  CHECK(check_connection(o).error().message ==
        "-i must be UTF-8 text without U+0000, at most 65535 bytes");
  o.keepalive = 0;
  o.client_id = "ok";
  CHECK(check_connection(o));
}

TEST_CASE("connection: a --cafile that cannot be read is named", "[cli][mqtt_client]") {
  Env env;
  ConnectionOptions o;
  o.url = "mqtts://localhost";
  o.ca_file = "/nonexistent/ca.pem";
  auto s = resolve_connection(o, env.ctx);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == cs::ErrorCode::io);
  CHECK(s.error().message == "cannot read --cafile /nonexistent/ca.pem: No such file or directory");
}
