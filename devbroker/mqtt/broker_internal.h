#pragma once
// Pieces shared by the files that implement Broker; not part of its interface.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "devbroker/mqtt/broker.h"

namespace cs::mqtt {

inline constexpr std::uint32_t k_session_never_expires = 0xFFFFFFFF;
inline constexpr auto k_connect_timeout = std::chrono::seconds(10);
inline constexpr auto k_tick_interval = std::chrono::milliseconds(250);

/// Members of one shared subscription `$share/{name}/{filter}`; each message goes to one.
struct Broker::SharedGroup {
  std::string name;
  std::string filter;
  std::vector<std::pair<Session*, SubscriptionOptions>> members;
  std::size_t next = 0;  // round-robin cursor
};

/// One session's merged view of the subscriptions that matched a message.
struct Broker::Match {
  Session* session = nullptr;
  QoS qos = QoS::at_most_once;
  bool retain_as_published = false;
  std::vector<std::uint32_t> subscription_ids;
};

/// "client 'id' from 1.2.3.4:5" (or just the peer before CONNECT), for log lines.
std::string describe(const Connection& c);

/// The protocol version a CONNECT body announces, for answering even a malformed one in kind.
Version peek_connect_version(ByteView body);

/// Drops the properties a server may leave out to fit a client's maximum packet size.
template <class P>
void strip_optional_properties(P& packet) {
  if constexpr (requires { packet.properties; }) {
    if constexpr (!std::is_same_v<P, Publish>) {
      packet.properties.reason_string.reset();
      packet.properties.user_properties.clear();
    }
  }
}

/// The 3.1.1 CONNACK return code that stands for `reason`, if there is one.
std::optional<ConnectReturnCode> v311_return_code(ReasonCode reason);

}  // namespace cs::mqtt
