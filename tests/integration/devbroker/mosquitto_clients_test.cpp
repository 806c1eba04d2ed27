// The broker with Debian's mosquitto_pub and mosquitto_sub, MQTT 3.1.1 and 5.0.

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::BackgroundProcess;
using cs::test::DevBroker;
using cs::test::run_process;

namespace {

std::vector<std::string> client(const char* tool, int port, const std::string& version) {
  return {tool, "-h", "127.0.0.1", "-p", std::to_string(port), "-V", version};
}

int pub(int port, const std::string& version, std::vector<std::string> args) {
  auto argv = client("mosquitto_pub", port, version);
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv, 10s);
  INFO(r.err);
  return r.exit_code;
}

// Starts mosquitto_sub on `topic` and returns once it is subscribed: publishes to a side topic
// it also listens on until that message comes back.
std::unique_ptr<BackgroundProcess> subscribed(int port, const std::string& version,
                                              const std::string& topic,
                                              std::vector<std::string> extra) {
  auto argv = client("mosquitto_sub", port, version);
  const std::string ready = topic + "/ready";
  argv.insert(argv.end(), {"-v", "-t", topic, "-t", ready});
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto sub = std::make_unique<BackgroundProcess>(argv);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sub->out().find(ready) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("sub not ready");
    pub(port, version, {"-t", ready, "-m", "1"});
    std::this_thread::sleep_for(50ms);
  }
  return sub;
}

}  // namespace

TEST_CASE("mosquitto clients exchange messages at QoS 0, 1 and 2", "[integration][mosquitto]") {
  DevBroker dev;
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    for (const std::string qos : {"0", "1", "2"}) {
      INFO(v << " QoS " << qos);
      const std::string topic = "t/" + v + "/" + qos;
      auto sub = subscribed(dev.mqtt_port(), v, topic, {"-q", qos});
      CHECK(pub(dev.mqtt_port(), v, {"-t", topic, "-q", qos, "-m", "hello " + qos}) == 0);
      const auto deadline = std::chrono::steady_clock::now() + 5s;
      while (sub->out().find(topic + " hello " + qos) == std::string::npos &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
      }
      CHECK(sub->out().find(topic + " hello " + qos) != std::string::npos);
    }
  }
}

TEST_CASE("mosquitto_sub receives retained messages and their clearing",
          "[integration][mosquitto]") {
  DevBroker dev;
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    const std::string topic = "retained/" + v;
    REQUIRE(pub(dev.mqtt_port(), v, {"-t", topic, "-r", "-q", "1", "-m", "kept"}) == 0);
    auto r = run_process({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(dev.mqtt_port()),
                          "-V", v, "-t", topic, "-C", "1", "-W", "5", "-F", "%r %t %p"},
                         10s);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "1 " + topic + " kept\n");

    REQUIRE(pub(dev.mqtt_port(), v, {"-t", topic, "-r", "-n"}) == 0);
    r = run_process({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(dev.mqtt_port()),
                     "-V", v, "-t", topic, "-C", "1", "-W", "1"},
                    10s);
    CHECK(r.out.empty());  // timed out: nothing retained any more
  }
}

TEST_CASE("$SYS topics report the broker's counters", "[integration][mosquitto][sys]") {
  DevBroker dev;
  const auto r =
      run_process({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(dev.mqtt_port()), "-t",
                   "$SYS/broker/version", "-t", "$SYS/broker/uptime", "-t",
                   "$SYS/broker/clients/connected", "-v", "-C", "3", "-W", "10"},
                  15s);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("$SYS/broker/version cloudsignal ") != std::string::npos);
  CHECK(r.out.find("$SYS/broker/uptime ") != std::string::npos);
  CHECK(r.out.find("$SYS/broker/clients/connected ") != std::string::npos);
}

TEST_CASE("a mosquitto_sub killed without DISCONNECT triggers its will",
          "[integration][mosquitto][will]") {
  DevBroker dev;
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    const std::string wills = "wills/" + v;
    auto watcher = subscribed(dev.mqtt_port(), v, wills, {});
    auto dying = subscribed(dev.mqtt_port(), v, "other/" + v,
                            {"--will-topic", wills, "--will-payload", "gone"});
    dying->signal(SIGKILL);
    dying->wait(5s);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (watcher->out().find(wills + " gone") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    CHECK(watcher->out().find(wills + " gone") != std::string::npos);
  }
}
