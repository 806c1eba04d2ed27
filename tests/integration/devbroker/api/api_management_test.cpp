// Users, API keys, access lists and the meta routes through a real socket.

#include <catch2/catch.hpp>

#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;

struct Api {
  DevBroker broker{{}};
  ApiClient admin{broker.http_port(), broker.admin_key()};
  ApiClient anonymous{broker.http_port()};
};

}  // namespace

TEST_CASE("meta routes: health, info and who the caller is", "[integration][api]") {
  Api t;
  auto reply = t.anonymous.get("/healthz");
  CHECK(reply.status == 200);
  CHECK(reply.body == nlohmann::json{{"status", "ok"}});

  reply = t.anonymous.get("/v2/info");
  REQUIRE(reply.status == 200);
  CHECK(reply.body["mqtt_url"] == "mqtt://127.0.0.1:" + std::to_string(t.broker.mqtt_port()));
  CHECK(reply.body["api_url"] == "http://127.0.0.1:" + std::to_string(t.broker.http_port()));
  CHECK(reply.body["wss_url"].get<std::string>().ends_with("/mqtt"));
  CHECK(reply.body["version"].is_string());

  reply = t.admin.get("/v2/me");
  REQUIRE(reply.status == 200);
  CHECK(reply.body["user"].is_null());
  CHECK(reply.body["organization"]["short_id"] == t.broker.org_short_id());

  CHECK(t.anonymous.get("/v2/me").status == 401);
  CHECK(t.admin.with_bearer("sk_live_wrong").get("/v2/me").status == 401);
  reply = t.anonymous.raw("GET", "/v2/me", "", "", {{"Authorization", "Basic YTpi"}});
  CHECK(reply.status == 401);
  CHECK(reply.body["error"] == "unauthorized");

  reply = t.admin.get("/v2/nothing-here");
  CHECK(reply.status == 404);
  CHECK(reply.body["error"] == "not_found");
}

TEST_CASE("users: create, list, log in over MQTT, change password, delete", "[integration][api]") {
  Api t;
  auto reply = t.admin.post("/v2/users", {{"name", "sensor_01"}});
  REQUIRE(reply.status == 201);
  const std::string generated = reply.body["password"];
  CHECK(generated.size() >= 20);
  CHECK(reply.body["mqtt_username"] == "sensor_01@" + t.broker.org_short_id());
  const std::string username = reply.body["mqtt_username"];
  CHECK(mqtt_publish(t.broker, username, generated, "users/sensor_01/t") == 0);

  reply = t.admin.post("/v2/users", {{"name", "chosen"}, {"password", "correct horse battery"}});
  REQUIRE(reply.status == 201);
  CHECK_FALSE(reply.body.contains("password"));

  reply = t.admin.get("/v2/users");
  REQUIRE(reply.status == 200);
  CHECK(reply.body["users"].size() == 2);
  CHECK(reply.text.find("$2") == std::string::npos);  // no bcrypt hash
  reply = t.admin.get("/v2/users?limit=1");
  CHECK(reply.body["users"].size() == 1);
  CHECK(reply.body["next_cursor"] == "1");
  reply = t.admin.get("/v2/users?limit=1&cursor=1");
  CHECK(reply.body["users"].size() == 1);
  CHECK_FALSE(reply.body.contains("next_cursor"));
  CHECK(t.admin.get("/v2/users?limit=0").status == 400);
  CHECK(t.admin.get("/v2/users?cursor=zz").status == 400);

  CHECK(t.admin.post("/v2/users", {{"name", "sensor_01"}}).status == 409);
  CHECK(t.admin.post("/v2/users", {{"name", "bad/name"}}).status == 400);
  CHECK(t.admin.post("/v2/users", {{"name", "x"}, {"password", 5}}).status == 400);

  reply = t.admin.post("/v2/users/sensor_01/password", {{"password", "a new long password"}});
  CHECK(reply.status == 204);
  CHECK(mqtt_publish(t.broker, username, generated, "users/sensor_01/t") != 0);
  CHECK(mqtt_publish(t.broker, username, "a new long password", "users/sensor_01/t") == 0);

  CHECK(t.admin.del("/v2/users/sensor_01").status == 204);
  CHECK(t.admin.del("/v2/users/sensor_01").status == 404);
  CHECK(mqtt_publish(t.broker, username, "a new long password", "users/sensor_01/t") != 0);
  CHECK(t.anonymous.post("/v2/users", {{"name", "x"}}).status == 401);
}

TEST_CASE("keys: restricted scopes, rotation, revocation, allowlists", "[integration][api]") {
  Api t;
  auto reply = t.admin.post(
      "/v2/keys",
      {{"name", "reader"}, {"type", "restricted"}, {"scopes", {"read", "publish:sensors/#"}}});
  REQUIRE(reply.status == 201);
  const std::string reader_key = reply.body["key"];
  const std::string reader_id = reply.body["id"];
  CHECK(reader_key.starts_with("rk_"));
  CHECK(reader_key.starts_with(reply.body["prefix"].get<std::string>()));
  const auto reader = t.admin.with_bearer(reader_key);

  SECTION("a key is shown once; listings hold no secret") {
    reply = t.admin.get("/v2/keys");
    REQUIRE(reply.status == 200);
    CHECK(reply.text.find(reader_key) == std::string::npos);
    CHECK(reply.body["keys"].size() == 2);  // the admin key and this one
  }
  SECTION("scopes narrow what the key may do") {
    CHECK(reader.get("/v2/users").status == 200);
    reply = reader.post("/v2/users", {{"name", "x"}});
    CHECK(reply.status == 403);
    CHECK(reply.body["error"] == "forbidden");
    CHECK(reader.post("/v2/tokens/create", {{"user_email", "a@b.co"}}).status == 403);
    CHECK(reader.post("/v2/keys", {{"name", "x"}, {"type", "secret"}}).status == 403);
  }
  SECTION("use is counted") {
    CHECK(reader.get("/v2/users").status == 200);
    reply = t.admin.get("/v2/keys");
    for (const auto& key : reply.body["keys"]) {
      if (key["id"] == reader_id) {
        CHECK(key["use_count"] == 1);
        CHECK(key["last_used_at"].is_string());
      }
    }
  }
  SECTION("rotation replaces the secret; the old one is dead at once") {
    reply = t.admin.post("/v2/keys/" + reader_id + "/rotate", nlohmann::json::object());
    REQUIRE(reply.status == 200);
    const std::string rotated = reply.body["key"];
    CHECK(rotated != reader_key);
    CHECK(reader.get("/v2/users").status == 401);
    CHECK(t.admin.with_bearer(rotated).get("/v2/users").status == 200);
  }
  SECTION("revocation") {
    CHECK(t.admin.del("/v2/keys/" + reader_id).status == 204);
    CHECK(reader.get("/v2/users").status == 401);
    CHECK(t.admin.del("/v2/keys/key_missing").status == 404);
  }
  SECTION("an IP allowlist that excludes loopback refuses the key") {
    reply = t.admin.post(
        "/v2/keys",
        {{"name", "far"}, {"type", "secret"}, {"ip_allowlist", {"10.0.0.0/8", "2001:db8::/32"}}});
    REQUIRE(reply.status == 201);
    reply = t.admin.with_bearer(reply.body["key"]).get("/v2/users");
    CHECK(reply.status == 403);
    reply = t.admin.post("/v2/keys",
                         {{"name", "near"}, {"type", "secret"}, {"ip_allowlist", {"127.0.0.0/8"}}});
    CHECK(t.admin.with_bearer(reply.body["key"]).get("/v2/users").status == 200);
  }
  SECTION("bad requests") {
    CHECK(t.admin.post("/v2/keys", {{"name", "x"}}).status == 400);
    CHECK(t.admin.post("/v2/keys", {{"name", "x"}, {"type", "admin"}}).status == 400);
    CHECK(t.admin.post("/v2/keys", {{"name", "x"}, {"type", "restricted"}}).status == 400);
    CHECK(t.admin.post("/v2/keys", {{"name", "x"}, {"type", "restricted"}, {"scopes", {"fly"}}})
              .status == 400);
    CHECK(t.admin.post("/v2/keys", {{"name", "x"}, {"type", "secret"}, {"ip_allowlist", {"1.2.3"}}})
              .status == 400);
    CHECK(t.admin.post("/v2/keys", {{"name", "x"}, {"type", "restricted"}, {"scopes", "read"}})
              .status == 400);
  }
}

TEST_CASE("acl: list the starter rule, add, check, remove", "[integration][api]") {
  Api t;
  auto reply = t.admin.get("/v2/acl");
  REQUIRE(reply.status == 200);
  REQUIRE(reply.body["rules"].size() == 1);
  CHECK(reply.body["rules"][0]["user_pattern"] == "%");
  CHECK(reply.body["rules"][0]["topic"] == "users/%u/#");
  CHECK(reply.body["rules"][0]["permission"] == "pubsub");

  reply = t.admin.post("/v2/acl/check", {{"username", "alice@" + t.broker.org_short_id()},
                                         {"topic", "users/alice/x"},
                                         {"action", "pub"}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["allowed"] == true);
  CHECK(reply.body["rule"]["topic"] == "users/%u/#");
  reply = t.admin.post("/v2/acl/check",
                       {{"username", "alice"}, {"topic", "users/bob/x"}, {"action", "sub"}});
  CHECK(reply.body["allowed"] == false);
  CHECK_FALSE(reply.body.contains("rule"));

  reply = t.admin.post("/v2/acl", {{"user_pattern", "alice"},
                                   {"topic", "users/alice/secret/#"},
                                   {"permission", "pub"},
                                   {"effect", "deny"}});
  REQUIRE(reply.status == 201);
  const std::string id = reply.body["id"];
  reply =
      t.admin.post("/v2/acl/check",
                   {{"username", "alice"}, {"topic", "users/alice/secret/k"}, {"action", "pub"}});
  CHECK(reply.body["allowed"] == false);
  CHECK(reply.body["rule"]["id"] == id);

  CHECK(t.admin.del("/v2/acl/" + id).status == 204);
  CHECK(t.admin.del("/v2/acl/" + id).status == 404);
  CHECK(t.admin.post("/v2/acl", {{"user_pattern", "%"}, {"topic", "a/#"}, {"permission", "all"}})
            .status == 400);
  CHECK(t.admin.post("/v2/acl", {{"user_pattern", "%"}, {"topic", "a/#/b"}, {"permission", "pub"}})
            .status == 400);
  CHECK(t.admin
            .post("/v2/acl/check",
                  {{"username", "a@org_other0000000"}, {"topic", "t"}, {"action", "pub"}})
            .status == 404);
  CHECK(t.admin.post("/v2/acl/check", {{"username", "a"}, {"topic", "t"}}).status == 400);
}

}  // namespace cs::test
