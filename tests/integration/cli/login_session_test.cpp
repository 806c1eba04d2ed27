// The whole browser login against a real `cloudsignal dev` (the browser step as login_helpers.h
// drives it), then the session: whoami, auth token, refresh with rotation, logout.

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/http/client.h"
#include "tests/integration/cli/login_helpers.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::read_file;
using cs::test::login::api_url;
using cs::test::login::User;
using nlohmann::json;

namespace {

// The status of POST /oauth/token with `refresh_token` (without the CLI).
int refresh_status(const cs::test::DevBroker& broker, const std::string& refresh_token) {
  cs::http::Client client(*cs::http::parse_url(api_url(broker)));
  cs::http::Request request;
  request.method = "POST";
  request.target = "/oauth/token";
  request.content_type = "application/x-www-form-urlencoded";
  request.body = cs::http::form_encode({{"grant_type", "refresh_token"},
                                        {"refresh_token", refresh_token},
                                        {"client_id", "cloudsignal-cli"}});
  const auto response = client.send(request);
  REQUIRE(response);
  return response->status;
}

}  // namespace

TEST_CASE("login in the browser against cloudsignal dev, then whoami, refresh and logout",
          "[integration][cli][login]") {
  cs::test::DevBroker broker;
  User user;
  auto r = user.run({"login", "--api-url", api_url(broker)});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("Open this URL in a browser to sign in:\n  " + api_url(broker) +
                   "/oauth/authorize?") != std::string::npos);
  CHECK(r.err.find("Signed in to " + api_url(broker) + " as ") != std::string::npos);
  CHECK(read_file(user.home.path() + "/page").find("<h1>Signed in</h1>") != std::string::npos);

  auto stored = user.profile();
  CHECK(stored["storage"] == "file");
  REQUIRE(stored["access_token"].is_string());
  REQUIRE(stored["refresh_token"].is_string());
  CHECK(stored["access_token_expires_at"].is_string());
  const std::string first_refresh = stored["refresh_token"];

  r = user.run({"whoami", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto me = json::parse(r.out);
  CHECK(me["email"].is_string());
  CHECK(me["email"] == stored["email"]);
  CHECK(me["credential"] == "session");
  CHECK(me["org_short_id"] == broker.org_short_id());
  CHECK(me["access_token_expires_at"] == stored["access_token_expires_at"]);
  CHECK(user.run({"auth", "token"}).out == stored["access_token"].get<std::string>() + "\n");

  // An access token within 60 s of expiry is refreshed first; the rotated refresh token is saved.
  stored["access_token_expires_at"] = "2020-01-01T00:00:00Z";
  json document = json::parse(read_file(user.file()));
  document["profiles"]["default"] = stored;
  std::ofstream(user.file()) << document.dump();
  r = user.run({"auth", "token"});
  REQUIRE(r.exit_code == 0);
  const auto refreshed = user.profile();
  CHECK(r.out == refreshed["access_token"].get<std::string>() + "\n");
  CHECK(refreshed["access_token"] != stored["access_token"]);
  CHECK(refreshed["refresh_token"] != first_refresh);
  CHECK(refreshed["access_token_expires_at"] != "2020-01-01T00:00:00Z");
  CHECK(user.run({"whoami"}).exit_code == 0);

  // logout revokes the session on the server: its refresh token is refused from then on.
  const std::string last_refresh = refreshed["refresh_token"];
  r = user.run({"logout"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "Signed out of profile \"default\"\n");
  CHECK(refresh_status(broker, last_refresh) == 400);
  r = user.run({"whoami"});
  CHECK(r.exit_code == 3);
}

TEST_CASE("Deny on the sign-in page ends login with the auth exit code",
          "[integration][cli][login]") {
  cs::test::DevBroker broker;
  User user;
  user.env["FAKE_DECISION"] = "deny";
  const auto r = user.run({"login", "--dev", "--dev-dir", broker.data_dir()});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("error: sign-in was denied in the browser\n") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(user.file()));
}
