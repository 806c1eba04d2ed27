#include "devbroker/api/oauth_redirect.h"

#include <array>
#include <charconv>

namespace cs::api {
namespace {

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

Error bad_redirect(std::string_view why) {
  std::string message = "redirect_uri ";
  message.append(why);
  return Error(ErrorCode::invalid_request, std::move(message),
               "the CLI listens on http://127.0.0.1:<port>/callback");
}

// The hosts RFC 8252 section 7.3 names, spelled exactly; 127.0.0.1 and [::1] are preferred to
// localhost, which is accepted because some tools use it.
constexpr std::array<std::string_view, 3> k_loopback_hosts = {"127.0.0.1", "[::1]", "localhost"};

}  // namespace

Result<LoopbackRedirect> parse_loopback_redirect(std::string_view uri) {
  if (uri.size() > k_max_redirect_uri) {
    return fail(bad_redirect(std::string("is longer than ")
                                 .append(std::to_string(k_max_redirect_uri))
                                 .append(" bytes")));
  }
  constexpr std::string_view k_scheme = "http://";
  if (!uri.starts_with(k_scheme)) return fail(bad_redirect("must start with http://"));
  std::string_view rest = uri.substr(k_scheme.size());
  const auto path_start = rest.find('/');
  const std::string_view authority = rest.substr(0, path_start);
  const std::string_view path =
      path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || authority.ends_with(']')) {
    return fail(bad_redirect("must name a port"));
  }
  const std::string_view host = authority.substr(0, colon);
  const std::string_view port_text = authority.substr(colon + 1);
  bool known_host = false;
  for (auto loopback : k_loopback_hosts) known_host = known_host || host == loopback;
  if (!known_host) {
    return fail(bad_redirect("must point at this machine: 127.0.0.1, [::1] or localhost"));
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || port_text.size() > 5 || ec != std::errc{} ||
      end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return fail(bad_redirect("has no valid port"));
  }
  for (char c : path) {
    if (c != '/' && !is_unreserved(c)) {
      return fail(bad_redirect("may hold only a plain path: no query, fragment or escapes"));
    }
  }
  return LoopbackRedirect{std::string(uri), std::string(k_scheme).append(authority)};
}

std::string percent_encode(std::string_view text) {
  constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(k_hex[byte >> 4]);
    out.push_back(k_hex[byte & 0x0F]);
  }
  return out;
}

std::string with_query(std::string_view uri,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out(uri);
  char separator = '?';
  for (const auto& [name, value] : params) {
    out.push_back(separator);
    out.append(percent_encode(name)).append("=").append(percent_encode(value));
    separator = '&';
  }
  return out;
}

}  // namespace cs::api
