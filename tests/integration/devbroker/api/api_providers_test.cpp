// Identity providers and the token exchange through a real socket: a Supabase-shaped HS256
// token and dev identity provider tokens, exchanged for credentials a real MQTT client uses.

#include <catch2/catch.hpp>
#include <chrono>

#include "common/crypto/bytes.h"
#include "common/jwt/sign.h"
#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_project = "https://proj-test.supabase.co";
constexpr const char* k_secret = "a-supabase-jwt-secret-of-at-least-32-bytes";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string supabase_token(const std::string& sub, const std::string& email,
                           std::int64_t exp_offset = 3600, const char* secret = k_secret) {
  const std::string text = secret;
  auto key = jwt::Key::from_secret(as_bytes(text));
  const auto now = unix_now();
  nlohmann::json claims = {{"iss", std::string(k_project) + "/auth/v1"},
                           {"aud", "authenticated"},
                           {"sub", sub},
                           {"email", email},
                           {"role", "authenticated"},
                           {"iat", now - 10},
                           {"exp", now + exp_offset}};
  return *jwt::sign(jwt::Alg::hs256, *key, claims);
}

struct Api {
  DevBroker broker{{}};
  ApiClient admin{broker.http_port(), broker.admin_key()};
  ApiClient anonymous{broker.http_port()};
  std::string org_id = anonymous.get("/v2/info").body["organization_id"];

  std::string add_supabase() {
    const auto reply = admin.post(
        "/v2/providers", {{"type", "supabase"},
                          {"name", "main"},
                          {"config", {{"project_url", k_project}, {"jwt_secret", k_secret}}}});
    REQUIRE(reply.status == 201);
    return reply.body["id"];
  }
};

}  // namespace

TEST_CASE("providers: create, list without secrets, get, update, delete", "[integration][api]") {
  Api t;
  const std::string id = t.add_supabase();
  auto reply = t.admin.get("/v2/providers/" + id);
  REQUIRE(reply.status == 200);
  CHECK(reply.body["type"] == "supabase");
  CHECK(reply.text.find(k_secret) == std::string::npos);

  reply = t.anonymous.get("/v2/providers?organization_id=" + t.org_id);
  REQUIRE(reply.status == 200);
  REQUIRE(reply.body["providers"].size() == 1);
  CHECK(reply.body["providers"][0] ==
        nlohmann::json{{"id", id}, {"type", "supabase"}, {"name", "main"}, {"enabled", true}});
  CHECK(reply.header("Access-Control-Allow-Origin") == "*");
  CHECK(t.admin.get("/v2/providers").text.find(k_secret) == std::string::npos);
  CHECK(t.anonymous.get("/v2/providers?organization_id=00000000-0000-4000-8000-000000000000")
            .status == 404);

  reply = t.admin.patch("/v2/providers/" + id, {{"enabled", false}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["enabled"] == false);
  CHECK(t.anonymous.get("/v2/providers").body["providers"].empty());

  CHECK(
      t.admin
          .post("/v2/providers",
                {{"type", "supabase"}, {"name", "main"}, {"config", {{"project_url", k_project}}}})
          .status == 409);
  CHECK(t.admin.post("/v2/providers", {{"type", "okta"}, {"name", "x"}}).status == 400);
  CHECK(
      t.admin
          .post("/v2/providers",
                {{"type", "oidc"}, {"name", "x"}, {"config", {{"issuer", "http://evil.example"}}}})
          .status == 400);
  CHECK(t.anonymous.post("/v2/providers", {{"type", "oidc"}}).status == 401);
  CHECK(t.admin.del("/v2/providers/" + id).status == 204);
  CHECK(t.admin.get("/v2/providers/" + id).status == 404);
}

TEST_CASE("exchange: the browser flow infers the provider from iss, the credentials work",
          "[integration][api]") {
  Api t;
  t.add_supabase();
  // TokenManager.exchangeToken: organization_id and token, no Authorization, no provider.
  auto reply = t.anonymous.post(
      "/v2/tokens/exchange",
      {{"organization_id", t.org_id}, {"token", supabase_token("u-1", "Jane.Doe@Example.com")}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["provider"] == "supabase");
  CHECK(reply.header("Access-Control-Allow-Origin") == "*");
  const std::string username = reply.body["mqtt_credentials"]["username"];
  CHECK(username == "Jane_Doe_Example_com@" + t.broker.org_short_id());
  CHECK(mqtt_publish(t.broker, username, reply.body["access_token"],
                     "users/Jane_Doe_Example_com/x") == 0);

  SECTION("the same identity keeps its name; another identity with that email gets a suffix") {
    reply = t.admin.post(
        "/v2/tokens/exchange",
        {{"provider", "supabase"}, {"token", supabase_token("u-1", "Jane.Doe@Example.com")}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body["mqtt_username"] == username);
    reply = t.anonymous.post(
        "/v2/tokens/exchange",
        {{"organization_id", t.org_id}, {"token", supabase_token("u-2", "Jane.Doe@Example.com")}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body["mqtt_username"] != username);
  }
  SECTION("a bound name is refused to a new native user, through the API and the CLI") {
    reply = t.admin.post("/v2/users", {{"name", "Jane_Doe_Example_com"}});
    CHECK(reply.status == 409);
    CHECK(reply.body["error"] == "conflict");
    CHECK(reply.text.find("belongs to an identity signed in through an identity provider") !=
          std::string::npos);
    TempDir home;
    const auto cli = run_process({cloudsignal_binary(), "--dev", "--dev-dir", t.broker.data_dir(),
                                  "users", "add", "Jane_Doe_Example_com"},
                                 20s, {},
                                 {{"HOME", home.path()},
                                  {"CLOUDSIGNAL_API_KEY", ""},
                                  {"CLOUDSIGNAL_API_URL", ""},
                                  {"CLOUDSIGNAL_PROFILE", ""}});
    CHECK(cli.exit_code == 5);  // conflict
    CHECK(cli.err.find("belongs to an identity signed in through an identity provider") !=
          std::string::npos);
    CHECK(t.admin.get("/v2/users").body["users"].empty());
    // The identity still signs in under its name.
    reply = t.anonymous.post(
        "/v2/tokens/exchange",
        {{"organization_id", t.org_id}, {"token", supabase_token("u-1", "Jane.Doe@Example.com")}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body["mqtt_username"] == username);
  }
  SECTION("a native user's name is never bound: the identity gets a suffix") {
    REQUIRE(t.admin.post("/v2/users", {{"name", "sam_example_com"}, {"password", "sam-pass-1234"}})
                .status == 201);
    reply = t.anonymous.post(
        "/v2/tokens/exchange",
        {{"organization_id", t.org_id}, {"token", supabase_token("u-3", "sam@example.com")}});
    REQUIRE(reply.status == 200);
    const std::string name = reply.body["mqtt_username"];
    CHECK(name.starts_with("sam_example_com_"));
    CHECK(name.ends_with("@" + t.broker.org_short_id()));
  }
  SECTION("refusals carry IDENTITY.md's reason") {
    reply = t.anonymous.post(
        "/v2/tokens/exchange",
        {{"organization_id", t.org_id}, {"token", supabase_token("u-1", "a@b.co", -120)}});
    CHECK(reply.status == 401);
    CHECK(reply.body["error"] == "token_expired");
    reply = t.anonymous.post(
        "/v2/tokens/exchange",
        {{"organization_id", t.org_id},
         {"token", supabase_token("u-1", "a@b.co", 3600, "another-secret-that-is-long-enough!!")}});
    CHECK(reply.status == 401);
    CHECK(reply.body["error"] == "invalid_token");
    CHECK(reply.body["reason"] == "bad_signature");
    reply = t.anonymous.post("/v2/tokens/exchange",
                             {{"organization_id", t.org_id}, {"token", "not.a.jwt"}});
    CHECK(reply.status == 401);
    CHECK(reply.body["reason"] == "malformed");
    reply = t.admin.post("/v2/tokens/exchange",
                         {{"provider", "auth0"}, {"token", supabase_token("u-1", "a@b.co")}});
    CHECK(reply.status == 404);
    CHECK(reply.body["error"] == "provider_not_found");
    reply = t.admin.post("/v2/tokens/exchange",
                         {{"provider", "okta"}, {"token", supabase_token("u-1", "a@b.co")}});
    CHECK(reply.status == 400);
    reply = t.anonymous.post("/v2/tokens/exchange", {{"token", supabase_token("u-1", "a@b.co")}});
    CHECK(reply.status == 400);
  }
}

TEST_CASE("provider test and dev identity provider tokens", "[integration][api]") {
  Api t;
  const std::string id = t.add_supabase();
  auto reply =
      t.admin.post("/v2/providers/" + id + "/test", {{"token", supabase_token("u-9", "t@x.io")}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["valid"] == true);
  CHECK(reply.body["mqtt_username"] == "t_x_io@" + t.broker.org_short_id());
  reply = t.admin.post("/v2/providers/" + id + "/test",
                       {{"token", supabase_token("u-9", "t@x.io", -100)}});
  CHECK(reply.body["valid"] == false);
  CHECK(reply.body["reason"] == "expired");

  // The dev identity provider makes a Firebase-shaped token (and the provider that trusts it).
  reply = t.admin.post("/v2/dev/idp-token", {{"provider", "firebase"}, {"email", "dev@x.io"}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["provider_created"] == true);
  CHECK(reply.body["provider"]["name"] == "dev-firebase");
  reply = t.anonymous.post("/v2/tokens/exchange",
                           {{"organization_id", t.org_id}, {"token", reply.body["token"]}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body["provider"] == "firebase");
  CHECK(mqtt_publish(t.broker, reply.body["mqtt_username"], reply.body["access_token"],
                     "users/dev_x_io/x") == 0);
  CHECK(t.anonymous.post("/v2/dev/idp-token", {{"provider", "firebase"}, {"email", "a@b.c"}})
            .status == 401);
}

}  // namespace cs::test
