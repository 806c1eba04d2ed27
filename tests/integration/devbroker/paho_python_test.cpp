// The broker with Debian's python3-paho-mqtt, MQTT 3.1.1 and 5.0 (tests/integration/clients).

#include <catch2/catch.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;

namespace {

void scenario(const std::string& name, std::initializer_list<int> versions) {
  cs::test::DevBroker dev;
  for (int v : versions) {
    const auto r = cs::test::run_process(
        {"/usr/bin/python3", CS_TEST_SOURCE_DIR "/integration/clients/paho_scenarios.py",
         std::to_string(dev.mqtt_port()), std::to_string(v), name},
        30s);
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
}

}  // namespace

TEST_CASE("paho: QoS 0/1/2 round trips", "[integration][paho]") {
  scenario("qos_roundtrip", {3, 5});
}
TEST_CASE("paho: QoS downgrade to the subscription's", "[integration][paho]") {
  scenario("downgrade", {3, 5});
}
TEST_CASE("paho: retained messages and clearing", "[integration][paho]") {
  scenario("retained", {3, 5});
}
TEST_CASE("paho: will on a dropped connection only", "[integration][paho]") {
  scenario("will", {3, 5});
}
TEST_CASE("paho: persistent session across reconnect", "[integration][paho]") {
  scenario("persistent_session", {3, 5});
}
TEST_CASE("paho: shared subscriptions split messages", "[integration][paho]") {
  scenario("shared", {5});
}
TEST_CASE("paho: MQTT 5 properties pass through", "[integration][paho]") {
  scenario("properties", {5});
}
TEST_CASE("paho: no-local", "[integration][paho]") {
  scenario("no_local", {5});
}
