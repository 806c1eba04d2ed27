#include "cli/pubsub_identity.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "tests/support/process.h"

namespace {

using cs::cli::BrokerUrls;
using cs::cli::mqtt_client::parse_mqtt_url;
using nlohmann::json;
using namespace std::chrono_literals;

BrokerUrls local_urls() {
  return BrokerUrls{"mqtt://127.0.0.1:1883", "mqtts://localhost:8883", "ws://127.0.0.1:18884/mqtt",
                    "wss://localhost:18885/mqtt", "org_k7xm4pqr2n5t"};
}

bool is_api_broker(const std::string& url) {
  auto parsed = parse_mqtt_url(url);
  REQUIRE(parsed);
  return cs::cli::is_api_broker(*parsed, local_urls());
}

json token_answer() {
  return {{"token_id", "tok_1"},
          {"access_token", "tkn_secret"},
          {"mqtt_username", "ada@org_k7xm4pqr2n5t"},
          {"expires_at", "2026-01-15T14:00:00Z"},
          {"expires_in", 3600},
          {"refresh_recommended_at", "2026-01-15T13:55:00Z"}};
}

}  // namespace

TEST_CASE("/v2/info gives the brokers of an API, and needs the organization",
          "[cli][pubsub_identity]") {
  const json info = {{"mqtt_url", "mqtt://127.0.0.1:1883"},
                     {"mqtts_url", "mqtts://localhost:8883"},
                     {"ws_url", nullptr},
                     {"org_short_id", "org_k7xm4pqr2n5t"}};
  auto urls = cs::cli::broker_urls_from_info(info);
  REQUIRE(urls);
  CHECK(urls->mqtt_url == "mqtt://127.0.0.1:1883");
  CHECK(urls->ws_url.empty());
  CHECK(urls->org_short_id == "org_k7xm4pqr2n5t");
  CHECK_FALSE(cs::cli::broker_urls_from_info(json::array()));
  CHECK_FALSE(cs::cli::broker_urls_from_info({{"mqtt_url", "mqtt://127.0.0.1:1883"}}));
}

TEST_CASE("the default broker is the plain MQTT one, else the first there is",
          "[cli][pubsub_identity]") {
  CHECK(cs::cli::default_broker_url(local_urls()) == "mqtt://127.0.0.1:1883");
  BrokerUrls tls_only{"", "", "", "wss://connect.example.com:18885/mqtt", "org_x"};
  CHECK(cs::cli::default_broker_url(tls_only) == "wss://connect.example.com:18885/mqtt");
  CHECK_FALSE(cs::cli::default_broker_url(BrokerUrls{}));
}

TEST_CASE("only the API's own brokers count as its brokers", "[cli][pubsub_identity]") {
  CHECK(is_api_broker("mqtt://127.0.0.1:1883"));
  CHECK(is_api_broker("mqtt://localhost:1883"));  // localhost is 127.0.0.1 here
  CHECK(is_api_broker("mqtts://127.0.0.1:8883"));
  CHECK(is_api_broker("wss://localhost:18885/other-path"));
  CHECK_FALSE(is_api_broker("mqtt://127.0.0.1:1884"));   // another port
  CHECK_FALSE(is_api_broker("mqtts://127.0.0.1:1883"));  // another scheme on that port
  CHECK_FALSE(is_api_broker("mqtt://127.0.0.2:1883"));   // another host
  CHECK_FALSE(is_api_broker("mqtt://test.mosquitto.org"));
  CHECK_FALSE(cs::cli::is_api_broker(*parse_mqtt_url("mqtt://127.0.0.1:1883"), BrokerUrls{}));
}

TEST_CASE("a token answer gives the credentials and when to refresh them",
          "[cli][pubsub_identity]") {
  auto token = cs::cli::parse_session_token(token_answer());
  REQUIRE(token);
  CHECK(token->token_id == "tok_1");
  CHECK(token->username == "ada@org_k7xm4pqr2n5t");
  CHECK(token->password == "tkn_secret");
  CHECK(token->refresh_after == 3300s);
  // A short token is refreshed at 80 % of its life, as the API recommends; never at once.
  auto short_lived = token_answer();
  short_lived["expires_in"] = 60;
  short_lived["expires_at"] = "2026-01-15T13:01:00Z";
  short_lived["refresh_recommended_at"] = "2026-01-15T13:00:48Z";
  CHECK(cs::cli::parse_session_token(short_lived)->refresh_after == 48s);
  short_lived["refresh_recommended_at"] = "2026-01-15T13:01:00Z";
  short_lived["expires_in"] = 0;
  CHECK(cs::cli::parse_session_token(short_lived)->refresh_after == 1s);
  for (const char* missing : {"token_id", "access_token", "mqtt_username", "expires_at",
                              "expires_in", "refresh_recommended_at"}) {
    INFO(missing);
    auto answer = token_answer();
    answer.erase(missing);
    CHECK_FALSE(cs::cli::parse_session_token(answer));
  }
}

TEST_CASE("with no HOME and nothing configured, pub and sub stay anonymous",
          "[cli][pubsub_identity]") {
  std::ostringstream out, err;
  std::map<std::string, std::string> env;
  cs::cli::Context ctx{out, err, [&env](std::string_view name) -> std::optional<std::string> {
                         const auto it = env.find(std::string(name));
                         if (it == env.end()) return std::nullopt;
                         return it->second;
                       }};
  auto identity = cs::cli::resolve_api_identity({}, std::nullopt, ctx);
  REQUIRE(identity);
  CHECK_FALSE(*identity);
  cs::test::TempDir home;
  env["HOME"] = home.path();
  identity = cs::cli::resolve_api_identity({}, "mqtt://127.0.0.1:1883", ctx);
  REQUIRE(identity);
  CHECK_FALSE(*identity);
  // A profile named explicitly that does not exist is an error, not anonymity.
  cs::cli::ApiFlags flags;
  flags.profile = "work";
  identity = cs::cli::resolve_api_identity(flags, std::nullopt, ctx);
  REQUIRE_FALSE(identity);
  CHECK(identity.error().code == cs::ErrorCode::unauthorized);
}
