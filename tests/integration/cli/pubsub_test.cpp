// `cloudsignal pub` and `cloudsignal sub` as a user runs them: against a real `cloudsignal dev`
// over mqtt, mqtts, ws and wss, in both MQTT versions, cross-checked with mosquitto's clients.

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>

#include "common/crypto/base64url.h"
#include "tests/integration/cli/pubsub_helpers.h"

using namespace std::chrono_literals;
using namespace cs::test::pubsub;
using cs::test::BackgroundProcess;
using cs::test::cloudsignal_binary;
using cs::test::DevBroker;
using cs::test::run_process;

namespace {

// Publishes a retained message over `url` and reads it back over the same URL, in both
// versions, with the admin's credentials from the environment.
void round_trip(const DevBroker& dev, const std::string& url, bool tls) {
  const std::map<std::string, std::string> env = {
      {"CLOUDSIGNAL_MQTT_USERNAME", "admin@" + dev.org_short_id()},
      {"CLOUDSIGNAL_MQTT_PASSWORD", dev.admin_key()}};
  for (int v : {3, 5}) {
    INFO(url << " MQTT " << v);
    const std::string topic = "tr/v" + std::to_string(v);
    std::vector<std::string> pub = {"pub",           "--url", url,   "--mqtt-version",
                                    version_flag(v), "-t",    topic, "-m",
                                    "over " + url,   "-q",    "1",   "-r"};
    std::vector<std::string> sub = {"sub", "--url", url, "--mqtt-version", version_flag(v), "-t",
                                    topic, "-C",    "1"};
    if (tls) {
      for (auto* args : {&pub, &sub}) {
        args->push_back("--cafile");
        args->push_back(dev.ca_file());
      }
    }
    auto r = cli(pub, {}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    r = cli(sub, {}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == topic + " over " + url + "\n");
  }
}

}  // namespace
TEST_CASE("pub then sub: retained messages at QoS 0, 1 and 2 in both versions",
          "[integration][cli][pubsub]") {
  const int v = GENERATE(3, 5);
  DevBroker dev;
  const std::string url = mqtt_url(dev);
  const std::string prefix = "rt/v" + std::to_string(v);
  for (int qos = 0; qos <= 2; ++qos) {
    const auto r = cli({"pub", "--url", url, "--mqtt-version", version_flag(v), "-t",
                        prefix + "/" + std::to_string(qos), "-m", "q" + std::to_string(qos), "-q",
                        std::to_string(qos), "-r"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
  const auto r = cli({"sub", "--url", url, "--mqtt-version", version_flag(v), "-t", prefix + "/#",
                      "-q", "2", "-C", "3", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 3);
  std::sort(lines.begin(), lines.end(),
            [](const json& a, const json& b) { return a["topic"] < b["topic"]; });
  for (int qos = 0; qos <= 2; ++qos) {
    const json& m = lines[static_cast<std::size_t>(qos)];
    CHECK(m["topic"] == prefix + "/" + std::to_string(qos));
    CHECK(m["payload"] == "q" + std::to_string(qos));
    CHECK(m["qos"] == qos);
    CHECK(m["retain"] == true);
  }
  // mosquitto_sub sees what cloudsignal pub retained.
  const auto mosq =
      run_process({"mosquitto_sub", "-p", std::to_string(dev.mqtt_port()), "-V",
                   v == 5 ? "mqttv5" : "mqttv311", "-t", prefix + "/2", "-C", "1", "-v"},
                  10s);
  CHECK(mosq.exit_code == 0);
  CHECK(mosq.out == prefix + "/2 q2\n");
}

TEST_CASE("sub prints live messages from cloudsignal pub (-m, -l, -f) and mosquitto_pub",
          "[integration][cli][pubsub]") {
  const int v = GENERATE(3, 5);
  DevBroker dev;
  cs::test::TempDir dir;
  const std::string file = dir.path() + "/payload.txt";
  std::ofstream(file) << "from a file";
  INFO("MQTT " << v);
  const std::string t = "live/v" + std::to_string(v);
  BackgroundProcess sub({cloudsignal_binary(), "sub", "--url", mqtt_url(dev), "--mqtt-version",
                         version_flag(v), "-t", t + "/#", "-q", "1"});
  wait_until_subscribed(sub, dev.mqtt_port(), t + "/sync");
  CHECK(cli({"pub", "--url", mqtt_url(dev), "--mqtt-version", version_flag(v), "-t", t + "/m", "-m",
             "hello world", "-q", "1"})
            .exit_code == 0);
  CHECK(cli({"pub", "--url", mqtt_url(dev), "--mqtt-version", version_flag(v), "-t", t + "/l", "-l",
             "-q", "2"},
            "line one\nline two\r\n\nline three")
            .exit_code == 0);
  CHECK(cli({"pub", "--url", mqtt_url(dev), "--mqtt-version", version_flag(v), "-t", t + "/f", "-f",
             file})
            .exit_code == 0);
  CHECK(run_process({"mosquitto_pub", "-p", std::to_string(dev.mqtt_port()), "-t", t + "/mosq",
                     "-m", "from mosquitto", "-q", "1"},
                    10s)
            .exit_code == 0);
  const std::vector<std::string> expected = {t + "/m hello world", t + "/l line one",
                                             t + "/l line two",    t + "/l line three",
                                             t + "/f from a file", t + "/mosq from mosquitto"};
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (data_lines(sub.out()).size() < expected.size() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(data_lines(sub.out()) == expected);
  // Ctrl-C ends sub cleanly.
  sub.signal(SIGINT);
  CHECK(sub.wait(3s) == 0);
  CHECK(sub.err().empty());
}

TEST_CASE("sub --json shows user properties and every MQTT 5 property",
          "[integration][cli][pubsub]") {
  DevBroker dev;
  const std::string url = mqtt_url(dev);
  REQUIRE(cli({"pub", "--url", url, "-t", "props/cli", "-m", "x", "-r", "--user-property",
               "trace=abc", "--user-property", "trace=def", "--user-property", "empty="})
              .exit_code == 0);
  REQUIRE(run_process({"mosquitto_pub",
                       "-p",
                       std::to_string(dev.mqtt_port()),
                       "-V",
                       "mqttv5",
                       "-t",
                       "props/mosq",
                       "-m",
                       "{}",
                       "-r",
                       "-D",
                       "publish",
                       "content-type",
                       "application/json",
                       "-D",
                       "publish",
                       "response-topic",
                       "rpc/resp",
                       "-D",
                       "publish",
                       "correlation-data",
                       "c0rr",
                       "-D",
                       "publish",
                       "message-expiry-interval",
                       "3600",
                       "-D",
                       "publish",
                       "payload-format-indicator",
                       "1",
                       "-D",
                       "publish",
                       "user-property",
                       "k",
                       "v"},
                      10s)
              .exit_code == 0);
  auto r = cli({"sub", "--url", url, "-t", "props/cli", "-C", "1", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        R"({"topic":"props/cli","payload":"x","qos":0,"retain":true,"properties":{)"
        R"("user_properties":[{"key":"trace","value":"abc"},{"key":"trace","value":"def"},)"
        R"({"key":"empty","value":""}]}})"
        "\n");
  r = cli({"sub", "--url", url, "-t", "props/mosq", "-C", "1", "--json"});
  REQUIRE(r.exit_code == 0);
  const json m = json::parse(r.out);
  CHECK(m["payload"] == "{}");
  const json& p = m["properties"];
  CHECK(p["content_type"] == "application/json");
  CHECK(p["response_topic"] == "rpc/resp");
  CHECK(p["correlation_data"] == "YzBycg==");  // base64 of "c0rr"
  CHECK(p["user_properties"] == json::parse(R"([{"key":"k","value":"v"}])"));
  CHECK(p["payload_format_indicator"] == 1);
  CHECK(p["message_expiry_interval"].get<int>() > 3500);
  // mosquitto_sub sees cloudsignal's user properties too.
  const auto mosq = run_process({"mosquitto_sub", "-p", std::to_string(dev.mqtt_port()), "-V",
                                 "mqttv5", "-t", "props/cli", "-C", "1", "-F", "%P"},
                                10s);
  CHECK(mosq.out == "trace:abc trace:def empty:\n");
  // 3.1.1 has no properties.
  r = cli(
      {"pub", "--url", url, "--mqtt-version", "3", "-t", "x", "-m", "y", "--user-property", "a=b"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.starts_with("error: --user-property needs MQTT 5.0\n"));
}

TEST_CASE("a binary payload survives pub -f and shows as base64 in --json",
          "[integration][cli][pubsub]") {
  DevBroker dev;
  cs::test::TempDir dir;
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  const std::string file = dir.path() + "/blob.bin";
  std::ofstream(file, std::ios::binary) << bytes;
  REQUIRE(cli({"pub", "--url", mqtt_url(dev), "-t", "bin/cli", "-f", file, "-q", "1", "-r"})
              .exit_code == 0);
  auto r = cli({"sub", "--url", mqtt_url(dev), "-t", "bin/cli", "-C", "1", "--json"});
  REQUIRE(r.exit_code == 0);
  const json m = json::parse(r.out);
  CHECK_FALSE(m.contains("payload"));
  CHECK(m["payload_base64"] == cs::crypto::base64_encode(cs::as_bytes(bytes)));
  // The bytes arrive unchanged at mosquitto_sub, which prints them raw.
  const auto mosq = run_process(
      {"mosquitto_sub", "-p", std::to_string(dev.mqtt_port()), "-t", "bin/cli", "-C", "1"}, 10s);
  CHECK(mosq.out == bytes + "\n");
  // And a binary payload from mosquitto_pub reaches cloudsignal sub.
  REQUIRE(run_process({"mosquitto_pub", "-p", std::to_string(dev.mqtt_port()), "-t", "bin/mosq",
                       "-f", file, "-r"},
                      10s)
              .exit_code == 0);
  r = cli({"sub", "--url", mqtt_url(dev), "-t", "bin/mosq", "-C", "1"});
  CHECK(r.out == "bin/mosq base64:" + cs::crypto::base64_encode(cs::as_bytes(bytes)) + "\n");
}

TEST_CASE("pub and sub over mqtts with the dev CA, as the admin",
          "[integration][cli][pubsub][tls]") {
  DevBroker dev(std::vector<std::string>{});
  round_trip(dev, "mqtts://localhost:" + std::to_string(dev.mqtts_port()), true);
  // The certificate names 127.0.0.1 too; the password may come from stdin (-P -).
  const std::string url = "mqtts://127.0.0.1:" + std::to_string(dev.mqtts_port());
  const auto r = cli({"sub", "--url", url, "--cafile", dev.ca_file(), "-u",
                      "admin@" + dev.org_short_id(), "-P", "-", "-t", "tr/v5", "-C", "1"},
                     dev.admin_key() + "\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("tr/v5 over mqtts://localhost:"));
}

TEST_CASE("pub and sub over wss with the dev CA, as the admin",
          "[integration][cli][pubsub][tls][ws]") {
  DevBroker dev(std::vector<std::string>{});
  round_trip(dev, "wss://localhost:" + std::to_string(dev.wss_port()) + "/mqtt", true);
}

TEST_CASE("pub and sub over ws, a burst after the subscription arrives whole",
          "[integration][cli][pubsub][ws]") {
  DevBroker dev;
  const std::string url = "ws://127.0.0.1:" + std::to_string(dev.ws_port()) + "/";
  round_trip(dev, url, false);
  // Messages the broker writes together each travel in a WebSocket message of their own, so
  // Paho C reads them all at once (it used to leave all but the first unread until more bytes
  // arrived).
  BackgroundProcess sub({cloudsignal_binary(), "sub", "--url", url, "-t", "burst"});
  wait_until_subscribed(sub, dev.mqtt_port(), "burst");
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += std::to_string(i) + "\n";
  REQUIRE(cli({"pub", "--url", mqtt_url(dev), "-t", "burst", "-l"}, lines).exit_code == 0);
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (data_lines(sub.out()).size() < 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(data_lines(sub.out()).size() == 200);
  sub.signal(SIGINT);
  CHECK(sub.wait(3s) == 0);
}

TEST_CASE("pub and sub take the broker from CLOUDSIGNAL_MQTT_URL", "[integration][cli][pubsub]") {
  DevBroker dev;
  const std::map<std::string, std::string> env = {{"CLOUDSIGNAL_MQTT_URL", mqtt_url(dev)}};
  REQUIRE(cli({"pub", "-t", "env/x", "-m", "via env", "-r"}, {}, env).exit_code == 0);
  const auto r = cli({"sub", "-t", "env/x", "-C", "1"}, {}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "env/x via env\n");
  const auto bad = cli({"sub", "-t", "x"}, {}, {{"CLOUDSIGNAL_MQTT_URL", "http://x"}});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.starts_with("error: CLOUDSIGNAL_MQTT_URL: not a broker URL 'http://x'"));
}
