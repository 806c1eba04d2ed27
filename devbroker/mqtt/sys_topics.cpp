// $SYS/broker/... : the broker's own counters, published as retained messages.

#include <string>

#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/broker_internal.h"

namespace cs::mqtt {

void Broker::publish_sys(TimePoint now) {
  const BrokerStats s = stats();
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(now - m_started).count();
  const std::pair<const char*, std::string> values[] = {
      {"$SYS/broker/version", "cloudsignal " + m_options.version},
      {"$SYS/broker/uptime", std::to_string(uptime) + " seconds"},
      {"$SYS/broker/clients/connected", std::to_string(s.clients_connected)},
      {"$SYS/broker/clients/total", std::to_string(s.sessions)},
      {"$SYS/broker/messages/received", std::to_string(s.messages_received)},
      {"$SYS/broker/messages/sent", std::to_string(s.messages_sent)},
      {"$SYS/broker/messages/dropped", std::to_string(s.dropped)},
      {"$SYS/broker/bytes/received", std::to_string(s.bytes_received)},
      {"$SYS/broker/bytes/sent", std::to_string(s.bytes_sent)},
      {"$SYS/broker/subscriptions/count", std::to_string(s.subscriptions)},
      {"$SYS/broker/retained messages/count", std::to_string(s.retained)},
  };
  for (const auto& [topic, value] : values) {
    auto it = m_retained.find(topic);
    if (it != m_retained.end() && to_string(it->second->payload) == value) continue;  // unchanged
    Message m;
    m.topic = topic;
    m.payload.assign(value.begin(), value.end());
    m.retain = true;
    route(std::make_shared<const Message>(std::move(m)), now);
  }
}

}  // namespace cs::mqtt
