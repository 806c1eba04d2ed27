#include "devbroker/net/ws_handshake.h"

#include <algorithm>
#include <cctype>

namespace cs::net {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Subprotocol names are tokens compared case-sensitively (RFC 6455 section 4.1).
std::vector<std::string_view> offered_subprotocols(std::string_view header) {
  std::vector<std::string_view> offered;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = trim(header.substr(0, comma));
    if (!item.empty()) offered.push_back(item);
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return offered;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
    return false;
  }
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

bool valid_host(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') return host.size() > 2 && host.back() == ']';  // IPv6 literal
  return std::all_of(host.begin(), host.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
  });
}

WsDecision refuse(unsigned status, std::string reason) {
  return WsDecision{status, {}, std::move(reason)};
}

}  // namespace

Result<std::string> normalize_origin(std::string_view text) {
  const auto invalid = [&] {
    std::string message = "not an origin like https://app.example.com: '";
    message.append(text).push_back('\'');
    return fail(ErrorCode::invalid_request, std::move(message));
  };
  std::string_view rest = text;
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const auto separator = rest.find("://");
  if (separator == std::string_view::npos || separator == 0 || !is_alpha(rest.front())) {
    return invalid();
  }
  const std::string scheme = lower(rest.substr(0, separator));
  const bool scheme_ok = std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
  });
  rest.remove_prefix(separator + 3);
  // The port follows the last ':' outside an IPv6 literal's brackets.
  const auto bracket = rest.rfind(']');
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && bracket != std::string_view::npos && colon < bracket) {
    colon = std::string_view::npos;
  }
  const std::string host = lower(rest.substr(0, colon));
  const std::string_view port =
      colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  if (!scheme_ok || !valid_host(host) || (colon != std::string_view::npos && !valid_port(port))) {
    return invalid();
  }
  std::string origin = scheme;
  origin.append("://").append(host);
  const bool default_port =
      (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  if (!port.empty() && !default_port) origin.append(":").append(port);
  return origin;
}

WsDecision decide_ws_handshake(const WsRequest& request, const WsPolicy& policy) {
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  if (path != "/" && path != "/mqtt") {
    return refuse(404, "MQTT over WebSocket is served on / and /mqtt only");
  }
  if (!request.is_upgrade) {
    return refuse(426, "this port serves MQTT over WebSocket; send a WebSocket upgrade request");
  }
  if (!policy.allowed_origins.empty() && request.origin) {
    const auto origin = normalize_origin(*request.origin);
    const auto& allowed = policy.allowed_origins;
    if (!origin || std::find(allowed.begin(), allowed.end(), *origin) == allowed.end()) {
      return refuse(403, "this origin is not allowed to connect");
    }
  }
  if (!request.subprotocols) return WsDecision{101, {}, {}};
  const auto offered = offered_subprotocols(*request.subprotocols);
  if (offered.empty()) return WsDecision{101, {}, {}};
  for (const auto wanted : {k_ws_subprotocol, k_ws_legacy_subprotocol}) {
    if (std::find(offered.begin(), offered.end(), wanted) != offered.end()) {
      return WsDecision{101, std::string(wanted), {}};
    }
  }
  return refuse(400, "no supported WebSocket subprotocol offered; offer \"mqtt\"");
}

}  // namespace cs::net
