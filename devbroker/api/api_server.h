#pragma once
// The dev broker's HTTP API (docs/API.md) on cpp-httplib: a pool of HTTP threads in front of
// the auth service. MQTT state is never touched here: publishing is handed to the broker's
// event loop through `Publisher`.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/api/router.h"
#include "devbroker/auth/auth_service.h"

namespace httplib {
class Server;
}

namespace cs::api {

/// A message for the broker, from `POST /v1/publish`.
struct PublishCommand {
  std::string topic;
  std::string payload;
  std::uint8_t qos = 1;
  bool retain = false;
};
/// Hands `command` to the broker's loop; `done` runs (on any thread) once it is routed and what
/// it left in the store (retained, queued for persistent sessions) has committed, or with an
/// error when the store could not save it.
using Publisher =
    std::function<void(PublishCommand command, std::function<void(Result<void>)> done)>;

/// What `GET /v2/info` reports.
struct ServerUrls {
  std::string api;
  std::string mqtt;
  std::string mqtts;
  std::string ws;
  std::string wss;
};

struct ApiDeps {
  auth::AuthService& auth;
  Publisher publish;
  std::function<SysSeconds()> now;
  ServerUrls urls;  // filled in once every listener is bound, before start()
};

struct ApiOptions {
  std::size_t threads = 32;  // each keep-alive connection holds one while open
  RouterOptions router;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{5};
  std::size_t keep_alive_requests = 1000;  // then the connection is closed (httplib's default: 5)
  std::chrono::milliseconds publish_timeout{5000};  // then 503: the broker did not confirm
};

class ApiServer {
 public:
  ApiServer(ApiDeps deps, ApiOptions options = {});
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  /// Binds `host`:`port` (0 = a free port) and returns the bound port.
  Result<std::uint16_t> bind(const std::string& host, std::uint16_t port);
  /// Serves on a thread of its own; routes must be added before.
  void start();
  /// Stops accepting, finishes requests in progress and joins the thread.
  void stop();

  /// For route groups that live elsewhere (providers, OAuth).
  Router& router() { return *m_router; }
  ApiDeps& deps() { return m_deps; }
  const ApiOptions& options() const { return m_options; }

 private:
  ApiDeps m_deps;
  ApiOptions m_options;
  std::unique_ptr<httplib::Server> m_server;
  std::unique_ptr<Router> m_router;
  std::thread m_thread;
};

}  // namespace cs::api
