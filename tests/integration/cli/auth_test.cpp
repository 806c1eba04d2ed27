// login --with-token, whoami, auth token and logout with the real binary against a real
// `cloudsignal dev`, each in a HOME of its own; and the `dev` profile that `cloudsignal dev`
// writes.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::cloudsignal_binary;
using cs::test::DevBroker;
using cs::test::ProcessResult;
using cs::test::read_file;
using cs::test::TempDir;
using nlohmann::json;

namespace {

// The CLI as a user runs it, with a HOME of its own and secrets in the file.
struct User {
  TempDir home;
  std::map<std::string, std::string> env{{"HOME", home.path()},
                                         {"CLOUDSIGNAL_CREDENTIALS_STORE", "file"},
                                         {"CLOUDSIGNAL_API_KEY", ""},
                                         {"CLOUDSIGNAL_API_URL", ""},
                                         {"CLOUDSIGNAL_PROFILE", ""}};

  ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), cloudsignal_binary());
    return cs::test::run_process(args, 30s, input, env);
  }

  std::string credentials_file() const { return env.at("HOME") + "/.cloudsignal/credentials.json"; }

  json credentials() const { return json::parse(read_file(credentials_file())); }
};

std::string api_url(const DevBroker& broker) {
  return "http://127.0.0.1:" + std::to_string(broker.http_port());
}

json whoami(const User& user, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"whoami", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = user.run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("cloudsignal dev writes a dev profile that commands use with --profile dev",
          "[integration][cli][auth]") {
  DevBroker broker;
  User user;
  user.env["HOME"] = broker.home();
  // The profile is saved right after dev.json appears.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (read_file(user.credentials_file()).find("\"dev\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  const auto stored = user.credentials()["profiles"]["dev"];
  CHECK(stored["api_url"] == api_url(broker));
  CHECK(stored["api_key_file"] == broker.data_dir() + "/admin.key");
  CHECK(stored["ca_file"] == broker.ca_file());
  CHECK(stored["storage"] == "file");
  CHECK_FALSE(stored.contains("api_key"));
  struct stat st {};
  REQUIRE(stat(user.credentials_file().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  const auto me = whoami(user, {"--profile", "dev"});
  CHECK(me["org_short_id"] == broker.org_short_id());
  CHECK(me["email"].is_null());
  CHECK(me["credential"] == "api_key");
  CHECK(me["source"] == "profile \"dev\"");
  CHECK(me["api_url"] == api_url(broker));
  CHECK(me["storage"] == "file");
  CHECK(user.run({"auth", "token", "--profile", "dev"}).out == broker.admin_key() + "\n");
  user.env["CLOUDSIGNAL_PROFILE"] = "dev";
  CHECK(whoami(user)["source"] == "profile \"dev\"");
  // --dev reads dev.json directly, whatever the profiles say.
  user.env["CLOUDSIGNAL_PROFILE"] = "";
  const auto dev = whoami(user, {"--dev", "--dev-dir", broker.data_dir()});
  CHECK(dev["source"] == "--dev");
  CHECK(dev["org_short_id"] == broker.org_short_id());
}

TEST_CASE("login --with-token signs in with an API key, logout signs out",
          "[integration][cli][auth]") {
  DevBroker broker;
  User user;
  auto r = user.run({"login", "--with-token", "--api-url", api_url(broker)},
                    "  " + broker.admin_key() + "\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "Signed in to " + api_url(broker) + " as an API key of organization " +
                     broker.org_short_id() + " (profile \"default\", secrets in the file)\n");
  const auto stored = user.credentials()["profiles"]["default"];
  CHECK(stored["api_key"] == broker.admin_key());
  CHECK(stored["org_short_id"] == broker.org_short_id());
  CHECK(stored["storage"] == "file");

  const auto me = whoami(user);
  CHECK(me["org_short_id"] == broker.org_short_id());
  CHECK(me["source"] == "profile \"default\"");
  CHECK(me["access_token_expires_at"].is_null());
  r = user.run({"whoami"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("source    profile \"default\"\n") != std::string::npos);
  CHECK(r.out.find("storage   file\n") != std::string::npos);
  CHECK(user.run({"auth", "token"}).out == broker.admin_key() + "\n");

  r = user.run({"logout"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "Signed out of profile \"default\"\n");
  CHECK(read_file(user.credentials_file()).find(broker.admin_key()) == std::string::npos);
  r = user.run({"whoami"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.rfind("error: not signed in\n", 0) == 0);
}

TEST_CASE("login --with-token with a wrong key fails with the auth code and saves nothing",
          "[integration][cli][auth]") {
  DevBroker broker;
  User user;
  const auto r = user.run({"login", "--with-token", "--api-url", api_url(broker)},
                          "sk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
  CHECK(r.exit_code == 3);
  CHECK(r.err.rfind("error: " + api_url(broker) + " refused the token\n", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(user.credentials_file()));
}

TEST_CASE("login --dev --with-token signs a named profile in to the local broker",
          "[integration][cli][auth]") {
  DevBroker broker;
  User user;
  const auto r = user.run(
      {"login", "--dev", "--dev-dir", broker.data_dir(), "--with-token", "--profile", "local"},
      broker.admin_key());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto stored = user.credentials()["profiles"]["local"];
  CHECK(stored["api_url"] == api_url(broker));
  CHECK(stored["ca_file"] == broker.ca_file());
  CHECK(whoami(user, {"--profile", "local"})["org_short_id"] == broker.org_short_id());
  // The default profile is still not signed in.
  CHECK(user.run({"whoami"}).exit_code == 3);
}

TEST_CASE("CI mode: CLOUDSIGNAL_API_KEY and CLOUDSIGNAL_API_URL need no profile",
          "[integration][cli][auth]") {
  DevBroker broker;
  User user;
  user.env["CLOUDSIGNAL_API_URL"] = api_url(broker);
  user.env["CLOUDSIGNAL_API_KEY"] = broker.admin_key();
  const auto me = whoami(user);
  CHECK(me["source"] == "CLOUDSIGNAL_API_KEY");
  CHECK(me["profile"].is_null());
  CHECK(me["storage"].is_null());
  CHECK_FALSE(std::filesystem::exists(user.credentials_file()));
  user.env["CLOUDSIGNAL_API_KEY"] = "sk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  CHECK(user.run({"whoami"}).exit_code == 3);
  // With CI set and no token, login fails at once instead of waiting for a browser.
  user.env["CI"] = "1";
  const auto r = user.run({"login"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("CLOUDSIGNAL_API_KEY") != std::string::npos);
}

TEST_CASE("a session whose refresh is refused has expired (auth exit code)",
          "[integration][cli][auth]") {
  DevBroker broker;
  User user;
  std::filesystem::create_directories(user.home.path() + "/.cloudsignal");
  std::filesystem::permissions(user.home.path() + "/.cloudsignal",
                               std::filesystem::perms::owner_all);
  {
    std::ofstream out(user.credentials_file());
    out << json{{"version", 1},
                {"profiles",
                 {{"default",
                   {{"api_url", api_url(broker)},
                    {"access_token_expires_at", "2026-01-01T00:00:00Z"},
                    {"storage", "file"},
                    {"access_token", "at_stale"},
                    {"refresh_token", "rt_unknown_to_the_server"}}}}}};
  }
  std::filesystem::permissions(user.credentials_file(), std::filesystem::perms::owner_read |
                                                            std::filesystem::perms::owner_write);
  const auto before = read_file(user.credentials_file());
  const auto r = user.run({"auth", "token"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: session expired, run `cloudsignal login`\nhint: run `cloudsignal login`\n");
  CHECK(read_file(user.credentials_file()) == before);
}
