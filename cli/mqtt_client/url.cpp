#include "cli/mqtt_client/url.h"

#include <charconv>

namespace cs::cli::mqtt_client {
namespace {

tl::unexpected<Error> bad_url(
    std::string_view text, std::string_view why,
    std::string hint = "use mqtt://, mqtts://, ws:// or wss://HOST[:PORT]") {
  std::string message = "not a broker URL '";
  message.append(text).append("': ").append(why);
  return fail(ErrorCode::usage, std::move(message), std::move(hint));
}

bool parse_scheme(std::string_view name, Scheme& scheme) {
  if (name == "mqtt") {
    scheme = Scheme::mqtt;
  } else if (name == "mqtts") {
    scheme = Scheme::mqtts;
  } else if (name == "ws") {
    scheme = Scheme::ws;
  } else if (name == "wss") {
    scheme = Scheme::wss;
  } else {
    return false;
  }
  return true;
}

std::string_view scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::mqtt:
      return "mqtt";
    case Scheme::mqtts:
      return "mqtts";
    case Scheme::ws:
      return "ws";
    case Scheme::wss:
      return "wss";
  }
  return "mqtt";
}

bool websocket(Scheme scheme) {
  return scheme == Scheme::ws || scheme == Scheme::wss;
}

std::string authority(const MqttUrl& url) {
  std::string out;
  if (url.host.find(':') != std::string::npos) {
    out.append("[").append(url.host).append("]");
  } else {
    out.append(url.host);
  }
  out.push_back(':');
  out.append(std::to_string(url.port));
  return out;
}

}  // namespace

std::uint16_t default_port(Scheme scheme) {
  switch (scheme) {
    case Scheme::mqtt:
      return 1883;
    case Scheme::mqtts:
      return 8883;
    case Scheme::ws:
      return 80;
    case Scheme::wss:
      return 443;
  }
  return 1883;
}

std::string MqttUrl::text() const {
  std::string out(scheme_name(scheme));
  out.append("://").append(authority(*this)).append(path);
  return out;
}

std::string MqttUrl::paho_uri() const {
  std::string out;
  switch (scheme) {
    case Scheme::mqtt:
      out = "tcp://";
      break;
    case Scheme::mqtts:
      out = "ssl://";
      break;
    case Scheme::ws:
      out = "ws://";
      break;
    case Scheme::wss:
      out = "wss://";
      break;
  }
  out.append(authority(*this)).append(path);
  return out;
}

Result<MqttUrl> parse_mqtt_url(std::string_view text) {
  MqttUrl url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad_url(text, "no scheme");
  if (!parse_scheme(text.substr(0, sep), url.scheme)) {
    return bad_url(text, "the scheme must be mqtt, mqtts, ws or wss");
  }
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return bad_url(text, "fragments are not allowed");
  const auto slash = rest.find_first_of("/?");
  const std::string_view authority_text = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority_text.find('@') != std::string_view::npos) {
    // The URL is not repeated: it holds a password.
    return fail(ErrorCode::usage, "credentials in the broker URL are not accepted",
                "pass them with -u and -P (or CLOUDSIGNAL_MQTT_USERNAME and "
                "CLOUDSIGNAL_MQTT_PASSWORD)");
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority_text.empty() && authority_text.front() == '[') {
    const auto close = authority_text.find(']');
    if (close == std::string_view::npos) return bad_url(text, "unclosed '['");
    url.host = std::string(authority_text.substr(1, close - 1));
    const std::string_view after = authority_text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(text, "junk after the IPv6 address");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority_text.rfind(':');
    url.host = std::string(authority_text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority_text.substr(colon + 1);
      has_port = true;
    }
  }
  if (url.host.empty()) return bad_url(text, "no host");
  for (const char c : url.host) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\' || c == '%' || c == 0x7f ||
        c == '[' || c == ']') {
      return bad_url(text, "the host has a forbidden character");
    }
  }
  url.port = default_port(url.scheme);
  if (has_port) {
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port == 0 || port > 65535) {
      return bad_url(text, "the port must be from 1 to 65535");
    }
    url.port = static_cast<std::uint16_t>(port);
  }
  if (websocket(url.scheme)) {
    url.path = path.empty() ? "/mqtt" : std::string(path);
    if (url.path.front() == '?') url.path.insert(url.path.begin(), '/');
    for (const char c : url.path) {
      if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
        return bad_url(text, "the path has a space or control character");
      }
    }
  } else if (!path.empty() && path != "/") {
    return bad_url(text, "mqtt:// and mqtts:// URLs have no path");
  }
  return url;
}

}  // namespace cs::cli::mqtt_client
