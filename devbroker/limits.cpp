#include "devbroker/limits.h"

#include <string>

namespace cs::devbroker {
namespace {

// The largest packet MQTT's four-byte remaining length can describe, plus the fixed header.
constexpr std::uint32_t k_protocol_max_packet = 268435455 + 5;

Result<void> out_of_range(const char* name, const char* range) {
  return fail(ErrorCode::invalid_request, std::string("setting ") + name + " must be " + range);
}

}  // namespace

Result<void> validate(const Limits& limits) {
  if (limits.max_packet_size < 128 || limits.max_packet_size > k_protocol_max_packet)
    return out_of_range("max_packet_size", "between 128 and 268435460 bytes");
  if (limits.receive_maximum == 0) return out_of_range("receive_maximum", "at least 1");
  if (limits.max_queued_messages == 0) return out_of_range("max_queued_messages", "at least 1");
  if (limits.max_subscriptions_per_client == 0)
    return out_of_range("max_subscriptions_per_client", "at least 1");
  if (limits.max_topic_length == 0 || limits.max_topic_length > 65535)
    return out_of_range("max_topic_length", "between 1 and 65535 bytes");
  if (limits.max_topic_levels == 0) return out_of_range("max_topic_levels", "at least 1");
  if (limits.max_client_id_length < 23 || limits.max_client_id_length > 65535)
    return out_of_range("max_client_id_length", "between 23 and 65535 bytes");
  if (limits.max_connections == 0) return out_of_range("max_connections", "at least 1");
  return {};
}

}  // namespace cs::devbroker
