// The broker host's socket handling, seen from real clients.

#include <catch2/catch.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;
using cs::test::run_process;

TEST_CASE("a message far larger than the first read crosses the broker intact",
          "[integration][net]") {
  // Reads start small and grow; a 600 KB PUBLISH spans many of them, at every size.
  std::string payload;
  for (int i = 0; payload.size() < 600 * 1024; ++i) payload.append(std::to_string(i)).append(",");
  DevBroker dev;
  const std::string port = std::to_string(dev.mqtt_port());
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    const std::string topic = "large/" + v;
    const auto pub = run_process({"mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", v, "-t",
                                  topic, "-q", "1", "-r", "-s"},
                                 10s, payload);
    INFO(pub.err);
    REQUIRE(pub.exit_code == 0);
    const auto sub = run_process({"mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", v, "-t",
                                  topic, "-C", "1", "-W", "10", "-N"},
                                 15s);
    CHECK(sub.exit_code == 0);
    CHECK(sub.out.size() == payload.size());
    CHECK(sub.out == payload);
  }
}
