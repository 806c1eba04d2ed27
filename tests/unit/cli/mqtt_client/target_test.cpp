#include "cli/mqtt_client/target.h"

#include <catch2/catch.hpp>
#include <map>

using cs::cli::mqtt_client::resolve_target;
using cs::cli::mqtt_client::TargetFlags;
using cs::mqtt::Version;

namespace {

cs::cli::mqtt_client::Getenv env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("target: the default broker with no flags and no environment", "[cli][mqtt_client]") {
  auto t = resolve_target({}, env({}), Version::v5);
  REQUIRE(t);
  CHECK(t->url.text() == "mqtt://127.0.0.1:1883");
  CHECK_FALSE(t->username);
  CHECK_FALSE(t->password);
  CHECK(t->ca_file.empty());
}

TEST_CASE("target: flags win over the environment, which wins over the default",
          "[cli][mqtt_client]") {
  const auto e = env({{"CLOUDSIGNAL_MQTT_URL", "mqtts://env.example"},
                      {"CLOUDSIGNAL_MQTT_USERNAME", "env-user"},
                      {"CLOUDSIGNAL_MQTT_PASSWORD", "env-pass"}});
  auto t = resolve_target({}, e, Version::v5);
  REQUIRE(t);
  CHECK(t->url.text() == "mqtts://env.example:8883");
  CHECK(t->username == "env-user");
  CHECK(t->password == "env-pass");

  TargetFlags flags{"wss://flag.example", "flag-user", "flag-pass", "/tmp/ca.pem"};
  t = resolve_target(flags, e, Version::v5);
  REQUIRE(t);
  CHECK(t->url.text() == "wss://flag.example:443/mqtt");
  CHECK(t->username == "flag-user");
  CHECK(t->password == "flag-pass");
  CHECK(t->ca_file == "/tmp/ca.pem");
}

TEST_CASE("target: empty environment variables count as unset", "[cli][mqtt_client]") {
  auto t = resolve_target(
      {}, env({{"CLOUDSIGNAL_MQTT_URL", ""}, {"CLOUDSIGNAL_MQTT_PASSWORD", ""}}), Version::v311);
  REQUIRE(t);
  CHECK(t->url.text() == "mqtt://127.0.0.1:1883");
  CHECK_FALSE(t->password);
}

TEST_CASE("target: a bad URL names where it came from", "[cli][mqtt_client]") {
  auto t = resolve_target({}, env({{"CLOUDSIGNAL_MQTT_URL", "http://x"}}), Version::v5);
  REQUIRE_FALSE(t);
  CHECK(t.error().code == cs::ErrorCode::usage);
  CHECK(t.error().message ==
        "CLOUDSIGNAL_MQTT_URL: not a broker URL 'http://x': the scheme must be mqtt, mqtts, ws "
        "or wss");
  TargetFlags flags;
  flags.url = "mqtt://";
  t = resolve_target(flags, env({}), Version::v5);
  REQUIRE_FALSE(t);
  CHECK(t.error().message == "--url: not a broker URL 'mqtt://': no host");
}

TEST_CASE("target: --cafile needs a TLS URL", "[cli][mqtt_client]") {
  TargetFlags flags;
  flags.url = "ws://localhost:18884";
  flags.ca_file = "ca.pem";
  auto t = resolve_target(flags, env({}), Version::v5);
  REQUIRE_FALSE(t);
  CHECK(t.error().code == cs::ErrorCode::usage);
  CHECK(t.error().message ==
        "--cafile needs a TLS URL (mqtts:// or wss://), not ws://localhost:18884/mqtt");
}

TEST_CASE("target: MQTT 3.1.1 refuses a password without a username", "[cli][mqtt_client]") {
  TargetFlags flags;
  flags.password = "secret";
  auto t = resolve_target(flags, env({}), Version::v311);
  REQUIRE_FALSE(t);
  CHECK(t.error().code == cs::ErrorCode::usage);
  CHECK(t.error().message == "MQTT 3.1.1 sends a password only with a username");
  CHECK(t.error().message.find("secret") == std::string::npos);
  CHECK(resolve_target(flags, env({}), Version::v5));
  // The environment's password counts too.
  t = resolve_target({}, env({{"CLOUDSIGNAL_MQTT_PASSWORD", "p"}}), Version::v311);
  CHECK_FALSE(t);
}
