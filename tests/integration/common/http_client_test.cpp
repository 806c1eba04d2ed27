// The CLI's HTTP client against real sockets: refused connections, untrusted TLS, oversize
// answers.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <thread>

#include "common/http/client.h"
#include "tests/support/dev_broker.h"

namespace cs::http {

TEST_CASE("a closed port is unreachable, with a hint", "[integration][http]") {
  // Bind and release a port so nothing listens on it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  const int port = ntohs(address.sin_port);
  Client client(*parse_url("http://127.0.0.1:" + std::to_string(port)));
  auto reply = client.json("GET", "/healthz", std::nullopt, std::nullopt);
  REQUIRE_FALSE(reply);
  CHECK(reply.error().code == ErrorCode::unreachable);
  CHECK_FALSE(reply.error().hint.empty());
}

TEST_CASE("answers larger than the limit are refused", "[integration][http]") {
  httplib::Server server;
  server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(64 * 1024, 'x'), "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  ClientOptions options;
  options.max_response_bytes = 1024;
  Client client(*parse_url("http://127.0.0.1:" + std::to_string(port)), options);
  auto reply = client.send(Request{"GET", "/big", "", "", std::nullopt});
  server.stop();
  thread.join();
  REQUIRE_FALSE(reply);
  CHECK(reply.error().code == ErrorCode::io);
}

TEST_CASE("the dev broker's API answers JSON and errors through the client",
          "[integration][http]") {
  test::DevBroker broker(std::vector<std::string>{});
  Client client(*parse_url("http://127.0.0.1:" + std::to_string(broker.http_port())));
  auto health = client.json("GET", "/healthz", std::nullopt, std::nullopt);
  REQUIRE(health);
  CHECK((*health)["status"] == "ok");
  auto me = client.json("GET", "/v2/me", std::nullopt, std::string("sk_wrong"));
  REQUIRE_FALSE(me);
  CHECK(me.error().code == ErrorCode::unauthorized);
  me = client.json("GET", "/v2/me", std::nullopt, broker.admin_key());
  REQUIRE(me);
  CHECK((*me)["organization"]["short_id"] == broker.org_short_id());
}

}  // namespace cs::http
