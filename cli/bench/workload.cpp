#include "cli/bench/workload.h"

#include <charconv>
#include <cmath>

#include "devbroker/mqtt/topic.h"

namespace cs::bench {
namespace {

constexpr std::string_view k_index_marker = "%i";
// The broker's default bounds; a pattern beyond them would be refused at the first PUBLISH.
constexpr mqtt::TopicLimits k_topic_limits{65535, 128};

tl::unexpected<Error> bad_url(std::string_view url, std::string_view why) {
  std::string message = "cannot use broker URL '";
  message.append(url).append("': ").append(why);
  return fail(ErrorCode::usage, std::move(message),
              "write it as mqtt://, mqtts://, ws:// or wss://HOST:PORT");
}

struct SchemeInfo {
  std::string_view name;
  Transport transport;
  std::uint16_t default_port;
};

constexpr SchemeInfo k_schemes[] = {
    {"mqtt", Transport::tcp, 1883}, {"tcp", Transport::tcp, 1883}, {"mqtts", Transport::tls, 8883},
    {"ssl", Transport::tls, 8883},  {"ws", Transport::ws, 80},     {"wss", Transport::wss, 443},
};

std::string_view canonical_scheme(Transport transport) {
  switch (transport) {
    case Transport::tcp:
      return "mqtt";
    case Transport::tls:
      return "mqtts";
    case Transport::ws:
      return "ws";
    case Transport::wss:
      return "wss";
  }
  return "mqtt";
}

}  // namespace

Result<BrokerAddress> parse_broker_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad_url(url, "it has no scheme");
  const std::string_view scheme = url.substr(0, scheme_end);
  const SchemeInfo* info = nullptr;
  for (const auto& candidate : k_schemes) {
    if (candidate.name == scheme) info = &candidate;
  }
  if (info == nullptr) {
    std::string why = "bench speaks mqtt://, mqtts://, ws:// and wss://, not ";
    why.append(scheme).append("://");
    return bad_url(url, why);
  }
  BrokerAddress address;
  address.transport = info->transport;
  address.port = info->default_port;
  const bool websocket = info->transport == Transport::ws || info->transport == Transport::wss;

  std::string_view rest = url.substr(scheme_end + 3);
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view path = rest.substr(slash);
    rest = rest.substr(0, slash);
    if (websocket) {
      address.path = std::string(path);
    } else if (path != "/") {
      return bad_url(url, "it has a path");
    }
  }
  if (websocket && address.path.empty()) address.path = "/mqtt";

  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad_url(url, "the IPv6 address has no ']'");
    address.host = std::string(rest.substr(1, close - 1));
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad_url(url, "junk after the IPv6 address");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const auto colon = rest.rfind(':');
    address.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) {
      return bad_url(url, "an IPv6 address must be written in brackets");
    }
  }
  if (address.host.empty()) return bad_url(url, "it has no host");
  if (!port_text.empty() || rest.ends_with(':')) {
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad_url(url, "the port is not a number from 1 to 65535");
    }
    address.port = static_cast<std::uint16_t>(port);
  }
  return address;
}

std::string broker_url(const BrokerAddress& address) {
  std::string out(canonical_scheme(address.transport));
  out.append("://");
  if (address.host.find(':') != std::string::npos) {
    out.append("[").append(address.host).append("]");
  } else {
    out.append(address.host);
  }
  out.append(":").append(std::to_string(address.port)).append(address.path);
  return out;
}

std::string topic_for(std::string_view pattern, std::size_t index) {
  const std::string number = std::to_string(index);
  std::string out;
  out.reserve(pattern.size() + number.size());
  std::size_t from = 0;
  for (auto at = pattern.find(k_index_marker); at != std::string_view::npos;
       at = pattern.find(k_index_marker, from)) {
    out.append(pattern.substr(from, at - from)).append(number);
    from = at + k_index_marker.size();
  }
  out.append(pattern.substr(from));
  return out;
}

std::string subscription_filter(std::string_view pattern) {
  std::string out;
  std::size_t from = 0;
  while (true) {
    const auto slash = pattern.find('/', from);
    const std::string_view level = pattern.substr(from, slash - from);
    out.append(level.find(k_index_marker) == std::string_view::npos ? level : "+");
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    from = slash + 1;
  }
  return out;
}

std::optional<std::string> check_topic_pattern(std::string_view pattern) {
  if (pattern.empty()) return "the topic pattern is empty";
  if (pattern.front() == '$') return "topics starting with '$' belong to the broker";
  if (auto why = mqtt::check_topic_name(topic_for(pattern, 0), k_topic_limits)) return why;
  if (auto why = mqtt::check_topic_filter(subscription_filter(pattern), k_topic_limits)) {
    return why;
  }
  return std::nullopt;
}

std::chrono::nanoseconds due_after(std::uint64_t n, double rate) {
  if (rate <= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(std::ceil(static_cast<double>(n) * 1e9 / rate)));
}

std::uint64_t due_by(std::chrono::nanoseconds elapsed, double rate) {
  if (elapsed.count() < 0) return 0;
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(elapsed.count()) * rate / 1e9)) +
         1;
}

}  // namespace cs::bench
