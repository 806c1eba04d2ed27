// SUBSCRIBE and UNSUBSCRIBE, shared subscriptions, and retained messages sent on subscribe.

#include <algorithm>

#include "common/log.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/broker_internal.h"

namespace cs::mqtt {
namespace {

constexpr std::uint8_t k_v311_failure = 0x80;

std::string shared_key(const SharedFilter& shared) {
  std::string key(shared.group);
  key.push_back('/');
  key.append(shared.filter);
  return key;
}

}  // namespace

void Broker::handle_subscribe(Connection& c, Subscribe&& packet, TimePoint now) {
  Session& s = *c.session;
  const bool v5 = c.version == Version::v5;
  const auto& ids = packet.properties.subscription_identifiers;
  const std::uint32_t subscription_id = ids.empty() ? 0 : ids.front();
  const WriteTicket since = last_ticket();

  Suback ack{packet.packet_id, {}, {}};
  std::vector<std::pair<std::string, SubscriptionOptions>> retained_to_send;
  for (SubscriptionRequest& r : packet.subscriptions) {
    auto refuse = [&](ReasonCode reason) {
      ack.reason_codes.push_back(v5 ? static_cast<std::uint8_t>(reason) : k_v311_failure);
    };
    const auto shared = parse_shared_filter(r.filter);
    if (shared && r.no_local) {
      // [MQTT-3.8.3-4] no-local on a shared subscription is a protocol error.
      return fail(c, ReasonCode::protocol_error, "no local on a shared subscription", now);
    }
    if (auto why = check_topic_filter(r.filter, m_topic_limits)) {
      if (log::enabled(log::Level::debug)) log::debug("refused filter '" + r.filter + "': " + *why);
      refuse(ReasonCode::topic_filter_invalid);
      continue;
    }
    const bool existed = s.subscriptions.contains(r.filter);
    if (!existed && s.subscriptions.size() >= m_options.limits.max_subscriptions_per_client) {
      refuse(ReasonCode::quota_exceeded);
      continue;
    }
    if (!m_authorizer.may_subscribe(*s.identity, s.client_id, r.filter)) {
      refuse(ReasonCode::not_authorized);
      continue;
    }
    SubscriptionOptions options{r.max_qos, r.no_local, r.retain_as_published, r.retain_handling,
                                subscription_id};
    if (!v5) options = SubscriptionOptions{r.max_qos, false, false, 0, 0};
    add_subscription(s, r.filter, options);
    ack.reason_codes.push_back(static_cast<std::uint8_t>(r.max_qos));
    // [MQTT-3.3.1-9] retained messages on subscribe, as retain handling asks; never for shared
    // subscriptions ([MQTT-3.8.4-?]: a shared subscription receives no retained messages).
    const bool send_retained_now =
        !shared && (options.retain_handling == 0 || (options.retain_handling == 1 && !existed));
    if (send_retained_now) retained_to_send.emplace_back(r.filter, options);
  }
  // A persistent session's SUBACK waits for its subscriptions to be saved; the retained messages
  // may go first ([MQTT-3.8.4]: PUBLISH may precede SUBACK).
  acknowledge(c, std::move(ack), since);
  for (const auto& [filter, options] : retained_to_send) send_retained(s, filter, options, now);
}

void Broker::handle_unsubscribe(Connection& c, const Unsubscribe& packet) {
  Session& s = *c.session;
  const WriteTicket since = last_ticket();
  Unsuback ack{packet.packet_id, {}, {}};
  for (const std::string& filter : packet.filters) {
    if (check_topic_filter(filter, m_topic_limits)) {
      ack.reason_codes.push_back(ReasonCode::topic_filter_invalid);
      continue;
    }
    ack.reason_codes.push_back(
        remove_subscription(s, filter) ? ReasonCode::success : ReasonCode::no_subscription_existed);
  }
  acknowledge(c, std::move(ack), since);
}

void Broker::add_subscription(Session& s, const std::string& filter,
                              const SubscriptionOptions& options) {
  if (auto shared = parse_shared_filter(filter)) {
    auto [it, created] = m_shared_groups.try_emplace(shared_key(*shared));
    if (created) {
      it->second = std::make_unique<SharedGroup>();
      it->second->name = std::string(shared->group);
      it->second->filter = std::string(shared->filter);
      m_shared_index.insert(it->second->filter, it->second.get(), 0);
    }
    auto& members = it->second->members;
    auto m =
        std::find_if(members.begin(), members.end(), [&](const auto& e) { return e.first == &s; });
    if (m != members.end()) {
      m->second = options;
    } else {
      members.emplace_back(&s, options);
    }
  } else {
    m_subscriptions.insert(filter, &s, options);
  }
  s.subscriptions[filter] = options;
  if (s.persistent) m_persistence->subscription_added(s.client_id, filter, options);
}

bool Broker::remove_subscription(Session& s, const std::string& filter) {
  if (!s.subscriptions.contains(filter)) return false;
  unindex_subscription(s, filter);
  s.subscriptions.erase(filter);
  if (s.persistent) m_persistence->subscription_removed(s.client_id, filter);
  return true;
}

void Broker::unindex_subscription(Session& s, const std::string& filter) {
  auto shared = parse_shared_filter(filter);
  if (!shared) {
    m_subscriptions.erase(filter, &s);
    return;
  }
  auto it = m_shared_groups.find(shared_key(*shared));
  if (it == m_shared_groups.end()) return;
  auto& members = it->second->members;
  std::erase_if(members, [&](const auto& e) { return e.first == &s; });
  if (members.empty()) {
    m_shared_index.erase(it->second->filter, it->second.get());
    m_shared_groups.erase(it);
  }
}

void Broker::send_retained(Session& s, const std::string& filter,
                           const SubscriptionOptions& options, TimePoint now) {
  std::vector<MessagePtr> matching;
  std::vector<std::string> expired;
  for (const auto& [topic, message] : m_retained) {
    if (!topic_matches(filter, topic)) continue;
    if (message->expires_at && *message->expires_at <= now) {
      expired.push_back(topic);
      continue;
    }
    matching.push_back(message);
  }
  for (const auto& topic : expired) m_retained.erase(topic);
  for (auto& message : matching) {
    Delivery d{message, std::min(message->qos, options.max_qos), true, {}};
    if (options.subscription_id != 0) d.subscription_ids.push_back(options.subscription_id);
    deliver(s, std::move(d), now);
  }
}

}  // namespace cs::mqtt
