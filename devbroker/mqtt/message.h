#pragma once
// An application message as the broker routes it: immutable once published, shared by every
// delivery, queue entry and retained slot that refers to it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "devbroker/mqtt/packet.h"

namespace cs::mqtt {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

struct Message {
  std::string topic;
  Bytes payload;
  QoS qos = QoS::at_most_once;  // as published
  bool retain = false;          // as published
  /// 5.0 properties forwarded unchanged: payload format, content type, response topic,
  /// correlation data, user properties. Expiry is kept as `expires_at` instead.
  Properties properties;
  std::optional<TimePoint> expires_at;  // from the message expiry interval
  std::string origin_client_id;         // for no-local
  std::uint64_t origin_session = 0;     // serial of the publishing session, for no-local
};

using MessagePtr = std::shared_ptr<const Message>;

/// What a client asked for when it subscribed (section 3.8.3.1).
struct SubscriptionOptions {
  QoS max_qos = QoS::at_most_once;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
  std::uint32_t subscription_id = 0;  // 0 = none
  bool operator==(const SubscriptionOptions&) const = default;
};

}  // namespace cs::mqtt
