#include "common/http/client.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <httplib.h>

namespace cs::http {
namespace {

constexpr std::array k_error_names = {ErrorCode::invalid_request,
                                      ErrorCode::invalid_token,
                                      ErrorCode::token_expired,
                                      ErrorCode::unauthorized,
                                      ErrorCode::forbidden,
                                      ErrorCode::not_found,
                                      ErrorCode::provider_not_found,
                                      ErrorCode::org_not_found,
                                      ErrorCode::conflict,
                                      ErrorCode::rate_limited,
                                      ErrorCode::unavailable,
                                      ErrorCode::jwks_unavailable,
                                      ErrorCode::timeout};

ErrorCode code_for_status(int status) {
  switch (status) {
    case 400:
      return ErrorCode::invalid_request;
    case 401:
      return ErrorCode::unauthorized;
    case 403:
      return ErrorCode::forbidden;
    case 404:
      return ErrorCode::not_found;
    case 409:
      return ErrorCode::conflict;
    case 429:
      return ErrorCode::rate_limited;
    case 502:
    case 503:
    case 504:
      return ErrorCode::unavailable;
    default:
      return ErrorCode::internal;
  }
}

Error transport_error(httplib::Error error, const Url& base) {
  const std::string where = base.origin();
  switch (error) {
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
      return Error(ErrorCode::timeout, "no answer from " + where + " in time");
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
    case httplib::Error::SSLLoadingCerts:
      return Error(ErrorCode::unreachable,
                   "could not establish a trusted TLS connection to " + where,
                   "check the URL, or the CA file when the server uses a private CA");
    default:
      return Error(ErrorCode::unreachable, "cannot reach " + where,
                   "is the server running? (`cloudsignal dev` for the local one)");
  }
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

ErrorCode error_code_from_name(std::string_view name) {
  for (auto code : k_error_names) {
    if (error_code_name(code) == name) return code;
  }
  return ErrorCode::internal;
}

Error error_from_response(const Response& response) {
  Error error(code_for_status(response.status),
              "the server answered HTTP " + std::to_string(response.status));
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    if (auto it = body.find("error"); it != body.end() && it->is_string()) {
      const auto named = error_code_from_name(it->get<std::string>());
      if (named != ErrorCode::internal) error.code = named;
    }
    if (auto it = body.find("error_description"); it != body.end() && it->is_string()) {
      error.message = it->get<std::string>();
    }
    if (auto it = body.find("reason"); it != body.end() && it->is_string()) {
      error.reason = it->get<std::string>();
    }
  }
  if (auto it = response.headers.find("retry-after"); it != response.headers.end()) {
    error.retry_after = std::strtol(it->second.c_str(), nullptr, 10);
  }
  return error;
}

std::string url_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 15]);
    }
  }
  return out;
}

std::string form_encode(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out.append(url_encode(name)).append("=").append(url_encode(value));
  }
  return out;
}

Client::Client(Url base, ClientOptions options)
    : m_base(std::move(base)), m_options(std::move(options)) {
  while (m_base.path.size() > 1 && m_base.path.back() == '/') m_base.path.pop_back();
  if (m_base.path == "/") m_base.path.clear();
}

Result<Response> Client::send(const Request& request) const {
  httplib::Client client(m_base.origin());
  client.set_connection_timeout(m_options.connect_timeout);
  client.set_read_timeout(m_options.read_timeout);
  client.set_write_timeout(m_options.read_timeout);
  if (m_base.scheme == "https") {
    client.enable_server_certificate_verification(true);
    if (!m_options.ca_file.empty()) client.set_ca_cert_path(m_options.ca_file.c_str());
  }
  httplib::Headers headers = {{"User-Agent", m_options.user_agent}, {"Accept", "application/json"}};
  if (request.bearer) headers.emplace("Authorization", "Bearer " + *request.bearer);
  httplib::Request req;
  req.method = request.method;
  req.path = m_base.path + request.target;
  req.headers = std::move(headers);
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH") {
    req.body = request.body;
    req.headers.emplace("Content-Type",
                        request.content_type.empty() ? "application/json" : request.content_type);
  }
  std::size_t received = 0;
  bool too_large = false;
  std::string body;
  req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
    received += length;
    if (received > m_options.max_response_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  };
  auto result = client.send(req);
  if (too_large) return fail(ErrorCode::io, "the server's answer is too large");
  if (!result) return fail(transport_error(result.error(), m_base));
  Response response;
  response.status = result->status;
  response.body = result->body.empty() ? std::move(body) : result->body;
  for (const auto& [name, value] : result->headers) response.headers[lower(name)] = value;
  return response;
}

Result<nlohmann::json> Client::json(std::string_view method, std::string_view target,
                                    const std::optional<nlohmann::json>& body,
                                    const std::optional<std::string>& bearer) const {
  Request request;
  request.method = std::string(method);
  request.target = std::string(target);
  if (body) request.body = body->dump();
  request.bearer = bearer;
  auto response = send(request);
  if (!response) return fail(response.error());
  if (response->status < 200 || response->status >= 300) {
    return fail(error_from_response(*response));
  }
  if (response->status == 204 || response->body.empty()) return nlohmann::json(nullptr);
  auto parsed = nlohmann::json::parse(response->body, nullptr, false);
  if (parsed.is_discarded()) {
    return fail(ErrorCode::internal, "the server's answer is not JSON");
  }
  return parsed;
}

}  // namespace cs::http
