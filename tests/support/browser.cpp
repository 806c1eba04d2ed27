#include "tests/support/browser.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <httplib.h>
#include <stdexcept>
#include <thread>

namespace cs::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_chromedriver = "/usr/bin/chromedriver";
constexpr const char* k_chromium = "/usr/bin/chromium";
constexpr const char* k_element_key = "element-6066-11e4-a52e-4f735466cecf";  // WebDriver spec

// A port nobody listens on right now, for chromedriver, which cannot report one it chose.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

Browser::Browser() : m_port(free_port()) {
  if (!std::filesystem::exists(k_chromedriver) || !std::filesystem::exists(k_chromium)) {
    throw std::runtime_error(
        "chromium and chromium-driver are missing: run scripts/install-deps --test");
  }
  m_driver = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{k_chromedriver, "--port=" + std::to_string(m_port)});
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!call("GET", "/status", nullptr)
              .value("value", nlohmann::json::object())
              .value("ready", false)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("chromedriver did not start");
    }
    std::this_thread::sleep_for(100ms);
  }
  const nlohmann::json options = {
      {"binary", k_chromium},
      {"args",
       {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--user-data-dir=" + m_profile.path()}}};
  auto session =
      call("POST", "/session",
           {{"capabilities",
             {{"alwaysMatch", {{"browserName", "chrome"}, {"goog:chromeOptions", options}}}}}});
  m_session = session["value"].value("sessionId", "");
  if (m_session.empty()) throw std::runtime_error("no browser session: " + session.dump());
}

Browser::~Browser() {
  if (!m_session.empty()) call("DELETE", "/session/" + m_session, nullptr);
}

void Browser::open(const std::string& url) {
  command("POST", "/url", {{"url", url}});
}

std::string Browser::title() {
  return command("GET", "/title", nullptr).value("value", "");
}

std::string Browser::text() {
  auto found = command("POST", "/element", {{"using", "css selector"}, {"value", "body"}});
  const std::string element = found["value"].value(k_element_key, "");
  if (element.empty()) return {};
  return command("GET", "/element/" + element + "/text", nullptr).value("value", "");
}

void Browser::click(const std::string& css) {
  auto found = command("POST", "/element", {{"using", "css selector"}, {"value", css}});
  const std::string element = found["value"].value(k_element_key, "");
  if (element.empty()) throw std::runtime_error("no element matches " + css);
  command("POST", "/element/" + element + "/click", nlohmann::json::object());
}

nlohmann::json Browser::command(const std::string& method, const std::string& path,
                                const nlohmann::json& body) {
  return call(method, "/session/" + m_session + path, body);
}

nlohmann::json Browser::call(const std::string& method, const std::string& path,
                             const nlohmann::json& body) {
  httplib::Client client("127.0.0.1", m_port);
  client.set_read_timeout(60s);
  httplib::Request request;
  request.method = method;
  request.path = path;
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers.emplace("Content-Type", "application/json");
  }
  auto result = client.send(request);
  if (!result) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(result->body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json::object() : parsed;
}

}  // namespace cs::test
