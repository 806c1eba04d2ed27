#pragma once
// The CLI's HTTP client: one base URL, timeouts, TLS verified against the system CAs (plus an
// extra CA such as the dev broker's), bounded responses, and the API's error JSON turned into
// an Error. Plain HTTP only to this machine.

#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/url.h"
#include "common/result.h"

namespace cs::http {

struct ClientOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{30};
  std::string ca_file;  // trusted besides the system CAs; empty = system CAs only
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  std::string user_agent = "cloudsignal";
};

struct Request {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/v2/users?limit=10"
  std::string body;
  std::string content_type;  // with a body: "application/json" or a form
  std::optional<std::string> bearer;
};

struct Response {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

class Client {
 public:
  /// A client for the API at `base` (its path, if any, prefixes every target).
  Client(Url base, ClientOptions options = {});

  /// Sends `request`; unreachable / timeout when no answer comes, io for TLS failures.
  Result<Response> send(const Request& request) const;

  /// Sends `body` as JSON with `method` to `target` and returns the JSON answer of a 2xx reply
  /// (null for 204), or the API's error.
  Result<nlohmann::json> json(std::string_view method, std::string_view target,
                              const std::optional<nlohmann::json>& body,
                              const std::optional<std::string>& bearer) const;

  const Url& base() const { return m_base; }

 private:
  Url m_base;
  ClientOptions m_options;
};

/// The ErrorCode an API error name (`invalid_token`, ...) stands for; internal when unknown.
ErrorCode error_code_from_name(std::string_view name);

/// The Error a non-2xx `response` carries: its error JSON when it has one (code, description,
/// reason, Retry-After), else a sentence from the status.
Error error_from_response(const Response& response);

/// `fields` as an application/x-www-form-urlencoded body.
std::string form_encode(const std::map<std::string, std::string>& fields);

/// `text` percent-encoded for a query string or path segment.
std::string url_encode(std::string_view text);

}  // namespace cs::http
