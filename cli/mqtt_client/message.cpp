#include "cli/mqtt_client/message.h"

#include <nlohmann/json.hpp>

#include "common/crypto/base64url.h"
#include "common/crypto/bytes.h"
#include "devbroker/mqtt/codec.h"
#include "devbroker/mqtt/wire.h"

namespace cs::cli::mqtt_client {
namespace {

std::string base64(std::string_view bytes) {
  return crypto::base64_encode(as_bytes(bytes));
}

nlohmann::ordered_json properties_json(const MessageProperties& p) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (p.content_type) out["content_type"] = *p.content_type;
  if (p.response_topic) out["response_topic"] = *p.response_topic;
  if (p.correlation_data) out["correlation_data"] = base64(*p.correlation_data);
  if (!p.user_properties.empty()) {
    auto& list = out["user_properties"] = nlohmann::ordered_json::array();
    for (const auto& u : p.user_properties) {
      list.push_back(nlohmann::ordered_json{{"key", u.key}, {"value", u.value}});
    }
  }
  if (p.message_expiry_interval) out["message_expiry_interval"] = *p.message_expiry_interval;
  if (p.payload_format_indicator) out["payload_format_indicator"] = *p.payload_format_indicator;
  return out;
}

}  // namespace

bool MessageProperties::empty() const {
  return !payload_format_indicator && !message_expiry_interval && !content_type &&
         !response_topic && !correlation_data && user_properties.empty();
}

Result<UserProperty> parse_user_property(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    std::string message = "--user-property '";
    message.append(text).append("' is not KEY=VALUE");
    return fail(ErrorCode::usage, std::move(message), "e.g. --user-property source=sensor-7");
  }
  UserProperty property{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  if (!mqtt::valid_utf8_string(property.key) || !mqtt::valid_utf8_string(property.value)) {
    return fail(ErrorCode::usage,
                "--user-property keys and values must be UTF-8 text without U+0000, at most "
                "65535 bytes each");
  }
  return property;
}

bool is_text(std::string_view payload) {
  return mqtt::wire::check_utf8(payload) == mqtt::wire::Utf8Problem::none;
}

std::string format_json(const ReceivedMessage& message) {
  nlohmann::ordered_json out;
  out["topic"] = message.topic;
  if (is_text(message.payload)) {
    out["payload"] = message.payload;
  } else {
    out["payload_base64"] = base64(message.payload);
  }
  out["qos"] = message.qos;
  out["retain"] = message.retain;
  if (!message.properties.empty()) out["properties"] = properties_json(message.properties);
  // Topics and property strings come from the broker: replace what is not UTF-8 rather than
  // fail on a line a script is waiting for.
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string format_text(const ReceivedMessage& message) {
  std::string line = message.topic;
  line.push_back(' ');
  if (is_text(message.payload)) {
    line.append(message.payload);
  } else {
    line.append("base64:").append(base64(message.payload));
  }
  return line;
}

}  // namespace cs::cli::mqtt_client
