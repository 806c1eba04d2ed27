// `cloudsignal dev --api-rate-limit N`: N requests/s in bursts of 2N per key and per address,
// 0 for none; the limit on wrong credentials stays whatever the flag says.

#include <catch2/catch.hpp>

#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;

// Sends `count` GETs of `path` on one keep-alive connection; returns how many got each status.
std::map<int, int> burst(const DevBroker& dev, const std::string& path, int count,
                         const std::string& bearer) {
  httplib::Client client("127.0.0.1", dev.http_port());
  client.set_keep_alive(true);
  httplib::Headers headers;
  if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
  std::map<int, int> statuses;
  for (int i = 0; i < count; ++i) {
    auto reply = client.Get(path, headers);
    ++statuses[reply ? reply->status : 0];
  }
  return statuses;
}

}  // namespace

TEST_CASE("dev --api-rate-limit 0 lifts the per-key and per-address limits", "[integration][api]") {
  DevBroker dev({"--api-rate-limit", "0"});
  // Three times the default burst, far faster than the default rate.
  auto statuses = burst(dev, "/v2/acl", 600, dev.admin_key());
  CHECK(statuses[200] == 600);
  statuses = burst(dev, "/v2/info", 600, "");
  CHECK(statuses[200] == 600);
  // Wrong credentials are still slowed down.
  statuses = burst(dev, "/v2/acl", 15, "sk_wrong");
  CHECK(statuses[429] >= 1);
}

TEST_CASE("dev --api-rate-limit N allows bursts of 2N and then answers 429", "[integration][api]") {
  DevBroker dev({"--api-rate-limit", "5"});
  auto statuses = burst(dev, "/v2/acl", 30, dev.admin_key());
  // 10 in the burst, and at most a few refilled while the requests ran.
  CHECK(statuses[200] >= 10);
  CHECK(statuses[200] <= 14);
  CHECK(statuses[429] == 30 - statuses[200]);
  statuses = burst(dev, "/v2/info", 30, "");
  CHECK(statuses[200] <= 14);
  CHECK(statuses[429] >= 16);
}

TEST_CASE("dev --api-rate-limit takes whole numbers from 0 up", "[integration][api]") {
  for (const char* bad : {"-1", "fast", "2000000"}) {
    INFO(bad);
    const auto r = run_process({cloudsignal_binary(), "dev", "--api-rate-limit", bad}, 10s);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--api-rate-limit") != std::string::npos);
  }
}

}  // namespace cs::test
