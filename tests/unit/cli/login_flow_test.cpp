#include "cli/login_flow.h"

#include <catch2/catch.hpp>

namespace {

using cs::ErrorCode;
using Params = std::multimap<std::string, std::string>;

}  // namespace

TEST_CASE("the sign-in URL carries every parameter of API.md, encoded", "[cli][login]") {
  const auto api = cs::http::parse_url("https://api.example.com/base/");
  REQUIRE(api);
  CHECK(cs::cli::authorize_url(*api, {cs::cli::loopback_redirect_uri(43210), "ch-AL_l", "s+t/e"}) ==
        "https://api.example.com:443/base/oauth/authorize?response_type=code"
        "&client_id=cloudsignal-cli&redirect_uri=http%3A%2F%2F127.0.0.1%3A43210%2Fcallback"
        "&code_challenge=ch-AL_l&code_challenge_method=S256&state=s%2Bt%2Fe");
}

TEST_CASE("the callback yields the code when the state matches", "[cli][login]") {
  const auto code = cs::cli::read_callback({{"code", "abc"}, {"state", "s1"}}, "s1");
  REQUIRE(code);
  CHECK(*code == "abc");
}

TEST_CASE("the state is checked before anything else the callback says", "[cli][login]") {
  for (const Params& params :
       {Params{{"code", "abc"}, {"state", "s2"}}, Params{{"code", "abc"}},
        Params{{"error", "access_denied"}, {"state", "s"}},
        Params{{"code", "abc"}, {"state", "s1"}, {"state", "s1"}}, Params{}}) {
    const auto code = cs::cli::read_callback(params, "s1");
    REQUIRE_FALSE(code);
    CHECK(code.error().code == ErrorCode::unauthorized);
    CHECK(code.error().message ==
          "the browser's answer does not belong to this login (state mismatch)");
  }
}

TEST_CASE("a denial and server errors become clear auth errors", "[cli][login]") {
  auto r = cs::cli::read_callback({{"error", "access_denied"}, {"state", "s"}}, "s");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::unauthorized);
  CHECK(r.error().message == "sign-in was denied in the browser");
  r = cs::cli::read_callback(
      {{"error", "invalid\x01scope"}, {"error_description", "no\nway"}, {"state", "s"}}, "s");
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "sign-in failed: invalid?scope (no?way)");
  r = cs::cli::read_callback({{"state", "s"}}, "s");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::invalid_request);
  r = cs::cli::read_callback({{"state", "s"}, {"code", ""}}, "s");
  REQUIRE_FALSE(r);
}

TEST_CASE("the callback page escapes what it shows", "[cli][login]") {
  const auto page = cs::cli::callback_page(false, "<script>alert('x')</script> & \"y\"");
  CHECK(page.find("<h1>Sign-in failed</h1>") != std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;") !=
        std::string::npos);
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(cs::cli::callback_page(true, "ok").find("<h1>Signed in</h1>") != std::string::npos);
}

TEST_CASE("the login window is 5 minutes unless CLOUDSIGNAL_LOGIN_TIMEOUT says otherwise",
          "[cli][login]") {
  using std::chrono::seconds;
  CHECK(cs::cli::login_timeout(std::nullopt) == seconds(300));
  CHECK(cs::cli::login_timeout(std::string()) == seconds(300));
  CHECK(cs::cli::login_timeout(std::string("2")) == seconds(2));
  CHECK(cs::cli::login_timeout(std::string("3600")) == seconds(3600));
  for (const char* bad : {"0", "-1", "3601", "1.5", "2s", " 2", "99999999999999999999"}) {
    INFO(bad);
    const auto r = cs::cli::login_timeout(std::string(bad));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::usage);
    CHECK(r.error().message ==
          "CLOUDSIGNAL_LOGIN_TIMEOUT must be a number of seconds from 1 to 3600");
  }
}
