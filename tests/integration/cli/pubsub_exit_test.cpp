// How `cloudsignal pub` and `cloudsignal sub` end, for scripts: refusals and their exit codes,
// -C and -W, signals, and a reader that goes away.

#include <catch2/catch.hpp>
#include <csignal>

#include "common/crypto/bcrypt.h"
#include "devbroker/store/store.h"
#include "tests/integration/cli/pubsub_helpers.h"

using namespace std::chrono_literals;
using namespace cs::test::pubsub;
using cs::test::BackgroundProcess;
using cs::test::cloudsignal_binary;
using cs::test::DevBroker;
using cs::test::run_process;

TEST_CASE("refusals: a wrong password or none at all is exit 3, the password unsaid",
          "[integration][cli][pubsub]") {
  const int v = GENERATE(3, 5);
  DevBroker dev(std::vector<std::string>{});
  const std::string wrong = dev.admin_key() + "x";
  auto r = cli({"pub", "--url", mqtt_url(dev), "--mqtt-version", version_flag(v), "-u",
                "admin@" + dev.org_short_id(), "-P", "-", "-t", "t", "-m", "x"},
               wrong + "\n");
  CHECK(r.exit_code == 3);
  CHECK(r.err.starts_with("error: the broker at " + mqtt_url(dev) +
                          " refused the connection: bad user name or password"));
  CHECK(r.err.find(wrong) == std::string::npos);
  CHECK(r.out.empty());
  r = cli({"sub", "--url", mqtt_url(dev), "--mqtt-version", version_flag(v), "-t", "t", "-C", "1"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(v == 5 ? "refused the connection: not authorized (0x87)"
                          : "refused the connection: not authorized (return code 5)") !=
        std::string::npos);
}

TEST_CASE("refusals: a CA that did not sign the broker's certificate is a TLS error",
          "[integration][cli][pubsub][tls]") {
  DevBroker dev;
  cs::test::TempDir other;
  const auto ca = cli({"dev", "ca", "--data-dir", other.path()});
  REQUIRE(ca.exit_code == 0);
  const std::string other_ca = ca.out.substr(0, ca.out.find('\n'));
  const std::string mqtts = "mqtts://localhost:" + std::to_string(dev.mqtts_port());
  const std::string wss = "wss://localhost:" + std::to_string(dev.wss_port()) + "/mqtt";
  // The system's CAs, then another dev CA.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"pub", "--url", mqtts, "-t", "t", "-m", "x"},
           {"pub", "--url", mqtts, "--cafile", other_ca, "-t", "t", "-m", "x"},
           {"sub", "--url", wss, "--cafile", other_ca, "-t", "t"}}) {
    const auto r = cli(args);
    INFO(r.err);
    CHECK(r.exit_code == 6);
    CHECK(r.err.find("error: the TLS handshake with ") == 0);
    CHECK(r.err.find("certificate verify failed") != std::string::npos);
    CHECK(r.err.find("hint: if the broker's certificate comes from a private CA") !=
          std::string::npos);
  }
  const std::string missing = other.path() + "/missing.pem";
  const auto r = cli({"pub", "--url", mqtts, "--cafile", missing, "-t", "t", "-m", "x"});
  CHECK(r.exit_code == 1);
  CHECK(r.err == "error: cannot read --cafile " + missing + ": No such file or directory\n");
}

TEST_CASE("refusals: the wrong transport for a port, and a closed port, are exit 6",
          "[integration][cli][pubsub]") {
  DevBroker dev;
  auto r = cli({"pub", "--url", "mqtt://127.0.0.1:" + std::to_string(dev.mqtts_port()), "-t", "t",
                "-m", "x"});
  CHECK(r.exit_code == 6);
  CHECK(r.err.starts_with("error: cannot connect to mqtt://127.0.0.1:"));
  r = cli({"pub", "--url", "mqtts://127.0.0.1:" + std::to_string(dev.mqtt_port()), "-t", "t", "-m",
           "x"});
  CHECK(r.exit_code == 6);
  const int closed = dev.mqtt_port();
  dev.stop();
  r = cli({"pub", "--url", "mqtt://127.0.0.1:" + std::to_string(closed), "-t", "t", "-m", "x"});
  CHECK(r.exit_code == 6);
  CHECK(r.err == "error: cannot connect to mqtt://127.0.0.1:" + std::to_string(closed) +
                     "\nhint: check that the broker runs on that port, or pass another --url "
                     "(or CLOUDSIGNAL_MQTT_URL)\n");
  r = cli({"sub", "--url", "ws://127.0.0.1:" + std::to_string(closed), "-t", "t"});
  CHECK(r.exit_code == 6);
}

TEST_CASE("refusals: a subscription the access list denies names the filter",
          "[integration][cli][pubsub]") {
  cs::test::TempDir dir;
  std::string org;
  {
    DevBroker first(std::vector<std::string>{}, dir.path());
    org = first.org_short_id();
    REQUIRE(first.stop() == 0);
  }
  {
    auto store = cs::store::open_store(dir.path(), cs::store::Ephemeral::no);
    REQUIRE(store);
    auto hash = cs::crypto::bcrypt_hash("alice-password", cs::crypto::k_bcrypt_min_cost);
    REQUIRE(hash);
    REQUIRE(store->repos().users.insert({"alice", *hash, {}}));
  }
  DevBroker dev(std::vector<std::string>{}, dir.path());
  const std::map<std::string, std::string> alice = {
      {"CLOUDSIGNAL_MQTT_USERNAME", "alice@" + org},
      {"CLOUDSIGNAL_MQTT_PASSWORD", "alice-password"}};
  // The starter rule gives alice users/alice/#: that works, '#' does not.
  auto r =
      cli({"pub", "--url", mqtt_url(dev), "-t", "users/alice/x", "-m", "mine", "-r"}, {}, alice);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = cli({"sub", "--url", mqtt_url(dev), "-t", "users/alice/#", "-t", "#", "-C", "1"}, {}, alice);
  CHECK(r.exit_code == 3);
  CHECK(r.err ==
        "error: the broker refused the subscription to '#': not authorized (0x87)\n"
        "hint: the access list does not give these credentials this filter\n");
  r = cli({"sub", "--url", mqtt_url(dev), "--mqtt-version", "3", "-t", "users/bob/#"}, {}, alice);
  CHECK(r.exit_code == 3);
  CHECK(r.err.starts_with(
      "error: the broker refused the subscription to 'users/bob/#': failure (0x80)\n"));
  r = cli({"sub", "--url", mqtt_url(dev), "-t", "users/alice/#", "-C", "1"}, {}, alice);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "users/alice/x mine\n");
  // Publishing outside the rule at QoS 1 is refused by PUBACK in 5.0.
  r = cli({"pub", "--url", mqtt_url(dev), "-t", "users/bob/x", "-m", "not mine", "-q", "1"}, {},
          alice);
  CHECK(r.exit_code == 3);
  CHECK(r.err.starts_with(
      "error: the broker refused the message to 'users/bob/x': not authorized (0x87)\n"));
}

TEST_CASE("sub -C and -W: what scripts can rely on", "[integration][cli][pubsub]") {
  DevBroker dev;
  const std::string url = mqtt_url(dev);
  REQUIRE(cli({"pub", "--url", url, "-t", "cw/one", "-m", "1", "-r"}).exit_code == 0);
  // -W without -C: listens, then exits 0.
  auto start = std::chrono::steady_clock::now();
  auto r = cli({"sub", "--url", url, "-t", "cw/none", "-W", "0.3"});
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  CHECK(took >= 300ms);
  CHECK(took < 5s);  // generous: the machine may be loaded
  // -C reached before -W: 0.
  r = cli({"sub", "--url", url, "-t", "cw/#", "-C", "1", "-W", "5"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "cw/one 1\n");
  // -W passes before -C messages: exit 6, what arrived is printed.
  start = std::chrono::steady_clock::now();
  r = cli({"sub", "--url", url, "-t", "cw/#", "-C", "2", "-W", "0.3"});
  took = std::chrono::steady_clock::now() - start;
  CHECK(r.exit_code == 6);
  CHECK(r.out == "cw/one 1\n");
  CHECK(r.err == "error: received 1 of 2 messages within -W 0.3 seconds\n");
  CHECK(took < 5s);  // generous: the machine may be loaded
}

TEST_CASE("sub ends with 0 on SIGINT and SIGTERM", "[integration][cli][pubsub]") {
  const int sig = GENERATE(SIGINT, SIGTERM);
  DevBroker dev;
  BackgroundProcess sub({cloudsignal_binary(), "sub", "--url", mqtt_url(dev), "-t", "sig"});
  wait_until_subscribed(sub, dev.mqtt_port(), "sig");
  const auto start = std::chrono::steady_clock::now();
  sub.signal(sig);
  CHECK(sub.wait(3s) == 0);
  CHECK(std::chrono::steady_clock::now() - start < 2s);
  CHECK(sub.err().empty());
  CHECK(data_lines(sub.out()).empty());
}

TEST_CASE("pub -n -r clears a retained message", "[integration][cli][pubsub]") {
  DevBroker dev;
  REQUIRE(cli({"pub", "--url", mqtt_url(dev), "-t", "clear/me", "-m", "x", "-r"}).exit_code == 0);
  REQUIRE(cli({"pub", "--url", mqtt_url(dev), "-t", "clear/me", "-n", "-r"}).exit_code == 0);
  const auto r = cli({"sub", "--url", mqtt_url(dev), "-t", "clear/#", "-W", "0.3"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("sub ends with 0 once the reader of its output is gone (sub | head -1)",
          "[integration][cli][pubsub]") {
  DevBroker dev;
  BackgroundProcess pipeline({"bash", "-c",
                              "'" + cloudsignal_binary() + "' sub --url " + mqtt_url(dev) +
                                  " -t pipe | head -1; echo \"sub exit ${PIPESTATUS[0]}\""});
  ::mqtt::client pub("tcp://127.0.0.1:" + std::to_string(dev.mqtt_port()), "cs-test-pipe");
  pub.connect(::mqtt::connect_options_builder().clean_session(true).finalize());
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!pipeline.wait(50ms)) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    pub.publish(::mqtt::make_message("pipe", "m", 0, false));
  }
  pub.disconnect();
  CHECK(pipeline.out() == "pipe m\nsub exit 0\n");
  CHECK(pipeline.err().empty());
}
