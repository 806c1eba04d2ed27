// The broker with Debian's python3-paho-mqtt, MQTT 3.1.1 and 5.0 (tests/integration/clients).

#include <catch2/catch.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;

namespace {

void run_scenario(int port, int version, const std::string& name,
                  std::vector<std::string> options = {}) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   CS_TEST_SOURCE_DIR "/integration/clients/paho_scenarios.py",
                                   std::to_string(port), std::to_string(version), name};
  argv.insert(argv.end(), options.begin(), options.end());
  const auto r = cs::test::run_process(argv, 30s);
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

void scenario(const std::string& name, std::initializer_list<int> versions) {
  cs::test::DevBroker dev;
  for (int v : versions) run_scenario(dev.mqtt_port(), v, name);
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

// QoS round trips and wills over each transport but plain TCP; `options` picks it.
void over_transport(int port, const std::vector<std::string>& options) {
  for (const std::string name : {"qos_roundtrip", "will"}) {
    for (int v : {3, 5}) {
      INFO(name << " MQTT " << v);
      run_scenario(port, v, name, options);
    }
  }
}

TEST_CASE("paho over WebSocket: QoS round trips and wills", "[integration][paho][ws]") {
  cs::test::DevBroker dev;
  over_transport(dev.ws_port(), {"--ws", "/mqtt"});
}

TEST_CASE("paho over WebSocket over TLS: QoS round trips and wills",
          "[integration][paho][ws][tls]") {
  cs::test::DevBroker dev;
  over_transport(dev.wss_port(), {"--ws", "/mqtt", "--cafile", dev.ca_file()});
}

TEST_CASE("paho over TLS: QoS round trips and wills", "[integration][paho][tls]") {
  cs::test::DevBroker dev;
  over_transport(dev.mqtts_port(), {"--cafile", dev.ca_file()});
}
