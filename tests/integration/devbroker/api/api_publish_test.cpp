// POST /v1/publish into a real subscriber, rate limits and CORS through a real socket.

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>
#include <vector>

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

TEST_CASE("/v1/publish reaches MQTT subscribers, scopes and topics are checked",
          "[integration][api]") {
  Api t;
  BackgroundProcess sub({"mosquitto_sub", "-h", "127.0.0.1", "-p",
                         std::to_string(t.broker.mqtt_port()), "-u",
                         "watcher@" + t.broker.org_short_id(), "-P", t.broker.admin_key(), "-t",
                         "sensors/#", "-v", "-C", "3"});
  std::this_thread::sleep_for(500ms);

  auto reply = t.admin.post("/v1/publish", {{"topic", "sensors/a"}, {"payload", "plain text"}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body == nlohmann::json{{"status", "published"}});
  reply =
      t.admin.post("/v1/publish", {{"topic", "sensors/b"}, {"payload", {{"t", 21.5}}}, {"qos", 0}});
  CHECK(reply.status == 200);

  reply = t.admin.post(
      "/v2/keys", {{"name", "pub"}, {"type", "restricted"}, {"scopes", {"publish:sensors/c"}}});
  REQUIRE(reply.status == 201);
  const auto scoped = t.admin.with_bearer(reply.body["key"]);
  CHECK(scoped.post("/v1/publish", {{"topic", "sensors/c"}, {"payload", "ok"}}).status == 200);
  reply = scoped.post("/v1/publish", {{"topic", "sensors/d"}, {"payload", "no"}});
  CHECK(reply.status == 403);

  REQUIRE(sub.wait(5s) == 0);
  CHECK(sub.out() == "sensors/a plain text\nsensors/b {\"t\":21.5}\nsensors/c ok\n");

  CHECK(t.admin.post("/v1/publish", {{"topic", "$SYS/x"}, {"payload", "x"}}).status == 403);
  CHECK(t.admin.post("/v1/publish", {{"topic", "a/+"}, {"payload", "x"}}).status == 400);
  CHECK(t.admin.post("/v1/publish", {{"topic", "a"}, {"qos", 3}}).status == 400);
  CHECK(t.admin.post("/v1/publish", {{"topic", "a"}, {"retain", "yes"}}).status == 400);
  CHECK(t.anonymous.post("/v1/publish", {{"topic", "a"}, {"payload", "x"}}).status == 401);
}

TEST_CASE("/v1/publish with retain keeps the message for later subscribers", "[integration][api]") {
  Api t;
  auto reply =
      t.admin.post("/v1/publish", {{"topic", "state/door"}, {"payload", "open"}, {"retain", true}});
  REQUIRE(reply.status == 200);
  const auto got =
      run_process({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(t.broker.mqtt_port()),
                   "-u", "late@" + t.broker.org_short_id(), "-P", t.broker.admin_key(), "-t",
                   "state/door", "-C", "1", "-W", "5"},
                  10s);
  CHECK(got.exit_code == 0);
  CHECK(got.out == "open\n");
}

TEST_CASE("wrong credentials are slowed down with 429 and Retry-After", "[integration][api]") {
  Api t;
  const auto wrong = t.admin.with_bearer("not-a-key");
  int unauthorized = 0;
  HttpReply last;
  for (int i = 0; i < 15; ++i) {
    last = wrong.get("/v2/users");
    if (last.status == 401) ++unauthorized;
    if (last.status == 429) break;
  }
  CHECK(unauthorized >= 5);
  REQUIRE(last.status == 429);
  CHECK(last.body["error"] == "rate_limited");
  CHECK(std::stoi(last.header("Retry-After")) >= 1);
  // Even the right key waits while the address is being slowed down.
  CHECK(t.admin.get("/v2/users").status == 429);
}

TEST_CASE("a key's requests are limited to the documented rate", "[integration][api]") {
  Api t;
  const httplib::Headers auth = {{"Authorization", "Bearer " + t.broker.admin_key()}};
  // Four connections at once, so that even a loaded machine asks faster than 100 per second.
  std::atomic<int> ok{0};
  std::atomic<int> limited{0};
  std::mutex mutex;
  std::string retry_after;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", t.broker.http_port());
      client.set_keep_alive(true);
      for (int i = 0; i < 1000 && limited == 0; ++i) {
        auto result = client.Get("/v2/acl", auth);
        if (!result) return;
        if (result->status == 200) ++ok;
        if (result->status == 429) {
          ++limited;
          std::lock_guard lock(mutex);
          retry_after = result->get_header_value("Retry-After");
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(ok >= 200);  // the burst
  CHECK(limited >= 1);
  CHECK(retry_after == "1");
}

TEST_CASE("browsers may call the token routes from any origin", "[integration][api]") {
  Api t;
  auto reply = t.anonymous.raw("OPTIONS", "/v2/tokens/create", "", "",
                               {{"Origin", "http://localhost:5173"},
                                {"Access-Control-Request-Method", "POST"},
                                {"Access-Control-Request-Headers", "authorization,content-type"}});
  CHECK(reply.status == 204);
  CHECK(reply.header("Access-Control-Allow-Origin") == "*");
  CHECK(reply.header("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
  reply = t.anonymous.post("/v2/tokens/refresh", nlohmann::json::object());
  CHECK(reply.header("Access-Control-Allow-Origin") == "*");
  // Management routes are not for browsers on other origins.
  reply = t.admin.get("/v2/users");
  CHECK(reply.header("Access-Control-Allow-Origin").empty());
}

}  // namespace cs::test
