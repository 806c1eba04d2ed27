#include "devbroker/api/api_server.h"

#include <httplib.h>

#include "common/log.h"
#include "devbroker/api/routes.h"

namespace cs::api {

ApiServer::ApiServer(ApiDeps deps, ApiOptions options)
    : m_deps(std::move(deps)), m_options(options), m_server(std::make_unique<httplib::Server>()) {
  auto& server = *m_server;
  const std::size_t threads = m_options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(m_options.router.max_body_bytes);
  server.set_read_timeout(m_options.read_timeout);
  server.set_write_timeout(m_options.write_timeout);
  server.set_keep_alive_timeout(m_options.keep_alive_timeout.count());
  server.set_keep_alive_max_count(m_options.keep_alive_requests);
  server.set_tcp_nodelay(true);
  const std::size_t max_body = m_options.router.max_body_bytes;
  server.set_error_handler([max_body](const httplib::Request&, httplib::Response& response) {
    // Only responses nobody wrote end here: unknown routes, oversize bodies, bad requests.
    if (!response.body.empty()) return;
    if (response.status == 413) {
      response.status = 400;
      write_error(response,
                  Error(ErrorCode::invalid_request,
                        "the request body is larger than " + std::to_string(max_body) + " bytes"));
      return;
    }
    if (response.status == 404) {
      write_error(response, Error(ErrorCode::not_found, "no such route"));
      return;
    }
    const int status = response.status;
    write_error(response, Error(ErrorCode::invalid_request, "the request could not be read"));
    if (status >= 400 && status < 500) response.status = status;
  });
  server.set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
        log::error("the HTTP handler for " + request.path + " failed unexpectedly");
        write_error(response, Error(ErrorCode::internal, "the server failed to answer"));
      });
  m_router = std::make_unique<Router>(server, m_deps.auth, m_deps.now, m_options.router);
  add_meta_routes(*this);
  add_token_routes(*this);
  add_user_routes(*this);
  add_key_routes(*this);
  add_acl_routes(*this);
  add_publish_routes(*this);
  add_oauth_routes(*this);
}

ApiServer::~ApiServer() {
  stop();
}

Result<std::uint16_t> ApiServer::bind(const std::string& host, std::uint16_t port) {
  const int bound = port == 0 ? m_server->bind_to_any_port(host)
                              : (m_server->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return fail(ErrorCode::unavailable,
                "cannot listen for HTTP on " + host + ":" + std::to_string(port),
                "choose another --http-port, or 0 for a free one");
  }
  return static_cast<std::uint16_t>(bound);
}

void ApiServer::start() {
  m_thread = std::thread([this] { m_server->listen_after_bind(); });
}

void ApiServer::stop() {
  if (!m_thread.joinable()) return;
  m_server->stop();
  m_thread.join();
}

}  // namespace cs::api
