#pragma once
// MQTT messages as `pub` sends them and `sub` prints them: plain values, no client library.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cs::cli::mqtt_client {

/// At most this many --user-property flags on one message.
inline constexpr std::size_t k_max_user_properties = 64;

struct UserProperty {
  std::string key;
  std::string value;
  bool operator==(const UserProperty&) const = default;
};

/// The MQTT 5.0 PUBLISH properties `sub --json` shows; unset ones were not sent.
struct MessageProperties {
  std::optional<std::uint8_t> payload_format_indicator;
  std::optional<std::uint32_t> message_expiry_interval;
  std::optional<std::string> content_type;
  std::optional<std::string> response_topic;
  std::optional<std::string> correlation_data;  // bytes
  std::vector<UserProperty> user_properties;

  /// True when no property was sent.
  bool empty() const;
};

struct ReceivedMessage {
  std::string topic;
  std::string payload;  // bytes
  int qos = 0;
  bool retain = false;
  MessageProperties properties;
};

struct OutgoingMessage {
  std::string topic;
  std::string payload;  // bytes
  int qos = 0;
  bool retain = false;
  std::vector<UserProperty> user_properties;
};

/// Parses a --user-property value "KEY=VALUE" (split at the first '='; the value may be empty);
/// a usage error when there is no '=', the key is empty, or either part is not MQTT UTF-8.
Result<UserProperty> parse_user_property(std::string_view text);

/// True when `payload` is well-formed UTF-8 without U+0000, so it can be shown as text.
bool is_text(std::string_view payload);

/// One JSON object on one line (no newline): topic; payload as "payload" when is_text, else
/// "payload_base64" (standard base64); qos; retain; and "properties" when any was sent
/// (content_type, response_topic, correlation_data as base64, user_properties as a list of
/// {"key", "value"}, message_expiry_interval, payload_format_indicator).
std::string format_json(const ReceivedMessage& message);

/// "topic payload" (no newline), the payload as "base64:..." when it is not text.
std::string format_text(const ReceivedMessage& message);

}  // namespace cs::cli::mqtt_client
