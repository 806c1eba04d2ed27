#pragma once
// Every size and count that a client controls, as named settings with safe defaults.

#include <cstddef>
#include <cstdint>

#include "common/result.h"

namespace cs::devbroker {

struct Limits {
  std::uint32_t max_packet_size = 1024 * 1024;        // bytes, either direction (MQTT 5 negotiates)
  std::uint16_t receive_maximum = 64;                 // unacknowledged QoS 1/2 PUBLISH per client
  std::size_t max_queued_messages = 1000;             // per offline/slow session
  std::size_t max_subscriptions_per_client = 1000;    // filters held by one session
  std::size_t max_topic_length = 1024;                // bytes of a topic name or filter
  std::size_t max_topic_levels = 32;                  // '/'-separated levels
  std::size_t max_client_id_length = 256;             // bytes of a client identifier
  std::size_t max_connections = 10000;                // open MQTT connections
  std::uint16_t topic_alias_maximum = 32;             // MQTT 5 aliases a client may set
  std::uint16_t max_keep_alive = 3600;                // seconds; higher requests are lowered (5.0)
  std::uint32_t max_session_expiry = 7 * 24 * 3600;   // seconds a disconnected session is kept
  std::size_t max_retained_messages = 100000;         // retained topics across the broker
  std::size_t max_pending_output = 16 * 1024 * 1024;  // bytes buffered for a slow client
                                                      // before QoS 0 messages are dropped
};

/// Checks that `limits` are usable (non-zero where zero makes no sense, within the protocol's
/// ranges); returns an invalid_request error naming the first bad setting.
Result<void> validate(const Limits& limits);

}  // namespace cs::devbroker
