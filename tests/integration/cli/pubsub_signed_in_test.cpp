// `pub` and `sub` with no MQTT credentials given, against a real `cloudsignal dev` that refuses
// anonymous clients: after `cloudsignal login` they connect with a short-lived token of the
// signed-in user (renewed, then revoked); with `--dev` (or the `dev` profile) as the admin key;
// and a signed-in credential never goes to another broker.

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <mqtt/client.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/pubsub_identity.h"
#include "tests/integration/cli/login_helpers.h"
#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::ApiClient;
using cs::test::BackgroundProcess;
using cs::test::DevBroker;
using cs::test::login::api_url;
using cs::test::login::User;
using nlohmann::json;

namespace {

constexpr const char* k_user_topic = "users/developer_localhost/inbox";

// The tokens `broker` holds for the dev org's local account.
std::vector<json> local_account_tokens(const DevBroker& broker) {
  const auto reply = ApiClient(broker.http_port(), broker.admin_key()).get("/v2/tokens");
  REQUIRE(reply.status == 200);
  std::vector<json> found;
  for (const auto& token : reply.body["tokens"]) {
    if (token["user_email"] == "developer@localhost") found.push_back(token);
  }
  return found;
}

// Publishes "sync-ping" to `topic` as the admin key until `sub` printed it.
void wait_until_subscribed(BackgroundProcess& sub, const DevBroker& broker,
                           const std::string& topic) {
  ::mqtt::client ping("tcp://127.0.0.1:" + std::to_string(broker.mqtt_port()), "cs-test-ping");
  ping.connect(::mqtt::connect_options_builder()
                   .clean_session(true)
                   .user_name("ping@" + broker.org_short_id())
                   .password(broker.admin_key())
                   .finalize());
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sub.out().find("sync-ping") == std::string::npos) {
    INFO(sub.err());
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    REQUIRE_FALSE(sub.wait(0ms));
    ping.publish(::mqtt::make_message(topic, "sync-ping", 0, false));
    std::this_thread::sleep_for(20ms);
  }
  ping.disconnect();
}

std::vector<std::string> cli_argv(std::vector<std::string> args) {
  args.insert(args.begin(), cs::test::cloudsignal_binary());
  return args;
}

// Waits until `sub` printed `text`, then stops it as Ctrl-C would; returns its exit code.
int stop_after(BackgroundProcess& sub, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sub.out().find(text) == std::string::npos) {
    INFO(sub.err());
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    REQUIRE_FALSE(sub.wait(0ms));
    std::this_thread::sleep_for(20ms);
  }
  sub.signal(SIGINT);
  const auto code = sub.wait(10s);
  REQUIRE(code);
  return *code;
}

}  // namespace

TEST_CASE("after login, pub and sub connect as the signed-in user with a token they revoke",
          "[integration][cli][pubsub][login]") {
  DevBroker broker(std::vector<std::string>{});
  User user;
  REQUIRE(user.run({"login", "--api-url", api_url(broker)}).exit_code == 0);

  BackgroundProcess sub(cli_argv({"sub", "-t", "users/developer_localhost/#", "-W", "30"}),
                        user.env);
  wait_until_subscribed(sub, broker, k_user_topic);
  // The subscriber holds a token of the signed-in user, for no longer than an hour.
  const auto held = local_account_tokens(broker);
  REQUIRE(held.size() == 1);
  CHECK(held[0]["mqtt_username"] == "developer_localhost@" + broker.org_short_id());

  auto r = user.run({"pub", "-t", k_user_topic, "-m", "hello", "-q", "1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(stop_after(sub, "users/developer_localhost/inbox hello\n") == 0);

  // The token is the user's, not the admin's: the access list keeps it to users/<name>/#.
  r = user.run({"pub", "-t", "users/someone_else/inbox", "-m", "x", "-q", "1"});
  CHECK(r.exit_code == 3);
  r = user.run({"sub", "-t", "#", "-W", "1"});
  CHECK(r.exit_code == 3);

  // Every command revoked its token on the way out.
  CHECK(local_account_tokens(broker).empty());
}

TEST_CASE("with --dev or the dev profile, pub and sub use the admin key as cli@<org>",
          "[integration][cli][pubsub]") {
  DevBroker broker(std::vector<std::string>{});
  std::map<std::string, std::string> env{
      {"HOME", broker.home()},          {"CLOUDSIGNAL_CREDENTIALS_STORE", "file"},
      {"CLOUDSIGNAL_API_KEY", ""},      {"CLOUDSIGNAL_PROFILE", ""},
      {"CLOUDSIGNAL_MQTT_URL", ""},     {"CLOUDSIGNAL_MQTT_USERNAME", ""},
      {"CLOUDSIGNAL_MQTT_PASSWORD", ""}};
  const std::string dev_dir = broker.data_dir();
  // --dev reads dev.json; without flags the `dev` profile (the only one) is used.
  for (const std::vector<std::string>& how :
       {std::vector<std::string>{"--dev", "--dev-dir", dev_dir}, std::vector<std::string>{}}) {
    std::vector<std::string> sub_args{"sub", "-t", "anything/#", "-W", "30", "--json"};
    sub_args.insert(sub_args.end(), how.begin(), how.end());
    BackgroundProcess sub(cli_argv(sub_args), env);
    wait_until_subscribed(sub, broker, "anything/sync");
    std::vector<std::string> pub_args{"pub", "-t", "anything/at/all", "-m", "hi", "-q", "1"};
    pub_args.insert(pub_args.end(), how.begin(), how.end());
    const auto r = cs::test::run_process(cli_argv(pub_args), 20s, {}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(stop_after(sub, R"("topic":"anything/at/all","payload":"hi")") == 0);
  }
  // No token was minted for a key.
  CHECK(local_account_tokens(broker).empty());
}

TEST_CASE("a signed-in credential is never sent to another broker",
          "[integration][cli][pubsub][login]") {
  DevBroker signed_in(std::vector<std::string>{});
  DevBroker other;  // lets anonymous clients in, and refuses the first broker's credentials
  User user;
  REQUIRE(user.run({"login", "--api-url", api_url(signed_in)}).exit_code == 0);
  const std::string url = "mqtt://127.0.0.1:" + std::to_string(other.mqtt_port());
  auto r = user.run({"pub", "--url", url, "-t", "t", "-m", "x", "-q", "1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(local_account_tokens(signed_in).empty());
  // The first broker named by URL (localhost for 127.0.0.1) gets the user's token.
  r = user.run({"pub", "--url", "mqtt://localhost:" + std::to_string(signed_in.mqtt_port()), "-t",
                k_user_topic, "-m", "x", "-q", "1"});
  CHECK(r.exit_code == 0);
}

TEST_CASE("a bad CLOUDSIGNAL_MQTT_TOKEN_TTL is a usage error before anything is sent",
          "[integration][cli][pubsub][login]") {
  DevBroker broker(std::vector<std::string>{});
  User user;
  REQUIRE(user.run({"login", "--api-url", api_url(broker)}).exit_code == 0);
  for (const char* ttl : {"59", "86401", "ten", "-5", "60s"}) {
    INFO(ttl);
    user.env["CLOUDSIGNAL_MQTT_TOKEN_TTL"] = ttl;
    const auto r = user.run({"pub", "-t", k_user_topic, "-m", "x"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("CLOUDSIGNAL_MQTT_TOKEN_TTL must be a number of seconds") !=
          std::string::npos);
  }
  CHECK(local_account_tokens(broker).empty());
}

TEST_CASE("TokenKeeper refreshes the token when due and revokes it at the end",
          "[integration][cli][pubsub]") {
  DevBroker broker(std::vector<std::string>{});
  const ApiClient admin(broker.http_port(), broker.admin_key());
  const auto created = admin.post(
      "/v2/tokens/create",
      {{"user_email", "developer@localhost"}, {"replace_existing", false}, {"ttl_seconds", 600}});
  REQUIRE(created.status == 200);
  auto token = cs::cli::parse_session_token(created.body);
  REQUIRE(token);
  CHECK(token->refresh_after == 480s);  // when the API recommends: at 80 % of 10 minutes
  const std::string first_password = token->password;
  token->refresh_after = 1s;

  cs::cli::ApiIdentity identity;
  identity.token = *token;
  identity.api.url = *cs::http::parse_url(api_url(broker));
  identity.api.bearer = broker.admin_key();
  const std::string user = token->username;
  {
    cs::cli::TokenKeeper keeper(identity);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (keeper.refreshes() == 0) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(50ms);
    }
    // The refresh rotated the password: the first one is dead at once.
    CHECK(cs::test::mqtt_publish(broker, user, first_password, k_user_topic) != 0);
    CHECK(local_account_tokens(broker).size() == 1);
  }
  CHECK(local_account_tokens(broker).empty());
}

TEST_CASE("the dev CA is trusted on the dev broker's TLS URLs with no --cafile",
          "[integration][cli][pubsub][tls]") {
  DevBroker broker(std::vector<std::string>{});
  std::map<std::string, std::string> env{{"HOME", broker.home()}};
  const std::string dev_dir = broker.data_dir();
  for (const std::string& url :
       {"mqtts://localhost:" + std::to_string(broker.mqtts_port()),
        "wss://localhost:" + std::to_string(broker.wss_port()) + "/mqtt"}) {
    INFO(url);
    // As the dev profile (HOME holds it) and as --dev.
    auto r = cs::test::run_process(
        cli_argv({"pub", "--url", url, "-t", "tls/check", "-m", "x", "-q", "1"}), 20s, {}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    r = cs::test::run_process(cli_argv({"pub", "--dev", "--dev-dir", dev_dir, "--url", url, "-t",
                                        "tls/check", "-m", "x", "-q", "1"}),
                              20s, {}, env);
    CHECK(r.exit_code == 0);
  }
  // Without an account, the dev CA is not trusted: a TLS failure, not a silent downgrade.
  const auto r = cs::test::run_process(
      cli_argv({"pub", "--url", "mqtts://localhost:" + std::to_string(broker.mqtts_port()), "-t",
                "tls/check", "-m", "x"}),
      20s);
  CHECK(r.exit_code == 6);
}
