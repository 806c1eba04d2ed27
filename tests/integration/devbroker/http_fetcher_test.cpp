// Fetching key documents over real HTTP from a loopback server.

#include "devbroker/auth/http_fetcher.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <thread>

using namespace cs::auth;
using namespace std::chrono_literals;

namespace {

// An HTTP server on 127.0.0.1 and a free port, stopped when the test ends.
class LoopbackServer {
 public:
  LoopbackServer() {
    m_server.Get("/jwks", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "public, max-age=120");
      res.set_content(R"({"keys":[]})", "application/json");
    });
    m_server.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(HttpFetcher::k_max_document + 1, 'x'), "application/json");
    });
    m_server.Get("/redirect", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://127.0.0.1:1/elsewhere");
    });
    // Bound and listening from here on: connections queue until the thread accepts them.
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
  }
  ~LoopbackServer() {
    m_server.stop();
    m_thread.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }

 private:
  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
};

}  // namespace

TEST_CASE("the fetcher reads a document and its max-age", "[integration][http_fetcher]") {
  LoopbackServer server;
  HttpFetcher fetcher;
  const auto doc = fetcher.fetch(server.url("/jwks"));
  REQUIRE(doc);
  CHECK(doc->body == R"({"keys":[]})");
  CHECK(doc->max_age == 120s);
}

TEST_CASE("the fetcher refuses errors, redirects and oversize documents",
          "[integration][http_fetcher]") {
  LoopbackServer server;
  HttpFetcher fetcher;
  CHECK(fetcher.fetch(server.url("/missing")).error().message == "the server answered HTTP 404");
  CHECK(fetcher.fetch(server.url("/redirect")).error().message == "the server answered HTTP 302");
  CHECK(fetcher.fetch(server.url("/huge")).error().message ==
        "the document is larger than 512 KiB");
}

TEST_CASE("the fetcher never sends plain HTTP off this machine", "[integration][http_fetcher]") {
  HttpFetcher fetcher;
  const auto r = fetcher.fetch("http://example.com/jwks");
  REQUIRE_FALSE(r);
  CHECK(r.error().message.ends_with("plain http is allowed only for 127.0.0.1, ::1 and localhost"));
}

TEST_CASE("the fetcher reports an unreachable server", "[integration][http_fetcher]") {
  HttpFetcher fetcher;
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const auto r = fetcher.fetch("http://127.0.0.1:1/jwks");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::unreachable);
}
