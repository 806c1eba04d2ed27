#include "cli/session.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

namespace {

using cs::ErrorCode;
using nlohmann::json;
using namespace std::chrono_literals;

const cs::SysSeconds k_now{std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 13h};

json grant_json() {
  return {{"access_token", "at_new"},
          {"token_type", "Bearer"},
          {"expires_in", 3600},
          {"refresh_token", "rt_new"},
          {"scope", "admin"}};
}

}  // namespace

TEST_CASE("a session is refreshed within 60 s of its expiry, never without one", "[cli][session]") {
  cs::credentials::Profile profile;
  CHECK_FALSE(cs::cli::needs_refresh(profile, k_now));  // an API key or plain token
  profile.access_token_expires_at = k_now + 61s;
  CHECK_FALSE(cs::cli::needs_refresh(profile, k_now));
  profile.access_token_expires_at = k_now + 60s;
  CHECK(cs::cli::needs_refresh(profile, k_now));
  profile.access_token_expires_at = k_now - 3600s;
  CHECK(cs::cli::needs_refresh(profile, k_now));
}

TEST_CASE("a token answer is read with its expiry", "[cli][session]") {
  const auto grant = cs::cli::parse_token_response(grant_json(), k_now);
  REQUIRE(grant);
  CHECK(grant->access_token == "at_new");
  CHECK(grant->refresh_token == "rt_new");
  CHECK(grant->expires_at == k_now + 3600s);
}

TEST_CASE("broken token answers are refused", "[cli][session]") {
  const std::map<std::string, json> cases = {
      {"no access token",
       [] {
         auto j = grant_json();
         j.erase("access_token");
         return j;
       }()},
      {"empty access token",
       [] {
         auto j = grant_json();
         j["access_token"] = "";
         return j;
       }()},
      {"not bearer",
       [] {
         auto j = grant_json();
         j["token_type"] = "mac";
         return j;
       }()},
      {"expires_in as text",
       [] {
         auto j = grant_json();
         j["expires_in"] = "3600";
         return j;
       }()},
      {"expires_in zero",
       [] {
         auto j = grant_json();
         j["expires_in"] = 0;
         return j;
       }()},
      {"expires_in huge",
       [] {
         auto j = grant_json();
         j["expires_in"] = 1LL << 40;
         return j;
       }()},
      {"an array", json::array()},
  };
  for (const auto& [name, body] : cases) {
    INFO(name);
    const auto grant = cs::cli::parse_token_response(body, k_now);
    REQUIRE_FALSE(grant);
    CHECK(grant.error().code == ErrorCode::invalid_request);
  }
}

TEST_CASE("a grant replaces the tokens and keeps the refresh token it does not rotate",
          "[cli][session]") {
  cs::credentials::Session session;
  session.secrets.access_token = "at_old";
  session.secrets.refresh_token = "rt_old";
  cs::cli::apply_grant(session, {"at_new", std::nullopt, k_now + 10s});
  CHECK(session.secrets.access_token == "at_new");
  CHECK(session.secrets.refresh_token == "rt_old");
  CHECK(session.profile.access_token_expires_at == k_now + 10s);
  cs::cli::apply_grant(session, {"at_newer", "rt_new", k_now + 20s});
  CHECK(session.secrets.refresh_token == "rt_new");
}

TEST_CASE("the profile name: flag, then CLOUDSIGNAL_PROFILE, then default", "[cli][session]") {
  std::ostringstream out, err;
  std::map<std::string, std::string> env;
  cs::cli::Context ctx{out, err, [&env](std::string_view name) -> std::optional<std::string> {
                         const auto it = env.find(std::string(name));
                         if (it == env.end()) return std::nullopt;
                         return it->second;
                       }};
  CHECK(cs::cli::profile_name("", ctx) == "default");
  env["CLOUDSIGNAL_PROFILE"] = "ci";
  CHECK(cs::cli::profile_name("", ctx) == "ci");
  CHECK(cs::cli::profile_name("mine", ctx) == "mine");
  const auto bad = cs::cli::profile_name("a b", ctx);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::usage);
}

TEST_CASE("the credential store needs HOME and a valid store choice", "[cli][session]") {
  std::ostringstream out, err;
  std::map<std::string, std::string> env;
  cs::cli::Context ctx{out, err, [&env](std::string_view name) -> std::optional<std::string> {
                         const auto it = env.find(std::string(name));
                         if (it == env.end()) return std::nullopt;
                         return it->second;
                       }};
  auto store = cs::cli::open_store(ctx);
  REQUIRE_FALSE(store);
  CHECK(store.error().code == ErrorCode::usage);
  env["HOME"] = "/home/someone";
  env["CLOUDSIGNAL_CREDENTIALS_STORE"] = "vault";
  store = cs::cli::open_store(ctx);
  REQUIRE_FALSE(store);
  CHECK(store.error().message ==
        "CLOUDSIGNAL_CREDENTIALS_STORE must be \"file\" or \"keyring\", not \"vault\"");
  env["CLOUDSIGNAL_CREDENTIALS_STORE"] = "file";
  store = cs::cli::open_store(ctx);
  REQUIRE(store);
  CHECK(store->file() == "/home/someone/.cloudsignal/credentials.json");
}

TEST_CASE("an expired session says how to sign in again", "[cli][session]") {
  const auto error = cs::cli::session_expired("default");
  CHECK(error.code == ErrorCode::unauthorized);
  CHECK(error.message == "session expired, run `cloudsignal login`");
  CHECK(error.hint == "run `cloudsignal login`");
}
