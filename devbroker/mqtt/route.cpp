// Routing: from one published message to the sessions that receive it, and the delivery rules
// (QoS downgrade, flow control, queues, expiry, topic aliases, maximum packet size).

#include <algorithm>
#include <optional>

#include "common/log.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/broker_internal.h"
#include "devbroker/mqtt/codec.h"

namespace cs::mqtt {
namespace {

QoS min_qos(QoS a, QoS b) {
  return static_cast<QoS>(std::min(static_cast<int>(a), static_cast<int>(b)));
}

bool expired(const Message& m, TimePoint now) {
  return m.expires_at && *m.expires_at <= now;
}

}  // namespace

void Broker::publish(Message message, TimePoint now, std::function<void(bool saved)> durable) {
  const WriteTicket since = last_ticket();
  route(std::make_shared<const Message>(std::move(message)), now);
  if (durable) when_durable(since, std::move(durable));
}

void Broker::route(const MessagePtr& message, TimePoint now) {
  if (message->retain) store_retained(message, now);

  // Merge overlapping subscriptions of one session into a single delivery: the highest QoS and
  // every subscription identifier ([MQTT-3.3.4-2], [MQTT-3.3.4-3]).
  ++m_match_epoch;
  m_matches.clear();
  m_subscriptions.match(message->topic, [&](Session* s, const SubscriptionOptions& o) {
    if (o.no_local && s->serial == message->origin_session) return;  // [MQTT-3.8.3-3]
    if (s->match_epoch != m_match_epoch) {
      s->match_epoch = m_match_epoch;
      s->match_slot = m_matches.size();
      m_matches.push_back(Match{s, o.max_qos, o.retain_as_published, {}});
    }
    Match& m = m_matches[s->match_slot];
    if (o.max_qos > m.qos) m.qos = o.max_qos;
    m.retain_as_published = m.retain_as_published || o.retain_as_published;
    if (o.subscription_id != 0) m.subscription_ids.push_back(o.subscription_id);
  });

  // Shared subscriptions: one member of each group gets the message, connected members first.
  m_shared_index.match(message->topic, [&](SharedGroup* g, char) {
    const std::size_t n = g->members.size();
    std::size_t pick = g->next % n;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = (g->next + i) % n;
      if (g->members[k].first->connection != nullptr) {
        pick = k;
        break;
      }
    }
    g->next = pick + 1;
    const auto& [s, o] = g->members[pick];
    Match m{s, o.max_qos, o.retain_as_published, {}};
    if (o.subscription_id != 0) m.subscription_ids.push_back(o.subscription_id);
    m_matches.push_back(std::move(m));
  });

  for (Match& m : m_matches) {
    Delivery d{message, min_qos(message->qos, m.qos), m.retain_as_published && message->retain,
               std::move(m.subscription_ids)};
    deliver(*m.session, std::move(d), now);
  }
}

void Broker::deliver(Session& s, Delivery&& d, TimePoint now) {
  if (expired(*d.message, now)) return;
  Connection* c = s.connection;
  if (d.qos == QoS::at_most_once) {
    // QoS 0 is not queued for absent clients, and is shed first when a client reads slowly.
    if (c == nullptr) return;
    if (c->output.size() > m_options.limits.max_pending_output) {
      ++m_stats.dropped;
      return;
    }
    send_publish(*c, s, d, 0, false, now);
    return;
  }
  // A persistent session's QoS 1/2 messages are written whether its client is connected or not:
  // the publisher's acknowledgement waits for the commit, the delivery below does not.
  if (c != nullptr && s.queue.empty() && s.inflight_count() < c->client_receive_maximum) {
    const std::uint16_t id = s.allocate_packet_id();
    if (s.persistent) {
      d.seq = m_persistence->message_stored(s.client_id, d, StoredState::awaiting_ack, id, now);
    }
    s.inflight.push_back(Inflight{std::move(d), id, false});
    send_publish(*c, s, s.inflight.back().delivery, id, false, now);
    return;
  }
  if (s.queue.size() >= m_options.limits.max_queued_messages) {
    ++m_stats.dropped;
    if (log::enabled(log::Level::debug))
      log::debug("queue full, dropped a message for " + s.client_id);
    return;
  }
  if (s.persistent) {
    d.seq = m_persistence->message_stored(s.client_id, d, StoredState::queued, 0, now);
  }
  s.queue.push_back(std::move(d));
}

void Broker::send_publish(Connection& c, Session& s, const Delivery& d, std::uint16_t packet_id,
                          bool dup, TimePoint now) {
  // The packet borrows the message's topic, payload and properties: one message may go to
  // thousands of subscribers, and copying it for each was most of the cost of a delivery.
  const Message& m = *d.message;
  PublishView p{dup, d.qos, d.retain, m.topic, packet_id, nullptr, m.payload};
  std::optional<Properties> own;  // 5.0, when this delivery changes the message's properties
  if (c.version == Version::v5) {
    if (d.subscription_ids.empty() && !m.expires_at && c.client_topic_alias_maximum == 0) {
      p.properties = &m.properties;
    } else {
      own = m.properties;
      own->subscription_identifiers = d.subscription_ids;
      if (m.expires_at) {
        // [MQTT-3.3.2-6] the interval forwarded is what is left of it.
        const auto left = std::chrono::ceil<std::chrono::seconds>(*m.expires_at - now);
        own->message_expiry_interval =
            static_cast<std::uint32_t>(std::max<std::int64_t>(left.count(), 1));
      }
      p.properties = &*own;
    }
  }
  if (c.client_maximum_packet_size != 0 &&
      encoded_size(p, c.version) > c.client_maximum_packet_size) {
    // [MQTT-3.1.2-25] a message too large for the client is discarded as if it were delivered.
    ++m_stats.dropped;
    if (Inflight* f = packet_id != 0 ? s.find_inflight(packet_id) : nullptr) {
      persist_removed(s, f->delivery);
      s.erase_inflight(packet_id);
    }
    return;
  }
  if (own && c.client_topic_alias_maximum > 0) {
    // Aliases only shrink a packet, so they are chosen after the size check.
    auto& outbound = c.topic_aliases().outbound;
    auto it = outbound.find(m.topic);
    if (it != outbound.end()) {
      own->topic_alias = it->second;
      p.topic = {};
    } else if (outbound.size() < c.client_topic_alias_maximum) {
      const auto alias = static_cast<std::uint16_t>(outbound.size() + 1);
      outbound.emplace(m.topic, alias);
      own->topic_alias = alias;
    }
  }
  encode(p, c.version, c.output);
  ++m_stats.messages_sent;
  mark_ready(c);
}

void Broker::drain_queue(Session& s, TimePoint now) {
  Connection* c = s.connection;
  while (c != nullptr && !s.queue.empty() && s.inflight_count() < c->client_receive_maximum) {
    Delivery d = std::move(s.queue.front());
    s.queue.pop_front();
    if (expired(*d.message, now)) {
      persist_removed(s, d);
      continue;
    }
    if (d.qos == QoS::at_most_once) {
      send_publish(*c, s, d, 0, false, now);
      continue;
    }
    const std::uint16_t id = s.allocate_packet_id();
    persist_state(s, d, StoredState::awaiting_ack, id);
    s.inflight.push_back(Inflight{std::move(d), id, false});
    send_publish(*c, s, s.inflight.back().delivery, id, false, now);
  }
}

void Broker::resend_inflight(Session& s, TimePoint now) {
  // [MQTT-4.4.0-1] unacknowledged PUBLISH and PUBREL are re-sent, in order, on reconnect.
  Connection* c = s.connection;
  if (c == nullptr) return;
  // Copy the ids first: send_publish may discard an over-large message from the window.
  std::vector<std::uint16_t> ids;
  for (const Inflight& f : s.live_inflight()) ids.push_back(f.packet_id);
  for (std::uint16_t id : ids) {
    Inflight* f = s.find_inflight(id);
    if (f == nullptr) continue;
    if (f->awaiting_pubcomp) {
      send(*c, Pubrel{id, ReasonCode::success, {}});
    } else {
      send_publish(*c, s, f->delivery, id, true, now);
    }
  }
}

void Broker::publish_will(PendingWill&& will, TimePoint now) {
  if (will.identity && !m_authorizer.may_publish(*will.identity, will.client_id, will.will.topic)) {
    log::info("will of client '" + will.client_id + "' not published: not authorized for '" +
              will.will.topic + "'");
    return;
  }
  Message m;
  m.topic = std::move(will.will.topic);
  m.payload = std::move(will.will.payload);
  m.qos = will.will.qos;
  m.retain = will.will.retain;
  Properties props = std::move(will.will.properties);
  if (props.message_expiry_interval) {
    m.expires_at = now + std::chrono::seconds(*props.message_expiry_interval);
    props.message_expiry_interval.reset();
  }
  props.will_delay_interval.reset();
  m.properties = std::move(props);
  m.origin_client_id = std::move(will.client_id);
  route(std::make_shared<const Message>(std::move(m)), now);
}

void Broker::store_retained(const MessagePtr& message, TimePoint now) {
  // $SYS messages are the server's own and made afresh after a restart: never written.
  const bool durable = m_persistence != nullptr && message->topic.front() != '$';
  // [MQTT-3.3.1-10] an empty retained message clears the topic's retained message.
  if (message->payload.empty()) {
    if (m_retained.erase(message->topic) > 0 && durable) {
      m_persistence->retained_cleared(message->topic);
    }
    return;
  }
  auto it = m_retained.find(message->topic);
  if (it != m_retained.end()) {
    it->second = message;
  } else if (m_retained.size() >= m_options.limits.max_retained_messages) {
    ++m_stats.dropped;
    log::warn("retained message for '" + message->topic + "' not stored: limit reached");
    return;
  } else {
    m_retained.emplace(message->topic, message);
  }
  if (durable) m_persistence->retained_set(*message, now);
}

}  // namespace cs::mqtt
