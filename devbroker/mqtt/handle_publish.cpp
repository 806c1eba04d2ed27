// PUBLISH from a client and the acknowledgements of PUBLISH sent to it.

#include <memory>

#include "common/log.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/broker_internal.h"
#include "devbroker/mqtt/codec.h"

namespace cs::mqtt {
void Broker::handle_publish(Connection& c, Publish&& packet, TimePoint now) {
  ++m_stats.messages_received;
  Session& s = *c.session;
  auto& props = packet.properties;

  if (props.topic_alias) {
    const std::uint16_t alias = *props.topic_alias;
    if (alias == 0 || alias > m_options.limits.topic_alias_maximum) {
      // [MQTT-3.3.2-9] an alias beyond the maximum the server announced.
      return fail(c, ReasonCode::topic_alias_invalid, "topic alias out of range", now);
    }
    auto& inbound = c.topic_aliases().inbound;
    if (packet.topic.empty()) {
      auto it = inbound.find(alias);
      if (it == inbound.end()) {
        return fail(c, ReasonCode::protocol_error, "unknown topic alias", now);
      }
      packet.topic = it->second;
    } else {
      inbound[alias] = packet.topic;
    }
    props.topic_alias.reset();
  }
  if (auto why = check_topic_name(packet.topic, m_topic_limits)) {
    return fail(c, ReasonCode::topic_name_invalid, *why, now);
  }

  const std::uint16_t id = packet.packet_id;
  if (packet.qos == QoS::exactly_once) {
    if (s.incoming_qos2.contains(id)) {
      // [MQTT-4.3.3-9] a re-sent QoS 2 PUBLISH is acknowledged again, never delivered twice.
      return acknowledge(c, Pubrec{id, ReasonCode::success, {}}, last_ticket());
    }
    if (s.incoming_qos2.size() >= m_options.limits.receive_maximum) {
      // [MQTT-3.3.4-9] more unacknowledged QoS 2 messages than our receive maximum.
      return fail(c, ReasonCode::receive_maximum_exceeded, "receive maximum exceeded", now);
    }
  }

  ReasonCode verdict = ReasonCode::success;
  if (packet.topic.front() == '$') {
    verdict = ReasonCode::not_authorized;  // $-topics belong to the server
  } else if (!m_authorizer.may_publish(*s.identity, s.client_id, packet.topic)) {
    verdict = ReasonCode::not_authorized;
  } else if (props.payload_format_indicator.value_or(0) == 1 &&
             !valid_utf8_string(to_string(packet.payload))) {
    verdict = ReasonCode::payload_format_invalid;
  }
  if (verdict != ReasonCode::success) {
    if (log::enabled(log::Level::debug)) {
      log::debug("dropped PUBLISH to '" + packet.topic + "' from " + describe(c));
    }
    if (packet.qos == QoS::at_least_once) acknowledge(c, Puback{id, verdict, {}}, last_ticket());
    if (packet.qos == QoS::exactly_once) acknowledge(c, Pubrec{id, verdict, {}}, last_ticket());
    return;
  }

  auto message = std::make_shared<Message>();
  message->topic = std::move(packet.topic);
  message->payload = std::move(packet.payload);
  message->qos = packet.qos;
  message->retain = packet.retain;
  if (props.message_expiry_interval) {
    message->expires_at = now + std::chrono::seconds(*props.message_expiry_interval);
    props.message_expiry_interval.reset();
  }
  props.subscription_identifiers.clear();
  message->properties = std::move(props);
  message->origin_client_id = s.client_id;
  message->origin_session = s.serial;
  // What routing stored (a retained message, messages queued for absent persistent sessions) is
  // durable before the publisher hears that the message arrived.
  const WriteTicket since = last_ticket();
  route(message, now);

  if (packet.qos == QoS::at_least_once) acknowledge(c, Puback{id, ReasonCode::success, {}}, since);
  if (packet.qos == QoS::exactly_once) {
    s.incoming_qos2.insert(id);
    if (s.persistent) m_persistence->incoming_qos2_added(s.client_id, id);
    acknowledge(c, Pubrec{id, ReasonCode::success, {}}, since);
  }
}

void Broker::handle_puback(Connection& c, const Puback& packet, TimePoint now) {
  Session& s = *c.session;
  Inflight* f = s.find_inflight(packet.packet_id);
  if (f == nullptr || f->delivery.qos != QoS::at_least_once) return;  // stale or unknown: ignore
  persist_removed(s, f->delivery);
  s.erase_inflight(packet.packet_id);
  drain_queue(s, now);
}

void Broker::handle_pubrec(Connection& c, const Pubrec& packet, TimePoint now) {
  Session& s = *c.session;
  const WriteTicket since = last_ticket();
  Inflight* f = s.find_inflight(packet.packet_id);
  if (f == nullptr || f->delivery.qos != QoS::exactly_once) {
    return acknowledge(c, Pubrel{packet.packet_id, ReasonCode::packet_identifier_not_found, {}},
                       since);
  }
  if (packet.reason_code >= ReasonCode::unspecified_error) {
    // The client refused the message: the exchange ends here ([MQTT-4.3.3-4] no PUBREL).
    persist_removed(s, f->delivery);
    s.erase_inflight(packet.packet_id);
    return drain_queue(s, now);
  }
  f->awaiting_pubcomp = true;
  persist_state(s, f->delivery, StoredState::awaiting_pubcomp, packet.packet_id);
  f->delivery.message.reset();  // after PUBREC only the packet id matters
  acknowledge(c, Pubrel{packet.packet_id, ReasonCode::success, {}}, since);
}

void Broker::handle_pubrel(Connection& c, const Pubrel& packet) {
  Session& s = *c.session;
  const WriteTicket since = last_ticket();
  const bool known = s.incoming_qos2.erase(packet.packet_id) > 0;
  // Forgotten on disk before PUBCOMP lets the client reuse the id for a new message.
  if (known && s.persistent) m_persistence->incoming_qos2_removed(s.client_id, packet.packet_id);
  acknowledge(c,
              Pubcomp{packet.packet_id,
                      known ? ReasonCode::success : ReasonCode::packet_identifier_not_found,
                      {}},
              since);
}

void Broker::handle_pubcomp(Connection& c, const Pubcomp& packet, TimePoint now) {
  Session& s = *c.session;
  Inflight* f = s.find_inflight(packet.packet_id);
  if (f == nullptr || !f->awaiting_pubcomp) return;
  persist_removed(s, f->delivery);
  s.erase_inflight(packet.packet_id);
  drain_queue(s, now);
}

}  // namespace cs::mqtt
