// `cloudsignal login` end to end with a real browser: the CLI hands the sign-in URL to $BROWSER
// (a script that only passes it on to the test), headless Chromium loads the dev broker's sign-in
// page, the test clicks Approve or Deny, and Chromium follows the redirect to the CLI's loopback
// callback and shows the CLI's answer.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/cli/login_helpers.h"
#include "tests/support/browser.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::BackgroundProcess;
using cs::test::Browser;
using cs::test::DevBroker;
using cs::test::login::api_url;
using cs::test::login::User;

namespace {

// Passes the URL on to the test through a file and exits, as `xdg-open` returns at once.
constexpr const char* k_hand_over = R"(#!/usr/bin/python3
import os, sys
out = os.environ["FAKE_OUT"] + ".url"
with open(out + ".tmp", "w") as f:
    f.write(sys.argv[1])
os.rename(out + ".tmp", out)
)";

// A user whose $BROWSER hands the sign-in URL to the test.
struct ChromiumUser : User {
  ChromiumUser() { std::ofstream(browser) << k_hand_over; }
  std::string url_file() const { return env.at("FAKE_OUT") + ".url"; }
};

// Starts `cloudsignal login` as `user` and returns the URL it asked the browser to open.
std::string start_login(const ChromiumUser& user, const DevBroker& broker,
                        std::unique_ptr<BackgroundProcess>& login) {
  login = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{cs::test::cloudsignal_binary(), "login", "--api-url",
                               api_url(broker)},
      user.env);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!std::filesystem::exists(user.url_file())) {
    INFO(login->err());
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    REQUIRE_FALSE(login->wait(0ms));
    std::this_thread::sleep_for(20ms);
  }
  return cs::test::read_file(user.url_file());
}

}  // namespace

TEST_CASE("login with headless Chromium: Approve signs the CLI in, Deny refuses",
          "[integration][cli][login][browser]") {
  DevBroker broker(std::vector<std::string>{});
  Browser browser;
  const bool approve = GENERATE(true, false);
  INFO((approve ? "approve" : "deny"));
  ChromiumUser user;
  std::unique_ptr<BackgroundProcess> login;
  const std::string url = start_login(user, broker, login);
  CHECK(url.rfind(api_url(broker) + "/oauth/authorize?", 0) == 0);

  browser.open(url);
  CHECK(browser.title() == "Sign in to the cloudsignal CLI");
  browser.click(approve ? "button[value=approve]" : "button[value=deny]");
  const auto code = login->wait(30s);
  INFO(login->err());
  REQUIRE(code);
  // The browser followed the redirect to the CLI, which answered with its own page.
  CHECK(browser.title() == "cloudsignal login");
  const std::string shown = browser.text();
  if (approve) {
    CHECK(*code == 0);
    CHECK(shown.find("Signed in") != std::string::npos);
    const auto whoami = user.run({"whoami", "--json"});
    REQUIRE(whoami.exit_code == 0);
    CHECK(nlohmann::json::parse(whoami.out)["email"] == "developer@localhost");
  } else {
    CHECK(*code == 3);
    CHECK(shown.find("Sign-in failed") != std::string::npos);
    CHECK(login->err().find("error: ") != std::string::npos);
    CHECK(user.run({"whoami"}).exit_code == 3);
  }
}
