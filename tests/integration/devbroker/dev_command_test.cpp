// `cloudsignal dev` as a process: runtime file, banner, signals, refusals.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;
using cs::test::read_file;
using cs::test::run_process;

TEST_CASE("dev writes dev.json (0600) with its pid and MQTT URL, and prints the URL",
          "[integration][dev]") {
  DevBroker dev;
  const std::string path = dev.data_dir() + "/dev.json";
  const auto j = nlohmann::json::parse(read_file(path));
  CHECK(j["pid"] == dev.process().pid());
  const std::string url = j["mqtt_url"];
  CHECK(url == "mqtt://127.0.0.1:" + std::to_string(dev.mqtt_port()));
  CHECK(dev.mqtt_port() > 0);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (dev.process().out().find(url) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(dev.process().out().find("MQTT       " + url) != std::string::npos);
}

TEST_CASE("dev.json and the banner name every listener and the CA file", "[integration][dev]") {
  DevBroker dev;
  const auto j = nlohmann::json::parse(read_file(dev.data_dir() + "/dev.json"));
  const std::string host = "127.0.0.1:";
  const std::string mqtts = "mqtts://" + host + std::to_string(dev.mqtts_port());
  const std::string ws = "ws://" + host + std::to_string(dev.ws_port()) + "/mqtt";
  const std::string wss = "wss://" + host + std::to_string(dev.wss_port()) + "/mqtt";
  const std::string ca = dev.data_dir() + "/certs/ca.pem";
  CHECK(j["mqtts_url"] == mqtts);
  CHECK(j["ws_url"] == ws);
  CHECK(j["wss_url"] == wss);
  CHECK(j["ca_file"] == ca);
  const std::set<int> ports = {dev.mqtt_port(), dev.mqtts_port(), dev.ws_port(), dev.wss_port()};
  CHECK(ports.size() == 4);

  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (dev.process().out().find("Press Ctrl-C") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const auto out = dev.process().out();
  CHECK(out.find("  MQTTS      " + mqtts + "\n") != std::string::npos);
  CHECK(out.find("  WS         " + ws + "\n") != std::string::npos);
  CHECK(out.find("  WSS        " + wss + "\n") != std::string::npos);
  CHECK(out.find("  CA         " + ca + "\n") != std::string::npos);
  CHECK(out.find("  mTLS       off\n") != std::string::npos);
}

TEST_CASE("dev keeps its CA and server certificate across restarts", "[integration][dev][tls]") {
  cs::test::TempDir dir;
  std::string ca, server;
  {
    DevBroker first({"--allow-anonymous"}, dir.path());
    ca = read_file(dir.path() + "/certs/ca.pem");
    server = read_file(dir.path() + "/certs/server.pem");
    CHECK(first.process().err().find("created a local CA for TLS") != std::string::npos);
  }
  DevBroker second({"--allow-anonymous"}, dir.path());
  CHECK(read_file(dir.path() + "/certs/ca.pem") == ca);
  CHECK(read_file(dir.path() + "/certs/server.pem") == server);
  CHECK(second.process().err().find("created a local CA") == std::string::npos);
}

TEST_CASE("SIGTERM and SIGINT stop dev cleanly and remove dev.json", "[integration][dev]") {
  for (int sig : {SIGTERM, SIGINT}) {
    DevBroker dev;
    dev.process().signal(sig);
    CHECK(dev.process().wait(10s) == 0);
    CHECK(read_file(dev.data_dir() + "/dev.json").empty());
  }
}

TEST_CASE("dev refuses a port in use with a clear error and exit code 1", "[integration][dev]") {
  DevBroker first;
  cs::test::TempDir dir;
  const auto start = [&](const char* flag, int port) {
    std::vector<std::string> argv = {cs::test::cloudsignal_binary(), "dev", "--data-dir",
                                     dir.path()};
    for (const char* f : {"--mqtt-port", "--mqtts-port", "--ws-port", "--wss-port"}) {
      argv.insert(argv.end(), {f, f == std::string(flag) ? std::to_string(port) : "0"});
    }
    return run_process(argv, 10s);
  };
  auto r = start("--mqtt-port", first.mqtt_port());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: cannot listen on 127.0.0.1:" + std::to_string(first.mqtt_port())) !=
        std::string::npos);
  CHECK(r.err.find("hint: choose another --mqtt-port, or 0 for a free one") != std::string::npos);
  r = start("--wss-port", first.wss_port());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: cannot listen on 127.0.0.1:" + std::to_string(first.wss_port())) !=
        std::string::npos);
  CHECK(r.err.find("hint: choose another --wss-port, or 0 for a free one") != std::string::npos);
}

TEST_CASE("dev refuses anonymous clients unless --allow-anonymous", "[integration][dev]") {
  DevBroker dev(std::vector<std::string>{});
  const auto r = run_process({"mosquitto_pub", "-h", "127.0.0.1", "-p",
                              std::to_string(dev.mqtt_port()), "-t", "t", "-m", "x"},
                             10s);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("not authorised") != std::string::npos);
}

TEST_CASE("dev --help lists its flags and examples", "[integration][dev]") {
  const auto r = run_process({cs::test::cloudsignal_binary(), "dev", "--help"}, 10s);
  CHECK(r.exit_code == 0);
  for (const char* flag :
       {"--data-dir", "--host", "--mqtt-port", "--mqtts-port", "--ws-port", "--wss-port",
        "--allow-anonymous", "--tls-cert", "--tls-key", "--require-client-cert", "--client-ca",
        "--ws-allowed-origin", "--api-rate-limit", "--log-level", "issue-client-cert"}) {
    CHECK(r.out.find(flag) != std::string::npos);
  }
  CHECK(r.out.find("Examples:") != std::string::npos);
}
