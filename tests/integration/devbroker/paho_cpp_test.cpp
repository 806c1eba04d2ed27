// The broker with the Paho MQTT C++ client, the library the CLI's pub/sub use.

#include <catch2/catch.hpp>
#include <mqtt/client.h>

#include "tests/support/dev_broker.h"

using namespace std::chrono_literals;

namespace {

std::unique_ptr<mqtt::client> connect(int port, int version, const std::string& id) {
  auto c = std::make_unique<mqtt::client>("tcp://127.0.0.1:" + std::to_string(port), id,
                                          mqtt::create_options(version), nullptr);
  auto builder = mqtt::connect_options_builder().mqtt_version(version).connect_timeout(5s);
  if (version == MQTTVERSION_5) {
    builder.clean_start(true);
  } else {
    builder.clean_session(true);
  }
  c->connect(builder.finalize());
  return c;
}

}  // namespace

TEST_CASE("Paho C++ publishes and receives at every QoS in both versions",
          "[integration][paho_cpp]") {
  cs::test::DevBroker dev;
  for (int version : {MQTTVERSION_3_1_1, MQTTVERSION_5}) {
    INFO("MQTT version " << version);
    const std::string v = std::to_string(version);
    auto sub = connect(dev.mqtt_port(), version, "cpp-sub-" + v);
    auto pub = connect(dev.mqtt_port(), version, "cpp-pub-" + v);
    sub->start_consuming();
    sub->subscribe("cpp/" + v + "/#", 2);
    for (int qos = 0; qos <= 2; ++qos) {
      pub->publish(
          mqtt::make_message("cpp/" + v + "/" + std::to_string(qos), "payload", qos, false));
      mqtt::const_message_ptr msg;
      REQUIRE(sub->try_consume_message_for(&msg, 5s));
      CHECK(msg->get_topic() == "cpp/" + v + "/" + std::to_string(qos));
      CHECK(msg->to_string() == "payload");
      CHECK(msg->get_qos() == qos);
    }
    pub->disconnect();
    sub->disconnect();
  }
}

TEST_CASE("Paho C++ is refused without --allow-anonymous", "[integration][paho_cpp]") {
  cs::test::DevBroker dev(std::vector<std::string>{});
  for (int version : {MQTTVERSION_3_1_1, MQTTVERSION_5}) {
    try {
      connect(dev.mqtt_port(), version, "cpp-refused");
      FAIL("connected although anonymous clients are refused");
    } catch (const mqtt::exception& e) {
      // The CONNACK code: 0x87 "not authorized" (5.0), 5 "not authorized" (3.1.1).
      CHECK(e.get_return_code() == (version == MQTTVERSION_5 ? 0x87 : 5));
    }
  }
}
