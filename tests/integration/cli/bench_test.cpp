// `cloudsignal bench` against a real dev broker: a short smoke run, not a measurement.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::cloudsignal_binary;
using cs::test::DevBroker;
using cs::test::run_process;

TEST_CASE("bench runs 1 -> 1 at QoS 1 for a second and loses nothing", "[integration][bench]") {
  DevBroker dev;
  const auto r =
      run_process({cloudsignal_binary(), "bench", "--port", std::to_string(dev.mqtt_port()),
                   "--qos", "1", "--duration", "1", "--json"},
                  30s);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["url"] == "mqtt://127.0.0.1:" + std::to_string(dev.mqtt_port()));
  CHECK(j["mqtt_version"] == "3.1.1");
  CHECK(j["qos"] == 1);
  CHECK(j["connect"]["connections"] == 2);
  CHECK(j["connect"]["per_second"].get<double>() > 0);
  const auto& m = j["messages"];
  CHECK(m["received"].get<std::uint64_t>() > 0);
  CHECK(m["received"] == m["expected"]);
  CHECK(m["acknowledged"] == m["sent"]);
  CHECK(m["lost"] == 0);
  CHECK(m["received_per_second"].get<double>() > 0);
  for (const char* key : {"p50", "p90", "p99", "max", "mean"}) {
    INFO(key);
    CHECK(j["latency_us"][key].get<double>() > 0);
  }
  CHECK(j["latency_us"]["samples"] == m["received"]);
  CHECK(r.err.find("publishing for 1 s") != std::string::npos);
}

TEST_CASE("bench fans out over MQTT 5.0 at QoS 2 and at a fixed rate", "[integration][bench]") {
  DevBroker dev;
  const auto r = run_process(
      {cloudsignal_binary(), "bench", "--url",
       "mqtt://127.0.0.1:" + std::to_string(dev.mqtt_port()), "--mqtt-version", "5", "--qos", "2",
       "--publishers", "2", "--subscribers", "3", "--rate", "200", "--duration", "1", "--json"},
      30s);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["mqtt_version"] == "5.0");
  const auto& m = j["messages"];
  // 200 msg/s for a second, give or take the first and last tick.
  CHECK(m["sent"].get<std::uint64_t>() >= 150);
  CHECK(m["sent"].get<std::uint64_t>() <= 250);
  CHECK(m["expected"] == m["sent"].get<std::uint64_t>() * 3);
  CHECK(m["lost"] == 0);
}

TEST_CASE("bench holds idle connections and says so on stderr", "[integration][bench]") {
  DevBroker dev;
  const auto r =
      run_process({cloudsignal_binary(), "bench", "--port", std::to_string(dev.mqtt_port()),
                   "--connections", "50", "--idle", "--duration", "0.2", "--json"},
                  30s);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["mode"] == "idle");
  CHECK(j["connect"]["connections"] == 50);
  CHECK(r.err.find("holding 50 connections for 0.2 s") != std::string::npos);
}

TEST_CASE("bench against a port nobody listens on fails with exit code 6", "[integration][bench]") {
  int port = 0;
  {
    DevBroker dev;
    port = dev.mqtt_port();
  }
  const auto r = run_process({cloudsignal_binary(), "bench", "--port", std::to_string(port)}, 30s);
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("error: cannot connect to mqtt://127.0.0.1:" + std::to_string(port) +
                   ": Connection refused\n") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("bench reports a refused CONNECT with exit code 3", "[integration][bench]") {
  DevBroker dev(std::vector<std::string>{});  // anonymous clients refused
  const auto r = run_process(
      {cloudsignal_binary(), "bench", "--port", std::to_string(dev.mqtt_port()), "--duration", "1"},
      30s);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("error: the broker refused the connection of cs-bench-") != std::string::npos);
  CHECK(r.err.find("(return code 5)") != std::string::npos);
}

TEST_CASE("bench loads the dev broker over mqtts, ws and wss, trusting the dev CA",
          "[integration][bench][tls][ws]") {
  DevBroker dev;
  const std::string host = "127.0.0.1:";
  const std::vector<std::pair<std::string, std::string>> urls = {
      {"mqtts://" + host + std::to_string(dev.mqtts_port()),
       "mqtts://" + host + std::to_string(dev.mqtts_port())},
      {"ws://" + host + std::to_string(dev.ws_port()) + "/mqtt",
       "ws://" + host + std::to_string(dev.ws_port()) + "/mqtt"},
      {"wss://" + host + std::to_string(dev.wss_port()),
       "wss://" + host + std::to_string(dev.wss_port()) + "/mqtt"},
  };
  for (const auto& [url, canonical] : urls) {
    INFO(url);
    std::vector<std::string> args = {cloudsignal_binary(), "bench", "--url", url, "--qos", "1",
                                     "--duration",         "1",     "--json"};
    if (url.starts_with("mqtts") || url.starts_with("wss")) {
      args.insert(args.end(), {"--cafile", dev.ca_file()});
    }
    const auto r = run_process(args, 30s);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["url"] == canonical);
    CHECK(j["messages"]["received"].get<std::uint64_t>() > 0);
    CHECK(j["messages"]["lost"] == 0);
  }
  // Idle clients over TLS too.
  const auto idle =
      run_process({cloudsignal_binary(), "bench", "--url", urls[2].first, "--cafile", dev.ca_file(),
                   "--connections", "50", "--idle", "--duration", "0.2", "--json"},
                  30s);
  INFO(idle.err);
  REQUIRE(idle.exit_code == 0);
  CHECK(nlohmann::json::parse(idle.out)["connect"]["connections"] == 50);
}

TEST_CASE("bench refuses a TLS broker its CA file does not vouch for",
          "[integration][bench][tls]") {
  DevBroker dev;
  DevBroker other;  // another dev CA
  const std::string url = "mqtts://127.0.0.1:" + std::to_string(dev.mqtts_port());
  const auto r = run_process(
      {cloudsignal_binary(), "bench", "--url", url, "--cafile", other.ca_file(), "--duration", "1"},
      30s);
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("error: cannot connect to " + url + ": certificate verify failed") !=
        std::string::npos);
  CHECK(r.err.find("hint: pass --cafile with the CA that signed the broker's certificate") !=
        std::string::npos);
}
