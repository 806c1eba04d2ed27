#pragma once
// What the pub/sub integration tests share: running the binary, reading its output, and knowing
// when a background `sub` has subscribed.

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mqtt/client.h>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

namespace cs::test::pubsub {

using namespace std::chrono_literals;
using nlohmann::json;

/// Runs `cloudsignal` with `args`, `input` on stdin and `env` added.
inline ProcessResult cli(std::vector<std::string> args, const std::string& input = {},
                         const std::map<std::string, std::string>& env = {}) {
  args.insert(args.begin(), cloudsignal_binary());
  return run_process(args, 10s, input, env);
}

/// The plain MQTT URL of `dev`.
inline std::string mqtt_url(const DevBroker& dev) {
  return "mqtt://127.0.0.1:" + std::to_string(dev.mqtt_port());
}

/// Each line of `text` parsed as JSON.
inline std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    out.push_back(json::parse(text.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

/// The --mqtt-version value for `v`.
inline std::string version_flag(int v) {
  return v == 5 ? "5" : "3";
}

/// Publishes "sync-ping" on `topic` of the broker on `port` until `sub` printed it, so the test
/// knows the subscription is in place before it publishes what it checks.
inline void wait_until_subscribed(BackgroundProcess& sub, int port, const std::string& topic) {
  ::mqtt::client ping("tcp://127.0.0.1:" + std::to_string(port), "cs-test-ping");
  ping.connect(::mqtt::connect_options_builder().clean_session(true).finalize());
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (sub.out().find("sync-ping") == std::string::npos) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    REQUIRE_FALSE(sub.wait(0ms));
    ping.publish(::mqtt::make_message(topic, "sync-ping", 0, false));
    std::this_thread::sleep_for(20ms);
  }
  ping.disconnect();
}

/// The lines of `out` (what a `sub` printed so far) that are not sync pings.
inline std::vector<std::string> data_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const auto end = out.find('\n', start);
    if (end == std::string::npos) break;
    std::string line = out.substr(start, end - start);
    if (line.find("sync-ping") == std::string::npos) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace cs::test::pubsub
