#pragma once
// Broker URLs as `pub` and `sub` take them: mqtt://, mqtts://, ws:// and wss://.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cs::cli::mqtt_client {

enum class Scheme { mqtt, mqtts, ws, wss };

struct MqttUrl {
  Scheme scheme = Scheme::mqtt;
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 1883;
  std::string path;  // WebSocket only: starts with '/', may carry a query; empty for mqtt(s)

  /// True for mqtts and wss.
  bool tls() const { return scheme == Scheme::mqtts || scheme == Scheme::wss; }
  /// The canonical form with every part spelled out, e.g. "wss://localhost:443/mqtt".
  std::string text() const;
  /// The URI the Paho client takes: tcp://, ssl://, ws:// or wss:// with host and port.
  std::string paho_uri() const;
};

/// The port each scheme uses when the URL names none: 1883, 8883, 80 and 443.
std::uint16_t default_port(Scheme scheme);

/// Parses `text` as scheme://host[:port][/path]: the scheme one of mqtt, mqtts, ws, wss; an IPv6
/// host in brackets; a path only for ws and wss (default "/mqtt"). User info, fragments, empty
/// hosts and bad ports are usage errors naming the problem.
Result<MqttUrl> parse_mqtt_url(std::string_view text);

}  // namespace cs::cli::mqtt_client
