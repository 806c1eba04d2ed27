#include "cli/bench/report.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using cs::bench::LoadReport;

namespace {

LoadReport sample() {
  LoadReport r;
  r.workload.url = "mqtt://127.0.0.1:1883";
  r.workload.qos = cs::mqtt::QoS::at_least_once;
  r.workload.publishers = 2;
  r.workload.subscribers = 3;
  r.workload.duration = std::chrono::milliseconds(2000);
  r.connected = 5;
  r.connect_seconds = 0.01;
  r.sent = 1000;
  r.acknowledged = 1000;
  r.received = 2990;
  r.publish_seconds = 2.0;
  r.receive_seconds = 2.5;
  for (std::uint64_t us = 1; us <= 100; ++us) r.latency.record(us * 1000);
  return r;
}

}  // namespace

TEST_CASE("expected and lost messages count every subscriber", "[bench]") {
  LoadReport r = sample();
  CHECK(r.expected() == 3000);
  CHECK(r.lost() == 10);
  r.received = 3001;  // more than expected (duplicates) is not negative loss
  CHECK(r.lost() == 0);
}

TEST_CASE("the JSON report carries the workload, rates, loss and latency", "[bench]") {
  const auto j = nlohmann::json::parse(cs::bench::report_json(sample()));
  CHECK(j["url"] == "mqtt://127.0.0.1:1883");
  CHECK(j["mqtt_version"] == "3.1.1");
  CHECK(j["mode"] == "pubsub");
  CHECK(j["qos"] == 1);
  CHECK(j["publishers"] == 2);
  CHECK(j["subscribers"] == 3);
  CHECK(j["payload_bytes"] == 100);
  CHECK(j["duration_seconds"] == 2.0);
  CHECK(j["connect"]["connections"] == 5);
  CHECK(j["connect"]["per_second"] == Approx(500.0));
  const auto& m = j["messages"];
  CHECK(m["sent"] == 1000);
  CHECK(m["acknowledged"] == 1000);
  CHECK(m["received"] == 2990);
  CHECK(m["expected"] == 3000);
  CHECK(m["lost"] == 10);
  CHECK(m["loss_ratio"] == Approx(10.0 / 3000.0));
  CHECK(m["sent_per_second"] == Approx(500.0));
  CHECK(m["received_per_second"] == Approx(1196.0));
  const auto& l = j["latency_us"];
  CHECK(l["samples"] == 100);
  CHECK(l["p50"] == Approx(50.0).epsilon(0.01));  // upper end of its bucket
  CHECK(l["p90"] == Approx(90.0).epsilon(0.01));
  CHECK(l["p99"] == Approx(99.0).epsilon(0.01));
  CHECK(l["max"] == Approx(100.0));
  CHECK(l["mean"] == Approx(50.5));
}

TEST_CASE("the idle report has the connection figures and no messages", "[bench]") {
  LoadReport r;
  r.workload.url = "mqtt://127.0.0.1:1883";
  r.workload.version = cs::mqtt::Version::v5;
  r.workload.idle = true;
  r.workload.connections = 5000;
  r.workload.duration = std::chrono::milliseconds(30000);
  r.connected = 5000;
  r.connect_seconds = 0.5;
  const auto j = nlohmann::json::parse(cs::bench::report_json(r));
  CHECK(j["mode"] == "idle");
  CHECK(j["mqtt_version"] == "5.0");
  CHECK(j["connections"] == 5000);
  CHECK(j["hold_seconds"] == 30.0);
  CHECK(j["connect"]["per_second"] == Approx(10000.0));
  CHECK_FALSE(j.contains("messages"));
  CHECK(cs::bench::report_text(r) ==
        "broker     mqtt://127.0.0.1:1883 (MQTT 5.0)\n"
        "connect    5000 connections in 0.500 s (10000 per second)\n"
        "held       5000 connections for 30.0 s\n");
}

TEST_CASE("the text report", "[bench]") {
  CHECK(cs::bench::report_text(sample()) ==
        "broker     mqtt://127.0.0.1:1883 (MQTT 3.1.1)\n"
        "connect    5 connections in 0.010 s (500 per second)\n"
        "load       2 publishers -> 3 subscribers, QoS 1, 100-byte payloads, window 64\n"
        "sent       1000 in 2.000 s (500 msg/s)\n"
        "received   2990 of 3000 (1196 msg/s), lost 10\n"
        "latency    p50 0.050 ms, p90 0.090 ms, p99 0.099 ms, max 0.100 ms\n");
}

TEST_CASE("JSON figures are rounded to a few decimals and print in their shortest form",
          "[bench]") {
  LoadReport r;
  r.workload.idle = true;
  r.connected = 1932;
  r.connect_seconds = 5.0;  // 386.4 per second
  const std::string json = cs::bench::report_json(r);
  CHECK(json.find("\"per_second\":386.4}") != std::string::npos);
}
