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

namespace {

// `cloudsignal args...` in a mount namespace of its own where libsecret-1.so.0 is an empty
// file: a machine with a Secret Service running but without the library.
std::vector<std::string> without_libsecret(std::vector<std::string> args) {
  std::vector<std::string> argv = {
      "unshare",
      "--mount",
      "--",
      "sh",
      "-c",
      "lib=$(ldconfig -p | awk '/libsecret-1.so.0 /{print $NF; exit}') && "
      "mount --bind /dev/null \"$lib\" && exec \"$@\"",
      "sh",
      cloudsignal_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

TEST_CASE("without libsecret, login keeps the key in the 0600 file and says why",
          "[integration][cli][auth][keyring]") {
  cs::test::DevBroker broker;
  cs::test::TempDir home;
  std::map<std::string, std::string> env = {
      {"HOME", home.path()}, {"CLOUDSIGNAL_CREDENTIALS_STORE", ""}, {"CLOUDSIGNAL_API_KEY", ""}};
  const std::string url = "http://127.0.0.1:" + std::to_string(broker.http_port());
  const std::string key = broker.admin_key();

  auto r = cs::test::run_process(without_libsecret({"login", "--with-token", "--api-url", url}),
                                 30s, key, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("libsecret is not installed") != std::string::npos);
  CHECK(r.err.find("secrets in the keyring") == std::string::npos);
  const std::string file = home.path() + "/.cloudsignal/credentials.json";
  CHECK(nlohmann::json::parse(read_file(file))["profiles"]["default"]["storage"] == "file");
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  // The Secret Service that runs here was left alone.
  const auto dir = std::filesystem::weakly_canonical(home.path() + "/.cloudsignal").string();
  CHECK(cs::test::run_process({"secret-tool", "lookup", "xdg:schema", "io.cloudsignal.cli",
                               "directory", dir, "profile", "default", "kind", "api_key"},
                              10s)
            .out.empty());
  r = cs::test::run_process(without_libsecret({"auth", "token"}), 30s, {}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.out == key + "\n");

  // Asked for the keyring by name, it refuses rather than write the secret to the file.
  cs::test::TempDir other;
  env["HOME"] = other.path();
  env["CLOUDSIGNAL_CREDENTIALS_STORE"] = "keyring";
  r = cs::test::run_process(without_libsecret({"login", "--with-token", "--api-url", url}), 30s,
                            key, env);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("libsecret is not installed") != std::string::npos);
  const std::string other_file = other.path() + "/.cloudsignal/credentials.json";
  if (std::filesystem::exists(other_file))
    CHECK(read_file(other_file).find(key) == std::string::npos);
}
