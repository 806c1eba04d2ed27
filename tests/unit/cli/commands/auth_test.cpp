#include "cli/commands/auth.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "cli/app.h"
#include "cli/session.h"
#include "tests/support/process.h"

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

// The command tree in-process, over a HOME in a temporary directory and no network.
struct Fixture {
  cs::test::TempDir temp;
  std::map<std::string, std::string> env;

  Fixture() {
    env["HOME"] = temp.path();
    env["CLOUDSIGNAL_CREDENTIALS_STORE"] = "file";
  }

  Run run(std::vector<std::string> args, const std::string& input = {}) {
    std::ostringstream out, err;
    std::istringstream in(input);
    cs::cli::Context ctx{out, err, [this](std::string_view name) -> std::optional<std::string> {
                           const auto it = env.find(std::string(name));
                           if (it == env.end()) return std::nullopt;
                           return it->second;
                         }};
    ctx.in = &in;
    const int code = cs::cli::run_cli(args, ctx);
    return {code, out.str(), err.str()};
  }

  void save_key(const std::string& name, const std::string& key) {
    std::ostringstream out, err;
    cs::cli::Context ctx{out, err, [this](std::string_view name_) -> std::optional<std::string> {
                           const auto it = env.find(std::string(name_));
                           if (it == env.end()) return std::nullopt;
                           return it->second;
                         }};
    auto store = cs::cli::open_store(ctx);
    REQUIRE(store);
    cs::credentials::Session session;
    session.profile.api_url = "https://api.example.com";
    session.secrets.api_key = key;
    REQUIRE(store->save(name, session));
  }
};

}  // namespace

TEST_CASE("login without a terminal, a browser or a token says what to do instead", "[cli][auth]") {
  Fixture f;
  const auto r = f.run({"login"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: login needs a browser, and there is no terminal to wait in\n"
        "hint: set CLOUDSIGNAL_API_KEY, or pipe a token into `cloudsignal login --with-token`\n");
}

TEST_CASE("login --with-token refuses empty, oversized and multi-token input", "[cli][auth]") {
  Fixture f;
  auto r = f.run({"login", "--with-token"}, " \n\t");
  CHECK(r.code == 2);
  CHECK(r.err.rfind("error: no token on stdin\n", 0) == 0);
  r = f.run({"login", "--with-token"}, std::string(cs::cli::k_max_token_input + 1, 'a'));
  CHECK(r.code == 2);
  CHECK(r.err == "error: the token on stdin is longer than 16 KiB\n");
  r = f.run({"login", "--with-token"}, "sk_one sk_two\n");
  CHECK(r.code == 2);
  CHECK(r.err == "error: stdin holds more than one token\n");
  // Nothing was saved.
  CHECK(cs::test::read_file(f.temp.path() + "/.cloudsignal/credentials.json").empty());
}

TEST_CASE("login --with-token refuses a plain-HTTP API URL that is not local", "[cli][auth]") {
  Fixture f;
  const auto r = f.run({"login", "--with-token", "--api-url", "http://api.example.com"}, "sk_x\n");
  CHECK(r.code == 2);
  CHECK(r.err.rfind("error: the API URL http://api.example.com is not usable", 0) == 0);
}

TEST_CASE("whoami and auth token without a credential exit with the auth code", "[cli][auth]") {
  Fixture f;
  for (const auto& args : std::vector<std::vector<std::string>>{{"whoami"}, {"auth", "token"}}) {
    const auto r = f.run(args);
    CHECK(r.code == 3);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "error: not signed in\n"
          "hint: run `cloudsignal login`, set CLOUDSIGNAL_API_KEY, or use --dev\n");
  }
}

TEST_CASE("auth token prints the resolved credential, after the command or before it",
          "[cli][auth]") {
  Fixture f;
  f.save_key("default", "sk_default_key");
  f.save_key("other", "sk_other_key");
  CHECK(f.run({"auth", "token"}).out == "sk_default_key\n");
  CHECK(f.run({"auth", "token", "--profile", "other"}).out == "sk_other_key\n");
  CHECK(f.run({"--profile", "other", "auth", "token"}).out == "sk_other_key\n");
  f.env["CLOUDSIGNAL_API_KEY"] = "sk_env_key";
  CHECK(f.run({"auth", "token", "--profile", "other"}).out == "sk_env_key\n");
}

TEST_CASE("logout removes the profile and its file secrets", "[cli][auth]") {
  Fixture f;
  f.save_key("default", "sk_default_key");
  f.save_key("other", "sk_other_key");
  auto r = f.run({"logout"});
  CHECK(r.code == 0);
  CHECK(r.err == "Signed out of profile \"default\"\n");
  const std::string file = cs::test::read_file(f.temp.path() + "/.cloudsignal/credentials.json");
  CHECK(file.find("sk_default_key") == std::string::npos);
  CHECK(file.find("sk_other_key") != std::string::npos);
  r = f.run({"logout"});
  CHECK(r.code == 4);
  CHECK(r.err ==
        "error: there is no profile \"default\"\nhint: sign in with `cloudsignal login`\n");
  r = f.run({"logout", "--all"});
  CHECK(r.code == 0);
  CHECK(r.err == "Signed out of profile \"other\"\n");
  r = f.run({"logout", "--all"});
  CHECK(r.code == 0);
  CHECK(r.err == "No profile is signed in\n");
}

TEST_CASE("auth needs a subcommand", "[cli][auth]") {
  Fixture f;
  CHECK(f.run({"auth"}).code == 2);
}
