// The sign-in page in a real browser: headless Chromium, driven through chromedriver's WebDriver
// HTTP API, opens the authorize URL and clicks Approve. The CLI's loopback callback, a small
// server in this test, must receive the code and state (so the page's form and its
// Content-Security-Policy let the redirect through), and the code must buy tokens.

#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/integration/devbroker/api/oauth_login.h"
#include "tests/support/browser.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;

// The CLI's loopback callback on `host` ("127.0.0.1" or "::1"): remembers the query of the first
// request to /callback.
class Callback {
 public:
  explicit Callback(std::string host = "127.0.0.1") : m_host(std::move(host)) {
    m_server.Get("/callback", [this](const httplib::Request& request, httplib::Response& response) {
      {
        std::lock_guard lock(m_mutex);
        if (!m_received) m_received = request.params;
      }
      m_arrived.notify_all();
      response.set_content("Signed in. You can close this tab.", "text/plain");
    });
    m_port = m_server.bind_to_any_port(m_host);
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
  }
  ~Callback() {
    m_server.stop();
    m_thread.join();
  }
  std::string uri() const {
    const bool v6 = m_host.find(':') != std::string::npos;
    return std::string("http://")
        .append(v6 ? "[" : "")
        .append(m_host)
        .append(v6 ? "]:" : ":")
        .append(std::to_string(m_port))
        .append("/callback");
  }
  // The query the browser brought, once it came (empty after `timeout`).
  httplib::Params wait(std::chrono::seconds timeout) {
    std::unique_lock lock(m_mutex);
    m_arrived.wait_for(lock, timeout, [this] { return m_received.has_value(); });
    return m_received.value_or(httplib::Params{});
  }

 private:
  std::string m_host;
  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
  std::mutex m_mutex;
  std::condition_variable m_arrived;
  std::optional<httplib::Params> m_received;
};

std::string param(const httplib::Params& params, const std::string& name) {
  const auto it = params.find(name);
  return it == params.end() ? "<absent>" : it->second;
}

}  // namespace

TEST_CASE("oauth: a real browser approves on the sign-in page and the CLI gets the code",
          "[integration][api][oauth][browser]") {
  DevBroker broker{{}};
  // The form-action of the page's Content-Security-Policy must let either callback through.
  const std::string host = GENERATE(as<std::string>(), "127.0.0.1", "::1");
  Callback callback(host);
  INFO("callback on " << host);
  OAuthLogin login(broker.http_port(), callback.uri());
  Browser browser;
  browser.open(std::string("http://127.0.0.1:")
                   .append(std::to_string(broker.http_port()))
                   .append(login.authorize_path(login.params())));
  CHECK(browser.title() == "Sign in to the cloudsignal CLI");
  browser.click("button[value=approve]");

  const auto received = callback.wait(30s);
  REQUIRE(param(received, "state") == login.state);
  const std::string code = param(received, "code");
  CHECK(code.size() == 43);
  auto tokens = login.exchange(code);
  REQUIRE(tokens.status == 200);
  ApiClient session(broker.http_port(), tokens.body["access_token"]);
  CHECK(session.get("/v2/me").body["user"]["email"] == "developer@localhost");
}

TEST_CASE("oauth: a real browser denies on the sign-in page and the CLI hears it",
          "[integration][api][oauth][browser]") {
  DevBroker broker{{}};
  Callback callback;
  OAuthLogin login(broker.http_port(), callback.uri());
  Browser browser;
  browser.open(std::string("http://localhost:")
                   .append(std::to_string(broker.http_port()))
                   .append(login.authorize_path(login.params())));
  browser.click("button[value=deny]");
  const auto received = callback.wait(30s);
  CHECK(param(received, "error") == "access_denied");
  CHECK(param(received, "state") == login.state);
  CHECK(param(received, "code") == "<absent>");
}

}  // namespace cs::test
