// login --with-token, auth token and logout with the real binary and a real Secret Service
// (ctest runs this binary through with_keyring.sh): the secret lives in the keyring, never in
// credentials.json, and signing out deletes it.

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::cloudsignal_binary;
using cs::test::read_file;

TEST_CASE("with a Secret Service, login keeps the key in the keyring and logout deletes it",
          "[integration][cli][auth][keyring]") {
  cs::test::DevBroker broker;
  cs::test::TempDir home;
  const std::map<std::string, std::string> env = {
      {"HOME", home.path()}, {"CLOUDSIGNAL_CREDENTIALS_STORE", ""}, {"CLOUDSIGNAL_API_KEY", ""}};
  const auto run = [&](std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.begin(), cloudsignal_binary());
    return cs::test::run_process(args, 30s, input, env);
  };
  const std::string url = "http://127.0.0.1:" + std::to_string(broker.http_port());
  const std::string key = broker.admin_key();
  auto r = run({"login", "--with-token", "--api-url", url}, key);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("secrets in the keyring") != std::string::npos);
  const std::string file = home.path() + "/.cloudsignal/credentials.json";
  const auto stored = nlohmann::json::parse(read_file(file))["profiles"]["default"];
  CHECK(stored["storage"] == "keyring");
  CHECK(read_file(file).find(key) == std::string::npos);
  CHECK(run({"auth", "token"}).out == key + "\n");
  r = run({"whoami", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["storage"] == "keyring");

  const auto keyring_item = [&] {
    const auto dir = std::filesystem::weakly_canonical(home.path() + "/.cloudsignal").string();
    return cs::test::run_process({"secret-tool", "lookup", "xdg:schema", "io.cloudsignal.cli",
                                  "directory", dir, "profile", "default", "kind", "api_key"},
                                 10s)
        .out;
  };
  CHECK(keyring_item() == key);
  CHECK(run({"logout"}).exit_code == 0);
  CHECK(keyring_item().empty());
  CHECK(run({"whoami"}).exit_code == 3);
}
