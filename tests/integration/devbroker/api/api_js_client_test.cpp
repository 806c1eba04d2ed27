// The CloudSignal JavaScript client's TokenManager calls the token routes with fixed bodies
// (JSON.stringify drops undefined fields) and a Content-Type header on every request, and reads
// fixed fields back. These requests are sent byte for byte as it sends them.

#include <catch2/catch.hpp>

#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

// The fields TokenManager._storeToken reads, with the types it expects.
void check_stored_fields(const nlohmann::json& b) {
  CHECK(b["token_id"].is_string());
  CHECK(b["access_token"].is_string());
  CHECK(b["mqtt_credentials"]["username"].is_string());
  CHECK(b["mqtt_credentials"]["password"] == b["access_token"]);
  CHECK(b["user_email"].is_string());
  CHECK(b["provider"].is_string());
  CHECK(b["expires_at"].is_string());
  CHECK(b["refresh_recommended_at"].is_string());
}

}  // namespace

TEST_CASE("the JS client's createToken, refreshToken and getProviders requests",
          "[integration][api]") {
  DevBroker broker{{}};
  const ApiClient client(broker.http_port());
  const auto info = client.get("/v2/info");
  const std::string org = info.body["organization_id"];

  // createToken({organizationId, secretKey, userEmail}) with integrationId left undefined.
  const std::string create_body = R"({"organization_id":")" + org + R"(","secret_key":")" +
                                  broker.admin_key() +
                                  R"(","user_email":"js@example.com","replace_existing":true})";
  auto reply = client.raw("POST", "/v2/tokens/create", create_body, "application/json",
                          {{"Origin", "http://localhost:5173"}});
  REQUIRE(reply.status == 200);
  check_stored_fields(reply.body);
  CHECK(reply.header("Access-Control-Allow-Origin") == "*");

  // refreshToken() sends the token id and the current password.
  const std::string refresh_body = R"({"token_id":")" + reply.body["token_id"].get<std::string>() +
                                   R"(","current_token_password":")" +
                                   reply.body["access_token"].get<std::string>() + R"("})";
  reply = client.raw("POST", "/v2/tokens/refresh", refresh_body, "application/json");
  REQUIRE(reply.status == 200);
  check_stored_fields(reply.body);

  // A refused refresh: _mapErrorType reads `error` on 401 and shows error_description.
  reply = client.raw("POST", "/v2/tokens/refresh", refresh_body, "application/json");
  CHECK(reply.status == 401);
  CHECK(reply.body["error"].is_string());
  CHECK(reply.body["error_description"].is_string());

  // A wrong organization: 404 whose `error` is not provider_not_found means ORG_NOT_FOUND.
  const std::string other_org = R"({"organization_id":"00000000-0000-4000-8000-000000000000",)"
                                R"("secret_key":")" +
                                broker.admin_key() + R"(","user_email":"js@example.com"})";
  reply = client.raw("POST", "/v2/tokens/create", other_org, "application/json");
  CHECK(reply.status == 404);
  CHECK(reply.body["error"] == "org_not_found");
}

}  // namespace cs::test
