#include "common/http/url.h"

#include <charconv>

namespace cs::http {
namespace {

auto bad_url(std::string_view text, std::string_view why) {
  std::string message = "not a usable URL '";
  message.append(text).append("': ").append(why);
  return fail(ErrorCode::invalid_request, std::move(message));
}

}  // namespace

std::string Url::origin() const {
  std::string out = scheme;
  out.append("://");
  if (host.find(':') != std::string::npos) {
    out.append("[").append(host).append("]");
  } else {
    out.append(host);
  }
  out.push_back(':');
  out.append(std::to_string(port));
  return out;
}

Result<Url> parse_url(std::string_view text) {
  Url url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad_url(text, "no scheme");
  url.scheme = std::string(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") return bad_url(text, "only http and https");
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return bad_url(text, "fragments are not allowed");
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.path.front() == '?') url.path.insert(url.path.begin(), '/');
  if (authority.find('@') != std::string_view::npos)
    return bad_url(text, "user info is not allowed");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_url(text, "unclosed '['");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(text, "junk after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad_url(text, "no host");
  for (char c : url.host) {
    if (c <= ' ' || c == '/' || c == '\\' || c == '%' || c == 0x7f) {
      return bad_url(text, "the host has a forbidden character");
    }
  }
  if (port_text.empty()) {
    url.port = url.scheme == "https" ? 443 : 80;
  } else {
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad_url(text, "bad port");
    }
    url.port = static_cast<std::uint16_t>(port);
  }
  return url;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (!host.starts_with("127.")) return false;
  // Four dotted decimal octets.
  int parts = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    const auto dot = host.find('.', start);
    const std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc{} || end != part.data() + part.size() || v > 255)
      return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

Result<Url> parse_secure_url(std::string_view text) {
  auto url = parse_url(text);
  if (!url) return url;
  if (url->scheme == "http" && !is_loopback_host(url->host)) {
    return bad_url(text, "plain http is allowed only for 127.0.0.1, ::1 and localhost");
  }
  return url;
}

}  // namespace cs::http
