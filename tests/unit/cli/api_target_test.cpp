#include "cli/api_target.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/session.h"
#include "tests/support/process.h"

namespace {

using cs::ErrorCode;
using cs::cli::ApiFlags;
using cs::cli::resolve_api_target;
using namespace std::chrono_literals;

// A HOME in a temporary directory, a fixed environment and clock, and the credential store that
// the CLI would open there.
struct Fixture {
  cs::test::TempDir temp;
  std::map<std::string, std::string> env;
  std::ostringstream out, err;
  cs::SysSeconds now{std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 13h};
  cs::cli::Context ctx{out, err, [this](std::string_view name) -> std::optional<std::string> {
                         const auto it = env.find(std::string(name));
                         if (it == env.end()) return std::nullopt;
                         return it->second;
                       }};

  Fixture() {
    env["HOME"] = temp.path();
    env["CLOUDSIGNAL_CREDENTIALS_STORE"] = "file";
    ctx.now = [this] { return now; };
  }

  void save(const std::string& name, const cs::credentials::Session& session) {
    auto store = cs::cli::open_store(ctx);
    REQUIRE(store);
    REQUIRE(store->save(name, session));
  }

  void save_key(const std::string& name, const std::string& url, const std::string& key) {
    cs::credentials::Session session;
    session.profile.api_url = url;
    session.secrets.api_key = key;
    save(name, session);
  }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = temp.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  std::string credentials_file() const { return temp.path() + "/.cloudsignal/credentials.json"; }
};

ApiFlags flags_with(std::string profile = {}, std::string api_url = {}) {
  ApiFlags flags;
  flags.profile = std::move(profile);
  flags.api_url = std::move(api_url);
  return flags;
}

}  // namespace

TEST_CASE("with nothing signed in, commands are told how to sign in (auth exit code)",
          "[cli][api_target]") {
  Fixture f;
  const auto target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::unauthorized);
  CHECK(cs::exit_code(target.error().code) == 3);
  CHECK(target.error().message == "not signed in");
  CHECK(target.error().hint == "run `cloudsignal login`, set CLOUDSIGNAL_API_KEY, or use --dev");
  // Looking does not create anything.
  CHECK_FALSE(std::filesystem::exists(f.temp.path() + "/.cloudsignal"));
}

TEST_CASE("a missing named profile is named in the error", "[cli][api_target]") {
  Fixture f;
  f.save_key("default", "https://api.example.com", "sk_default");
  const auto target = resolve_api_target(flags_with("staging"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::unauthorized);
  CHECK(target.error().message == "not signed in (there is no profile \"staging\")");
  CHECK(target.error().hint ==
        "run `cloudsignal login --profile staging`, set CLOUDSIGNAL_API_KEY, or use --dev");
}

TEST_CASE("the default profile supplies URL and key", "[cli][api_target]") {
  Fixture f;
  f.save_key("default", "https://api.example.com", "sk_default");
  const auto target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE(target);
  CHECK(target->url.origin() == "https://api.example.com:443");
  CHECK(target->bearer == "sk_default");
  CHECK(target->source == "profile \"default\"");
  CHECK(target->profile == "default");
  REQUIRE(target->stored);
  CHECK(target->stored->storage == cs::credentials::Storage::file);
}

TEST_CASE("profile precedence: --profile > CLOUDSIGNAL_PROFILE > default", "[cli][api_target]") {
  Fixture f;
  f.save_key("default", "https://default.example.com", "sk_default");
  f.save_key("envprof", "https://env.example.com", "sk_env");
  f.save_key("flagprof", "https://flag.example.com", "sk_flag");
  f.env["CLOUDSIGNAL_PROFILE"] = "envprof";
  auto target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_env");
  CHECK(target->url.host == "env.example.com");
  target = resolve_api_target(flags_with("flagprof"), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_flag");
  CHECK(target->source == "profile \"flagprof\"");
}

TEST_CASE("an invalid profile name is a usage error", "[cli][api_target]") {
  Fixture f;
  f.env["CLOUDSIGNAL_PROFILE"] = "../etc";
  const auto target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::usage);
  CHECK(target.error().message == "invalid profile name \"../etc\"");
}

TEST_CASE("CLOUDSIGNAL_API_KEY replaces the profile and never reads the file",
          "[cli][api_target]") {
  Fixture f;
  std::filesystem::create_directories(f.temp.path() + "/.cloudsignal");
  std::ofstream(f.credentials_file()) << "{ damaged";
  f.env["CLOUDSIGNAL_API_KEY"] = "sk_from_env";
  auto target = resolve_api_target(flags_with("whatever"), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_from_env");
  CHECK(target->source == "CLOUDSIGNAL_API_KEY");
  CHECK(target->url.origin() == "https://api.cloudsignal.io:443");
  CHECK(target->profile.empty());
  CHECK(cs::test::read_file(f.credentials_file()) == "{ damaged");

  f.env["CLOUDSIGNAL_API_URL"] = "https://env.example.com";
  target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE(target);
  CHECK(target->url.host == "env.example.com");
  target = resolve_api_target(flags_with({}, "http://127.0.0.1:18080"), f.ctx);
  REQUIRE(target);
  CHECK(target->url.origin() == "http://127.0.0.1:18080");
}

TEST_CASE("a profile's credential is never sent to another API", "[cli][api_target]") {
  Fixture f;
  f.save_key("default", "https://api.example.com", "sk_default");
  auto target = resolve_api_target(flags_with({}, "https://evil.example.net"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::unauthorized);
  CHECK(target.error().message ==
        "profile \"default\" is signed in to https://api.example.com, not "
        "https://evil.example.net");
  f.env["CLOUDSIGNAL_API_URL"] = "https://api.example.com:8443";
  CHECK_FALSE(resolve_api_target(flags_with(), f.ctx));
  // The same API, written differently, is fine; the flag beats the environment.
  target = resolve_api_target(flags_with({}, "https://api.example.com:443/"), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_default");
}

TEST_CASE("an unusable API URL is a usage error before anything is read", "[cli][api_target]") {
  Fixture f;
  const auto target = resolve_api_target(flags_with({}, "http://api.example.com"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::usage);
  CHECK(target.error().message.rfind("the API URL http://api.example.com is not usable", 0) == 0);
}

TEST_CASE("a profile with a key file reads the key from it, with its CA", "[cli][api_target]") {
  Fixture f;
  const std::string key_file = f.write("admin.key", "sk_local_admin\n");
  cs::credentials::Session session;
  session.profile.api_url = "http://127.0.0.1:18080";
  session.profile.api_key_file = key_file;
  session.profile.ca_file = "/some/ca.pem";
  f.save("dev", session);
  auto target = resolve_api_target(flags_with("dev"), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_local_admin");
  CHECK(target->ca_file == "/some/ca.pem");
  std::filesystem::remove(key_file);
  target = resolve_api_target(flags_with("dev"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::io);
  CHECK(target.error().message == "cannot read " + key_file);
}

TEST_CASE("the --dev flag wins over CLOUDSIGNAL_API_KEY and the profile", "[cli][api_target]") {
  Fixture f;
  f.save_key("default", "https://api.example.com", "sk_default");
  f.env["CLOUDSIGNAL_API_KEY"] = "sk_from_env";
  const std::string dir = f.temp.path() + "/dev";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/admin.key") << "sk_dev_admin\n";
  std::ofstream(dir + "/dev.json") << nlohmann::json{
      {"api_url", "http://127.0.0.1:5555"},
      {"admin_key_file", dir + "/admin.key"},
      {"ca_file", dir + "/ca.pem"}}.dump();
  ApiFlags flags;
  flags.dev = true;
  flags.dev_data_dir = dir;
  const auto target = resolve_api_target(flags, f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_dev_admin");
  CHECK(target->source == "--dev");
  CHECK(target->url.origin() == "http://127.0.0.1:5555");
  CHECK(target->ca_file == dir + "/ca.pem");
}

TEST_CASE("a session far from expiry uses its access token as it is", "[cli][api_target]") {
  Fixture f;
  cs::credentials::Session session;
  session.profile.api_url = "https://api.example.com";
  session.profile.access_token_expires_at = f.now + 61s;
  session.secrets.access_token = "at_current";
  session.secrets.refresh_token = "rt_current";
  f.save("default", session);
  const auto before = cs::test::read_file(f.credentials_file());
  const auto target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "at_current");
  REQUIRE(target->stored);
  CHECK(target->stored->access_token_expires_at == f.now + 61s);
  CHECK(cs::test::read_file(f.credentials_file()) == before);
}

TEST_CASE("a session near expiry without a refresh token has expired", "[cli][api_target]") {
  Fixture f;
  cs::credentials::Session session;
  session.profile.api_url = "https://api.example.com";
  session.profile.access_token_expires_at = f.now + 60s;
  session.secrets.access_token = "at_old";
  f.save("work", session);
  const auto target = resolve_api_target(flags_with("work"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::unauthorized);
  CHECK(target.error().message == "session expired, run `cloudsignal login`");
  CHECK(target.error().hint == "run `cloudsignal login --profile work`");
}

TEST_CASE("same_api compares scheme, host, port and path", "[cli][api_target]") {
  using cs::cli::same_api;
  CHECK(same_api("https://a.example.com", "https://a.example.com/"));
  CHECK(same_api("https://a.example.com:443/x", "https://a.example.com/x/"));
  CHECK_FALSE(same_api("https://a.example.com", "http://a.example.com"));
  CHECK_FALSE(same_api("https://a.example.com", "https://b.example.com"));
  CHECK_FALSE(same_api("https://a.example.com/x", "https://a.example.com/y"));
  CHECK_FALSE(same_api("not a url", "not a url"));
}

TEST_CASE("with no profile named and no default, the dev profile of `cloudsignal dev` is used",
          "[cli][api_target]") {
  Fixture f;
  f.save_key("dev", "http://127.0.0.1:18080", "sk_dev");
  auto target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE(target);
  CHECK(target->profile == "dev");
  CHECK(target->bearer == "sk_dev");
  // The same API named by URL still reaches it; another API is not signed in.
  CHECK(resolve_api_target(flags_with({}, "http://127.0.0.1:18080/"), f.ctx));
  target = resolve_api_target(flags_with({}, "https://api.example.com"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().message == "not signed in");
  // A named profile never falls back, nor does CLOUDSIGNAL_PROFILE.
  target = resolve_api_target(flags_with("work"), f.ctx);
  REQUIRE_FALSE(target);
  CHECK(target.error().code == ErrorCode::unauthorized);
  f.env["CLOUDSIGNAL_PROFILE"] = "default";
  CHECK_FALSE(resolve_api_target(flags_with(), f.ctx));
  f.env.erase("CLOUDSIGNAL_PROFILE");
  // A default profile wins over the dev one.
  f.save_key("default", "https://api.example.com", "sk_cloud");
  target = resolve_api_target(flags_with(), f.ctx);
  REQUIRE(target);
  CHECK(target->bearer == "sk_cloud");
}
