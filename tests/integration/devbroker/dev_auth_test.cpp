// `cloudsignal dev`'s auth stack with real clients: the admin key, refusals, state that
// survives a restart, and a damaged state file.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;
using cs::test::read_file;
using cs::test::run_process;

namespace {

cs::test::ProcessResult pub(const DevBroker& dev, const std::string& version,
                            const std::string& user, const std::string& password,
                            const std::string& topic) {
  return run_process({"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(dev.mqtt_port()),
                      "-V", version, "-u", user, "-P", password, "-t", topic, "-m", "x", "-q", "1"},
                     10s);
}

}  // namespace

TEST_CASE("the admin key written on first start lets clients in, wrong ones are refused",
          "[integration][dev][auth]") {
  DevBroker dev(std::vector<std::string>{});
  const std::string key = dev.admin_key();
  REQUIRE(key.starts_with("sk_"));
  const std::string user = "backend@" + dev.org_short_id();
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    INFO(v);
    auto r = pub(dev, v, user, key, "events/orders");
    CHECK(r.exit_code == 0);
    r = pub(dev, v, user, key + "x", "events/orders");
    // mosquitto_pub exits with the refusal code: 0x86 (5.0) or return code 4 (3.1.1).
    CHECK(r.exit_code == (v == "mqttv5" ? 0x86 : 4));
    std::string err = r.err;
    std::transform(err.begin(), err.end(), err.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    CHECK(err.find("bad user name or password") != std::string::npos);
    r = pub(dev, v, "backend@org_aaaaaaaaaaaa", key, "events/orders");  // another org
    CHECK(r.exit_code != 0);
  }
  // The key is a secret: never in the banner or the log.
  CHECK(dev.process().out().find(key) == std::string::npos);
  CHECK(dev.process().err().find(key) == std::string::npos);
}

TEST_CASE("a restart keeps the organization and the admin key", "[integration][dev][auth]") {
  cs::test::TempDir dir;
  std::string org, key;
  {
    DevBroker first(std::vector<std::string>{}, dir.path());
    org = first.org_short_id();
    key = first.admin_key();
    REQUIRE(first.stop() == 0);
  }
  DevBroker second(std::vector<std::string>{}, dir.path());
  CHECK(second.org_short_id() == org);
  CHECK(second.admin_key() == key);
  CHECK(pub(second, "mqttv5", "svc@" + org, key, "t").exit_code == 0);
}

TEST_CASE("in-memory state (--ephemeral) is a new organization each start, admin.key still written",
          "[integration][dev][auth]") {
  cs::test::TempDir dir;
  std::string org;
  {
    DevBroker first({"--ephemeral"}, dir.path());
    org = first.org_short_id();
    CHECK(pub(first, "mqttv5", "svc@" + org, first.admin_key(), "t").exit_code == 0);
    REQUIRE(first.stop() == 0);
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/state.db"));
  DevBroker second({"--ephemeral"}, dir.path());
  CHECK(second.org_short_id() != org);
}

TEST_CASE("a damaged state file stops dev with a clear error and is left untouched",
          "[integration][dev][auth]") {
  cs::test::TempDir dir;
  {
    std::ofstream out(dir.path() + "/state.db", std::ios::binary);
    out << std::string(8192, '\x5a');
  }
  const auto r = run_process(
      {cs::test::cloudsignal_binary(), "dev", "--mqtt-port", "0", "--data-dir", dir.path()}, 10s);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: cannot open the database " + dir.path() + "/state.db") !=
        std::string::npos);
  CHECK(read_file(dir.path() + "/state.db") == std::string(8192, '\x5a'));
}
