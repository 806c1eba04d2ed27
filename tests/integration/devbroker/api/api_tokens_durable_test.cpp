// A token route's 200 is a promise that the token is on disk: `cloudsignal dev` killed with
// SIGKILL right after the answers, while other requests are still in flight, restarts holding
// every token it answered for, and the refreshes and revocations it confirmed.

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::size_t k_acknowledged_before_kill = 300;

std::unique_ptr<DevBroker> start(const TempDir& dir) {
  return std::make_unique<DevBroker>(std::vector<std::string>{"--api-rate-limit", "0"}, dir.path());
}

void kill_hard(DevBroker& dev) {
  dev.process().signal(SIGKILL);
  REQUIRE(dev.process().wait(10s).value_or(0) == 128 + SIGKILL);
}

std::set<std::string> active_token_ids(const DevBroker& dev) {
  const auto reply = ApiClient(dev.http_port(), dev.admin_key()).get("/v2/tokens?limit=10000");
  REQUIRE(reply.status == 200);
  std::set<std::string> ids;
  for (const auto& token : reply.body["tokens"]) ids.insert(token["token_id"].get<std::string>());
  return ids;
}

// The topic a token's user may publish on under the starter rule.
std::string own_topic(const json& token) {
  const std::string user = token["mqtt_username"];
  return "users/" + user.substr(0, user.find('@')) + "/x";
}

}  // namespace

TEST_CASE("every token answered 200 survives a SIGKILL right after", "[integration][api]") {
  TempDir dir;
  auto dev = start(dir);
  const int port = dev->http_port();
  const httplib::Headers auth = {{"Authorization", "Bearer " + dev->admin_key()}};
  std::mutex mutex;
  std::vector<json> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      for (int i = 0; !stop; ++i) {
        const json body = {
            {"user_email", "d" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"}};
        auto reply = client.Post("/v2/tokens/create", auth, body.dump(), "application/json");
        if (!reply) break;  // the server is gone
        if (reply->status != 200) continue;
        std::lock_guard lock(mutex);
        acknowledged.push_back(json::parse(reply->body));
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= k_acknowledged_before_kill) break;
    }
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(1ms);
  }
  kill_hard(*dev);  // the clients are still sending
  stop = true;
  for (auto& client : clients) client.join();
  REQUIRE(acknowledged.size() >= k_acknowledged_before_kill);

  dev.reset();
  dev = start(dir);
  const auto ids = active_token_ids(*dev);
  std::size_t missing = 0;
  for (const auto& token : acknowledged) missing += ids.count(token["token_id"]) == 0 ? 1 : 0;
  CHECK(missing == 0);
  // The last answered token still logs in.
  const auto& last = acknowledged.back();
  CHECK(mqtt_publish(*dev, last["mqtt_username"], last["access_token"], own_topic(last)) == 0);
}

TEST_CASE("tokens exchanged or refreshed or revoked before SIGKILL stay so after restart",
          "[integration][api]") {
  TempDir dir;
  auto dev = start(dir);
  ApiClient admin(dev->http_port(), dev->admin_key());
  auto reply = admin.post("/v2/tokens/create", {{"user_email", "kept@example.com"}});
  REQUIRE(reply.status == 200);
  const json kept = reply.body;
  reply = admin.post("/v2/tokens/create", {{"user_email", "gone@example.com"}});
  REQUIRE(reply.status == 200);
  const json gone = reply.body;
  reply = admin.post("/v2/tokens/refresh", {{"token_id", kept["token_id"]},
                                            {"current_token_password", kept["access_token"]}});
  REQUIRE(reply.status == 200);
  const json refreshed = reply.body;
  REQUIRE(admin.del("/v2/tokens/" + gone["token_id"].get<std::string>()).status == 204);
  // An exchange issues its token through the same commit path.
  reply = admin.post("/v2/dev/idp-token", {{"provider", "firebase"}, {"email", "fb@example.com"}});
  REQUIRE(reply.status == 200);
  reply =
      admin.post("/v2/tokens/exchange", {{"provider", "firebase"}, {"token", reply.body["token"]}});
  REQUIRE(reply.status == 200);
  const json exchanged = reply.body;
  kill_hard(*dev);

  dev.reset();
  dev = start(dir);
  const auto ids = active_token_ids(*dev);
  CHECK(ids.count(kept["token_id"]) == 1);
  CHECK(ids.count(gone["token_id"]) == 0);
  CHECK(ids.count(exchanged["token_id"]) == 1);
  CHECK(mqtt_publish(*dev, exchanged["mqtt_username"], exchanged["access_token"],
                     own_topic(exchanged)) == 0);
  CHECK(mqtt_publish(*dev, refreshed["mqtt_username"], refreshed["access_token"],
                     own_topic(refreshed)) == 0);
  CHECK(mqtt_publish(*dev, kept["mqtt_username"], kept["access_token"], own_topic(kept)) != 0);
  CHECK(mqtt_publish(*dev, gone["mqtt_username"], gone["access_token"], own_topic(gone)) != 0);
}

}  // namespace cs::test
