// The token routes through a real socket, and the credentials they issue used by a real MQTT
// client (mosquitto_pub / mosquitto_sub).

#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;

struct TokenApi {
  DevBroker broker{{}};
  ApiClient admin{broker.http_port(), broker.admin_key()};
  ApiClient anonymous{broker.http_port()};
};

}  // namespace

TEST_CASE("tokens/create answers the shape the JS client and the docs read", "[integration][api]") {
  TokenApi t;
  const auto reply = t.admin.post("/v2/tokens/create", {{"user_email", "john@example.com"}});
  REQUIRE(reply.status == 200);
  const auto& b = reply.body;
  CHECK(b["access_token"].get<std::string>().starts_with("tkn_"));
  CHECK(b["access_token"] == b["mqtt_credentials"]["password"]);
  CHECK(b["mqtt_password"] == b["access_token"]);
  CHECK(b["mqtt_username"] == "john_example_com@" + t.broker.org_short_id());
  CHECK(b["mqtt_credentials"]["username"] == b["mqtt_username"]);
  CHECK(b["provider"] == "native");
  CHECK(b["user_email"] == "john@example.com");
  CHECK(b["expires_in"] == 3600);
  CHECK(b["token_id"].is_string());
  CHECK(b["organization_id"].is_string());
  CHECK(b["expires_at"].get<std::string>().ends_with("Z"));
  CHECK(b["refresh_recommended_at"].get<std::string>() < b["expires_at"].get<std::string>());
  CHECK(reply.header("Cache-Control") == "no-store");

  SECTION("the credentials work over MQTT, on the user's own topics only") {
    const std::string user = b["mqtt_username"];
    const std::string password = b["access_token"];
    CHECK(mqtt_publish(t.broker, user, password, "users/john_example_com/x") == 0);
    CHECK(mqtt_publish(t.broker, user, password + "x", "users/john_example_com/x") != 0);
  }
  SECTION("replace_existing (the default) revokes the user's earlier token") {
    const auto again = t.admin.post("/v2/tokens/create", {{"user_email", "john@example.com"}});
    REQUIRE(again.status == 200);
    CHECK(mqtt_publish(t.broker, b["mqtt_username"], b["access_token"],
                       "users/john_example_com/x") != 0);
    CHECK(mqtt_publish(t.broker, again.body["mqtt_username"], again.body["access_token"],
                       "users/john_example_com/x") == 0);
  }
}

TEST_CASE("tokens/create takes the JS client's secret_key and checks every field",
          "[integration][api]") {
  TokenApi t;
  SECTION("secret_key in the body instead of a header") {
    const auto reply = t.anonymous.post("/v2/tokens/create", {{"secret_key", t.broker.admin_key()},
                                                              {"user_email", "a@b.co"},
                                                              {"ttl_seconds", 120},
                                                              {"integration_id", "web"}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body["expires_in"] == 120);
    CHECK(reply.header("Access-Control-Allow-Origin") == "*");
  }
  SECTION("no credential at all is 401, a wrong one too") {
    auto reply = t.anonymous.post("/v2/tokens/create", {{"user_email", "a@b.co"}});
    CHECK(reply.status == 401);
    CHECK(reply.body["error"] == "unauthorized");
    reply = t.anonymous.post("/v2/tokens/create", {{"secret_key", t.broker.admin_key() + "x"},
                                                   {"user_email", "a@b.co"}});
    CHECK(reply.status == 401);
    reply = t.admin.with_bearer("sk_nope").post("/v2/tokens/create", {{"user_email", "a@b.co"}});
    CHECK(reply.status == 401);
    CHECK(reply.text.find("sk_nope") == std::string::npos);
  }
  SECTION("bad bodies are 400 with a sentence naming the field") {
    auto reply = t.admin.post("/v2/tokens/create", nlohmann::json::object());
    CHECK(reply.status == 400);
    CHECK(reply.body["error"] == "invalid_request");
    CHECK(reply.body["error_description"] == "\"user_email\" is required");
    reply = t.admin.post("/v2/tokens/create", {{"user_email", 42}});
    CHECK(reply.body["error_description"] == "\"user_email\" must be a string");
    reply = t.admin.post("/v2/tokens/create", {{"user_email", "a@b.co"}, {"ttl_seconds", 10}});
    CHECK(reply.status == 400);
    CHECK(reply.body["error_description"] == "\"ttl_seconds\" must be between 60 and 86400");
    reply = t.admin.post("/v2/tokens/create", {{"user_email", "a@b.co"}, {"ttl_seconds", "60"}});
    CHECK(reply.status == 400);
    reply = t.admin.post("/v2/tokens/create", {{"user_email", "a@b.co"}, {"replace_existing", 1}});
    CHECK(reply.status == 400);
    reply = t.admin.raw("POST", "/v2/tokens/create", "{not json", "application/json");
    CHECK(reply.status == 400);
    CHECK(reply.body["error_description"] == "the request body is not valid JSON");
    reply = t.admin.raw("POST", "/v2/tokens/create", "[1]", "application/json");
    CHECK(reply.body["error_description"] == "the request body must be a JSON object");
    reply =
        t.admin.raw("POST", "/v2/tokens/create", std::string(200 * 1024, ' '), "application/json");
    CHECK(reply.status == 400);
    CHECK(reply.body["error"] == "invalid_request");
  }
  SECTION("null means absent") {
    const auto reply = t.admin.post(
        "/v2/tokens/create",
        {{"user_email", "a@b.co"}, {"ttl_seconds", nullptr}, {"integration_id", nullptr}});
    CHECK(reply.status == 200);
    CHECK(reply.body["expires_in"] == 3600);
  }
  SECTION("another organization is 404") {
    const auto reply = t.admin.post(
        "/v2/tokens/create",
        {{"user_email", "a@b.co"}, {"organization_id", "00000000-0000-4000-8000-000000000000"}});
    CHECK(reply.status == 404);
    CHECK(reply.body["error"] == "org_not_found");
  }
}

TEST_CASE("tokens/refresh gives a new password and kills the old one at once",
          "[integration][api]") {
  TokenApi t;
  const auto created = t.admin.post("/v2/tokens/create", {{"user_email", "r@x.io"}});
  REQUIRE(created.status == 200);
  const std::string id = created.body["token_id"];
  const std::string old_password = created.body["access_token"];
  const std::string user = created.body["mqtt_username"];

  const auto refreshed = t.anonymous.post(
      "/v2/tokens/refresh", {{"token_id", id}, {"current_token_password", old_password}});
  REQUIRE(refreshed.status == 200);
  CHECK(refreshed.body["token_id"] == id);
  CHECK(refreshed.body["access_token"] != old_password);
  CHECK(mqtt_publish(t.broker, user, old_password, "users/r_x_io/a") != 0);
  CHECK(mqtt_publish(t.broker, user, refreshed.body["access_token"], "users/r_x_io/a") == 0);

  auto reply = t.anonymous.post("/v2/tokens/refresh",
                                {{"token_id", id}, {"current_token_password", old_password}});
  CHECK(reply.status == 401);
  reply = t.anonymous.post("/v2/tokens/refresh", {{"token_id", id}});
  CHECK(reply.status == 400);
}

TEST_CASE("listing shows no passwords, revoking ends the live MQTT session", "[integration][api]") {
  TokenApi t;
  const auto created = t.admin.post("/v2/tokens/create", {{"user_email", "live@x.io"}});
  REQUIRE(created.status == 200);
  const std::string password = created.body["access_token"];

  const auto list = t.admin.get("/v2/tokens");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["tokens"].size() == 1);
  CHECK(list.body["tokens"][0]["token_id"] == created.body["token_id"]);
  CHECK(list.text.find("tkn_") == std::string::npos);
  CHECK(t.anonymous.get("/v2/tokens").status == 401);

  BackgroundProcess sub({"mosquitto_sub", "-h", "127.0.0.1", "-p",
                         std::to_string(t.broker.mqtt_port()), "-V", "5", "-u",
                         created.body["mqtt_username"], "-P", password, "-t", "users/live_x_io/#"});
  std::this_thread::sleep_for(500ms);
  REQUIRE_FALSE(sub.wait(0ms));
  const auto revoked = t.admin.del("/v2/tokens/" + created.body["token_id"].get<std::string>());
  CHECK(revoked.status == 204);
  CHECK(revoked.text.empty());
  CHECK(sub.wait(2s).has_value());
  CHECK(t.admin.get("/v2/tokens").body["tokens"].empty());
  CHECK(t.admin.del("/v2/tokens/tok_missing").status == 404);
}

}  // namespace cs::test
