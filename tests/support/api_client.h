#pragma once
// A small HTTP client for the dev broker's API in integration tests, over a real socket.

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string>

namespace cs::test {

struct HttpReply {
  int status = 0;  // 0 when the request could not be sent
  std::string text;
  nlohmann::json body;  // the parsed body, or null when it is not JSON
  httplib::Headers headers;
  std::string header(const std::string& name) const;
};

class ApiClient {
 public:
  explicit ApiClient(int port, std::string bearer = {});

  HttpReply get(const std::string& path) const;
  HttpReply post(const std::string& path, const nlohmann::json& body) const;
  HttpReply patch(const std::string& path, const nlohmann::json& body) const;
  HttpReply del(const std::string& path) const;
  /// Sends `body` as it is, with `content_type`, by `method` ("POST", "OPTIONS", ...).
  HttpReply raw(const std::string& method, const std::string& path, const std::string& body,
                const std::string& content_type, httplib::Headers headers = {}) const;

  /// The same client with another bearer credential (empty: none).
  ApiClient with_bearer(std::string bearer) const { return ApiClient(m_port, std::move(bearer)); }

 private:
  httplib::Headers headers() const;
  int m_port;
  std::string m_bearer;
};

}  // namespace cs::test
