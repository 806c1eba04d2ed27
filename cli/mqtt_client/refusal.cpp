#include "cli/mqtt_client/refusal.h"

#include <array>
#include <cstdio>

namespace cs::cli::mqtt_client {
namespace {

// MQTT 5.0 section 2.4, from 0x80 on.
constexpr std::array<std::string_view, 0xA3 - 0x80> k_failure_names = {
    "unspecified error",
    "malformed packet",
    "protocol error",
    "implementation specific error",
    "unsupported protocol version",
    "client identifier not valid",
    "bad user name or password",
    "not authorized",
    "server unavailable",
    "server busy",
    "banned",
    "server shutting down",
    "bad authentication method",
    "keep alive timeout",
    "session taken over",
    "topic filter invalid",
    "topic name invalid",
    "packet identifier in use",
    "packet identifier not found",
    "receive maximum exceeded",
    "topic alias invalid",
    "packet too large",
    "message rate too high",
    "quota exceeded",
    "administrative action",
    "payload format invalid",
    "retain not supported",
    "QoS not supported",
    "use another server",
    "server moved",
    "shared subscriptions not supported",
    "connection rate exceeded",
    "maximum connect time",
    "subscription identifiers not supported",
    "wildcard subscriptions not supported",
};

// MQTT 3.1.1 section 3.2.2.3.
constexpr std::array<std::string_view, 6> k_v311_connack_names = {
    "accepted",           "unacceptable protocol version", "identifier rejected",
    "server unavailable", "bad user name or password",     "not authorized",
};

std::string hex(int code) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(code) & 0xFFu);
  return buffer;
}

// "not authorized (0x87)"
std::string described(int code) {
  std::string out = reason_name(code);
  out.append(" (").append(hex(code)).append(")");
  return out;
}

// The v5 code a 3.1.1 CONNACK return code stands for.
int v5_connack_equivalent(int code) {
  switch (code) {
    case 1:
      return 0x84;
    case 2:
      return 0x85;
    case 3:
      return 0x88;
    case 4:
      return 0x86;
    case 5:
      return 0x87;
  }
  return 0x80;
}

}  // namespace

std::string reason_name(int code) {
  if (code >= 0x80 && code < 0x80 + static_cast<int>(k_failure_names.size())) {
    return std::string(k_failure_names[static_cast<std::size_t>(code - 0x80)]);
  }
  return "reason code " + hex(code);
}

Error connack_error(mqtt::Version version, int code, std::string_view url) {
  std::string why;
  int v5_code = code;
  if (version == mqtt::Version::v311) {
    v5_code = v5_connack_equivalent(code);
    why = code > 0 && code < static_cast<int>(k_v311_connack_names.size())
              ? std::string(k_v311_connack_names[static_cast<std::size_t>(code)])
              : "return code " + std::to_string(code);
    why.append(" (return code ").append(std::to_string(code)).append(")");
  } else {
    why = described(code);
  }
  std::string message = "the broker at ";
  message.append(url).append(" refused the connection: ").append(why);
  switch (v5_code) {
    case 0x86:
    case 0x8C:
      return Error(ErrorCode::unauthorized, std::move(message),
                   "check -u and -P (or CLOUDSIGNAL_MQTT_USERNAME and CLOUDSIGNAL_MQTT_PASSWORD)");
    case 0x87:
      return Error(ErrorCode::unauthorized, std::move(message),
                   "these credentials may not connect; pass -u and -P for a user that may");
    case 0x8A:
      return Error(ErrorCode::forbidden, std::move(message));
    case 0x84:
      return Error(ErrorCode::invalid_request, std::move(message),
                   version == mqtt::Version::v5 ? "try --mqtt-version 3" : "");
    case 0x85:
      return Error(ErrorCode::invalid_request, std::move(message),
                   "pass another client identifier with -i, or none for a random one");
    case 0x95:
      return Error(ErrorCode::invalid_request, std::move(message));
    case 0x96:
    case 0x97:
    case 0x9F:
      return Error(ErrorCode::rate_limited, std::move(message), "wait a little and retry");
  }
  return Error(ErrorCode::unavailable, std::move(message));
}

Error subscribe_error(mqtt::Version version, std::string_view filter, int code) {
  std::string message = "the broker refused the subscription to '";
  message.append(filter).append("': ");
  if (version == mqtt::Version::v311) {
    message.append("failure (").append(hex(code)).append(")");
    return Error(ErrorCode::forbidden, std::move(message),
                 "MQTT 3.1.1 does not say why; most often the access list does not allow this "
                 "filter (--mqtt-version 5 gets a reason code)");
  }
  message.append(described(code));
  switch (code) {
    case 0x87:
      return Error(ErrorCode::forbidden, std::move(message),
                   "the access list does not give these credentials this filter");
    case 0x8F:
    case 0x9E:
    case 0xA1:
    case 0xA2:
      return Error(ErrorCode::invalid_request, std::move(message));
    case 0x97:
      return Error(ErrorCode::rate_limited, std::move(message));
  }
  return Error(ErrorCode::unavailable, std::move(message));
}

Error publish_error(std::string_view topic, int code) {
  std::string message = "the broker refused the message to '";
  message.append(topic).append("': ").append(described(code));
  switch (code) {
    case 0x87:
      return Error(ErrorCode::forbidden, std::move(message),
                   "the access list does not let these credentials publish to this topic");
    case 0x90:
    case 0x95:
    case 0x99:
    case 0x9A:
    case 0x9B:
      return Error(ErrorCode::invalid_request, std::move(message));
    case 0x96:
    case 0x97:
      return Error(ErrorCode::rate_limited, std::move(message));
  }
  return Error(ErrorCode::unavailable, std::move(message));
}

Error disconnect_error(int code, std::string_view url) {
  std::string message = "the broker at ";
  message.append(url).append(" closed the connection: ").append(described(code));
  switch (code) {
    case 0x87:
    case 0xA0:
      return Error(ErrorCode::unauthorized, std::move(message),
                   "the credentials were revoked or expired; connect with new ones");
    case 0x8E:
      return Error(ErrorCode::conflict, std::move(message),
                   "another client connected with the same client identifier (-i)");
    case 0x96:
    case 0x97:
      return Error(ErrorCode::rate_limited, std::move(message));
    case 0x8B:
    case 0x9C:
    case 0x9D:
      return Error(ErrorCode::unreachable, std::move(message));
  }
  return Error(ErrorCode::unavailable, std::move(message));
}

Error connect_failure(const MqttUrl& url, std::string_view tls_detail) {
  std::string message;
  if (!tls_detail.empty()) {
    message = "the TLS handshake with ";
    message.append(url.text()).append(" failed: ").append(tls_detail);
    return Error(ErrorCode::unreachable, std::move(message),
                 "if the broker's certificate comes from a private CA, trust it with --cafile "
                 "FILE (for cloudsignal dev: --cafile \"$(cloudsignal dev ca)\")");
  }
  message = "cannot connect to ";
  message.append(url.text());
  if (!url.tls()) {
    return Error(ErrorCode::unreachable, std::move(message),
                 "check that the broker runs on that port, or pass another --url (or "
                 "CLOUDSIGNAL_MQTT_URL)");
  }
  std::string hint =
      "check that the broker runs and speaks TLS on that port and that its "
      "certificate names '";
  hint.append(url.host).append("', or pass another --url (or CLOUDSIGNAL_MQTT_URL)");
  return Error(ErrorCode::unreachable, std::move(message), std::move(hint));
}

std::string tls_reason(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  // OpenSSL 3: thread:error:code:library:function:reason:file:line:data
  const auto marker = line.find(":error:");
  if (marker == std::string_view::npos) return std::string(line);
  std::string_view rest = line.substr(marker + 7);
  for (int field = 0; field < 3; ++field) {  // code, library, function
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::string(line);
    rest.remove_prefix(colon + 1);
  }
  const std::string_view reason = rest.substr(0, rest.find(':'));
  return reason.empty() ? std::string(line) : std::string(reason);
}

}  // namespace cs::cli::mqtt_client
