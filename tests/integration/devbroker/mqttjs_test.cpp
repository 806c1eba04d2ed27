// The broker with MQTT.js (the npm `mqtt` package) over ws:// and wss://, MQTT 3.1.1 and 5.0.
// Runs tests/e2e/mqttjs/scenario.js with node; `scripts/install-deps --test` installs both.

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;

namespace {

const std::string k_dir = CS_TEST_SOURCE_DIR "/e2e/mqttjs";

cs::test::ProcessResult mqttjs(const std::string& url, const std::string& version,
                               const std::string& scenario, std::vector<std::string> options = {}) {
  if (!std::filesystem::exists(k_dir + "/node_modules/mqtt/package.json")) {
    FAIL("MQTT.js is not installed in " << k_dir << ": run scripts/install-deps --test");
  }
  std::vector<std::string> argv = {"node", k_dir + "/scenario.js", url, version, scenario};
  argv.insert(argv.end(), options.begin(), options.end());
  auto r = cs::test::run_process(argv, 30s);
  INFO(r.err);
  return r;
}

std::string url(const char* scheme, int port, const char* path) {
  std::string out = scheme;
  out.append("://127.0.0.1:").append(std::to_string(port)).append(path);
  return out;
}

}  // namespace

TEST_CASE("MQTT.js over ws:// in both protocol versions", "[integration][ws][mqttjs]") {
  DevBroker dev;
  for (const std::string version : {"4", "5"}) {
    for (const char* path : {"/mqtt", "/"}) {
      INFO("MQTT " << version << " on " << path);
      const auto r = mqttjs(url("ws", dev.ws_port(), path), version, "roundtrip");
      CHECK(r.exit_code == 0);
      CHECK(r.out == "ok\n");
    }
  }
}

TEST_CASE("MQTT.js over wss:// with the dev CA, and refusing the server without it",
          "[integration][ws][tls][mqttjs]") {
  DevBroker dev;
  const auto wss = url("wss", dev.wss_port(), "/mqtt");
  for (const std::string version : {"4", "5"}) {
    INFO("MQTT " << version);
    CHECK(mqttjs(wss, version, "roundtrip", {"--ca", dev.ca_file()}).exit_code == 0);
    const auto r = mqttjs(wss, version, "refused");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "refused: unable to verify the first certificate\nok\n");
  }
}

TEST_CASE("MQTT.js over wss:// with a client certificate when one is required",
          "[integration][ws][tls][mtls][mqttjs]") {
  DevBroker dev({"--allow-anonymous", "--require-client-cert"});
  cs::test::TempDir dir;
  REQUIRE(cs::test::run_process({cs::test::cloudsignal_binary(), "dev", "issue-client-cert",
                                 "browser-app", "--out", dir.path(), "--data-dir", dev.data_dir()},
                                10s)
              .exit_code == 0);
  const auto wss = url("wss", dev.wss_port(), "/mqtt");
  const std::vector<std::string> with_cert = {"--ca",   dev.ca_file(),
                                              "--cert", dir.path() + "/browser-app.pem",
                                              "--key",  dir.path() + "/browser-app.key"};
  for (const std::string version : {"4", "5"}) {
    INFO("MQTT " << version);
    CHECK(mqttjs(wss, version, "roundtrip", with_cert).exit_code == 0);
    CHECK(mqttjs(wss, version, "refused", {"--ca", dev.ca_file()}).exit_code == 0);
  }
}

TEST_CASE("MQTT.js from an origin that is not allowed is refused", "[integration][ws][mqttjs]") {
  DevBroker dev({"--allow-anonymous", "--ws-allowed-origin", "http://localhost:5173"});
  const auto ws = url("ws", dev.ws_port(), "/mqtt");
  CHECK(mqttjs(ws, "5", "roundtrip", {"--origin", "http://localhost:5173"}).exit_code == 0);
  const auto r = mqttjs(ws, "5", "refused", {"--origin", "https://evil.example"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("refused: ", 0) == 0);
}
