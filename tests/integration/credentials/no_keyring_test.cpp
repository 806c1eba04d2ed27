// The credential store where no Secret Service serves: no session bus, a bus without one, and one
// that never answers. Each case runs cs_credentials_child in the environment it describes, so
// the process's D-Bus connection starts from that environment as the CLI's would.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::BackgroundProcess;
using cs::test::read_file;
using cs::test::run_process;
using cs::test::TempDir;

namespace {

using Env = std::map<std::string, std::string>;
using Clock = std::chrono::steady_clock;

// A D-Bus session bus of its own that can activate nothing, so no Secret Service can start.
class BareBus {
 public:
  BareBus() {
    const auto config = std::filesystem::path(m_tmp.path()) / "bus.conf";
    std::ofstream(config) << R"(<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=)" << m_tmp.path()
                          << R"(/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";
    m_daemon.emplace(std::vector<std::string>{"dbus-daemon", "--config-file=" + config.string(),
                                              "--nofork", "--print-address"});
    const auto deadline = Clock::now() + 10s;
    while (m_daemon->out().find('\n') == std::string::npos && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    const auto out = m_daemon->out();
    REQUIRE(out.find('\n') != std::string::npos);
    m_address = out.substr(0, out.find('\n'));
  }
  Env env() const { return {{"DBUS_SESSION_BUS_ADDRESS", m_address}}; }

 private:
  TempDir m_tmp;
  std::optional<BackgroundProcess> m_daemon;
  std::string m_address;
};

struct Timed {
  cs::test::ProcessResult result;
  std::chrono::milliseconds elapsed;
};

Timed run_child(const std::vector<std::string>& args, const Env& env) {
  std::vector<std::string> argv{CS_CREDENTIALS_CHILD};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto start = Clock::now();
  auto result = run_process(argv, 30s, {}, env);
  return {std::move(result),
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
}

}  // namespace

TEST_CASE("without a session bus the keyring is unavailable at once and the file is used",
          "[integration][keyring]") {
  TempDir tmp;
  const auto runtime = std::filesystem::path(tmp.path()) / "run";
  std::filesystem::create_directories(runtime);
  const Env no_bus{{"DBUS_SESSION_BUS_ADDRESS", ""}, {"XDG_RUNTIME_DIR", runtime.string()}};

  const auto probe = run_child({"probe", "3000"}, no_bus);
  CHECK(probe.result.out ==
        "unavailable: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)\n");
  CHECK(probe.elapsed < 2s);

  // A bus address left over from a session that has ended fails as quickly.
  const auto stale = run_child(
      {"probe", "3000"}, {{"DBUS_SESSION_BUS_ADDRESS", "unix:path=" + runtime.string() + "/gone"}});
  CHECK(stale.result.out.starts_with("unavailable: cannot reach the Secret Service: "));
  CHECK(stale.elapsed < 2s);

  const auto dir = std::filesystem::path(tmp.path()) / "creds";
  const auto saved = run_child({"save", "3000", dir.string(), "default", "at-n", "rt-n"}, no_bus);
  INFO(saved.result.err);
  CHECK(saved.result.exit_code == 0);
  CHECK(saved.result.out ==
        "storage=file\nnotice=no OS keyring took the secrets (there is no D-Bus session bus "
        "(DBUS_SESSION_BUS_ADDRESS is not set)); those of profile \"default\" are stored in " +
            (dir / "credentials.json").string() + ", readable only by you\n");
  CHECK(read_file((dir / "credentials.json").string()).find("\"refresh_token\": \"rt-n\"") !=
        std::string::npos);

  Env forced = no_bus;
  forced["CLOUDSIGNAL_CREDENTIALS_STORE"] = "keyring";
  const auto other = std::filesystem::path(tmp.path()) / "forced";
  const auto refused = run_child({"save", "3000", other.string(), "default", "a", "r"}, forced);
  CHECK(refused.result.exit_code == 1);
  CHECK(refused.result.err ==
        "error: CLOUDSIGNAL_CREDENTIALS_STORE is \"keyring\", but no OS keyring answers: there is "
        "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)\n");
  CHECK_FALSE(std::filesystem::exists(other / "credentials.json"));

  forced["CLOUDSIGNAL_CREDENTIALS_STORE"] = "vault";
  CHECK(run_child({"save", "3000", other.string(), "default", "a", "r"}, forced).result.err ==
        "error: CLOUDSIGNAL_CREDENTIALS_STORE must be \"file\" or \"keyring\", not \"vault\"\n");
}

TEST_CASE("a session bus without a Secret Service is told apart quickly",
          "[integration][keyring]") {
  BareBus bus;
  const auto probe = run_child({"probe", "3000"}, bus.env());
  INFO(probe.result.err);
  CHECK(probe.result.out.starts_with("unavailable: cannot reach the Secret Service: "));
  CHECK(probe.result.out.find("no answer within") == std::string::npos);
  CHECK(probe.elapsed < 2s);
}

TEST_CASE("a Secret Service that never answers costs one bounded wait, then the file is used",
          "[integration][keyring]") {
  BareBus bus;
  BackgroundProcess silent({CS_CREDENTIALS_CHILD, "hang"}, bus.env());
  const auto deadline = Clock::now() + 10s;
  while (silent.out() != "ready\n" && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
  INFO(silent.err());
  REQUIRE(silent.out() == "ready\n");

  const auto probe = run_child({"probe", "500"}, bus.env());
  CHECK(probe.result.out ==
        "unavailable: cannot reach the Secret Service: no answer within 500 ms\n");
  CHECK(probe.elapsed >= 500ms);
  CHECK(probe.elapsed < 5s);

  TempDir tmp;
  const auto saved =
      run_child({"save", "500", tmp.path() + "/creds", "default", "at-h", "rt-h"}, bus.env());
  CHECK(saved.result.exit_code == 0);
  CHECK(saved.result.out.starts_with("storage=file\n"));
  CHECK(saved.elapsed < 5s);
}

TEST_CASE("a Secret Service with no keyring to write into makes the store use the file",
          "[integration][keyring]") {
  // A headless machine with GNOME Keyring installed but no login keyring: the service answers,
  // creating a keyring needs a prompt that cannot be shown, and the secrets go to the file.
  TempDir tmp;
  const std::string home = tmp.path() + "/home";
  std::filesystem::create_directories(home + "/run");
  std::filesystem::permissions(home + "/run", std::filesystem::perms::owner_all);
  const Env headless{{"HOME", home},
                     {"XDG_DATA_HOME", home + "/data"},
                     {"XDG_CACHE_HOME", home + "/cache"},
                     {"XDG_CONFIG_HOME", home + "/config"},
                     {"XDG_RUNTIME_DIR", home + "/run"},
                     {"DISPLAY", ""},
                     {"WAYLAND_DISPLAY", ""}};
  const auto dir = tmp.path() + "/creds";
  const auto start = Clock::now();
  const auto r = run_process({"dbus-run-session", "--", CS_CREDENTIALS_CHILD, "save", "5000", dir,
                              "default", "at-l", "rt-l"},
                             60s, {}, headless);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(
      r.out.starts_with("storage=file\nnotice=no OS keyring took the secrets (cannot store the "
                        "access_token of profile \"default\": "));
  CHECK(Clock::now() - start < 15s);
  CHECK(read_file(dir + "/credentials.json").find("\"access_token\": \"at-l\"") !=
        std::string::npos);
}

TEST_CASE("concurrent cloudsignal processes lose no credential update",
          "[integration][credentials]") {
  TempDir tmp;
  const auto dir = std::filesystem::path(tmp.path()) / "creds";
  const Env file_only{{"CLOUDSIGNAL_CREDENTIALS_STORE", "file"}};
  REQUIRE(
      run_child({"save", "3000", dir.string(), "counter", "0", "r"}, file_only).result.exit_code ==
      0);
  constexpr int k_processes = 4;
  constexpr int k_rounds = 25;
  std::vector<std::unique_ptr<BackgroundProcess>> children;
  for (int i = 0; i < k_processes; ++i) {
    children.push_back(std::make_unique<BackgroundProcess>(
        std::vector<std::string>{CS_CREDENTIALS_CHILD, "churn", dir.string(),
                                 "p" + std::to_string(i), std::to_string(k_rounds)}));
  }
  for (auto& child : children) {
    INFO(child->err());
    CHECK(child->wait(60s) == 0);
  }
  const auto json = nlohmann::json::parse(read_file((dir / "credentials.json").string()));
  CHECK(json["profiles"]["counter"]["access_token"] == std::to_string(k_processes * k_rounds));
  for (int i = 0; i < k_processes; ++i) {
    CHECK(json["profiles"]["p" + std::to_string(i)]["access_token"] ==
          "p" + std::to_string(i) + "-" + std::to_string(k_rounds - 1));
  }
}
