#include "tests/support/api_client.h"

namespace cs::test {
namespace {

HttpReply reply_of(const httplib::Result& result) {
  HttpReply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.text = result->body;
  reply.headers = result->headers;
  reply.body = nlohmann::json::parse(result->body, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

ApiClient::ApiClient(int port, std::string bearer) : m_port(port), m_bearer(std::move(bearer)) {}

httplib::Headers ApiClient::headers() const {
  httplib::Headers h;
  if (!m_bearer.empty()) h.emplace("Authorization", "Bearer " + m_bearer);
  return h;
}

HttpReply ApiClient::get(const std::string& path) const {
  httplib::Client client("127.0.0.1", m_port);
  return reply_of(client.Get(path, headers()));
}

HttpReply ApiClient::post(const std::string& path, const nlohmann::json& body) const {
  httplib::Client client("127.0.0.1", m_port);
  return reply_of(client.Post(path, headers(), body.dump(), "application/json"));
}

HttpReply ApiClient::patch(const std::string& path, const nlohmann::json& body) const {
  httplib::Client client("127.0.0.1", m_port);
  return reply_of(client.Patch(path, headers(), body.dump(), "application/json"));
}

HttpReply ApiClient::del(const std::string& path) const {
  httplib::Client client("127.0.0.1", m_port);
  return reply_of(client.Delete(path, headers()));
}

HttpReply ApiClient::raw(const std::string& method, const std::string& path,
                         const std::string& body, const std::string& content_type,
                         httplib::Headers extra) const {
  httplib::Client client("127.0.0.1", m_port);
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.headers = headers();
  for (auto& [name, value] : extra) request.headers.emplace(name, value);
  request.body = body;
  if (!content_type.empty()) request.headers.emplace("Content-Type", content_type);
  return reply_of(client.send(request));
}

}  // namespace cs::test
