// The broker's side of persistence: which changes of a persistent session are written, the
// acknowledgements held until those writes are durable, and the state restored at start.

#include <algorithm>

#include "common/log.h"
#include "devbroker/mqtt/broker.h"

namespace cs::mqtt {

WriteTicket Broker::last_ticket() const {
  return m_persistence != nullptr ? m_persistence->last_ticket() : 0;
}

// Acknowledgements leave in the order their packets arrived ([MQTT-4.6.0-2] to [MQTT-4.6.0-4]),
// so one that needs no write still waits behind one that does.
void Broker::acknowledge(Connection& c, Packet&& packet, WriteTicket since) {
  if (c.state == ConnectionState::closing) return;
  const WriteTicket last = last_ticket();
  if (last == since && !c.acks_held) return send(c, packet);
  c.acks_held = true;
  m_held_acks[c.id].push_back(HeldAck{since + 1, last, std::move(packet)});
}

void Broker::on_persisted(const PersistProgress& progress, TimePoint now) {
  std::vector<ConnectionId> holding;
  holding.reserve(m_held_acks.size());
  for (const auto& [id, held] : m_held_acks) holding.push_back(id);
  for (ConnectionId id : holding) release_held(id, progress, now);
}

void Broker::release_held(ConnectionId id, const PersistProgress& progress, TimePoint now) {
  auto entry = m_held_acks.find(id);
  Connection* c = find_connection(id);
  if (c == nullptr) {
    m_held_acks.erase(entry);
    return;
  }
  std::vector<HeldAck>& held = entry->second;
  const bool lost = std::any_of(held.begin(), held.end(), [&](const HeldAck& h) {
    return std::any_of(progress.failed.begin(), progress.failed.end(),
                       [&](WriteTicket t) { return h.first <= t && t <= h.last; });
  });
  const auto ready = std::find_if(held.begin(), held.end(),
                                  [&](const HeldAck& h) { return h.last > progress.finished; });
  if (!lost) {
    for (auto it = held.begin(); it != ready; ++it) send(*c, it->packet);
    held.erase(held.begin(), ready);
    if (!held.empty()) return;
  }
  m_held_acks.erase(entry);
  c->acks_held = false;
  // Never acknowledge what the store lost: the client sends it again when it reconnects.
  if (lost) {
    fail(*c, ReasonCode::unspecified_error, "the broker could not save what it was to acknowledge",
         now);
  }
}

void Broker::persist_attached(Session& s, bool was_persistent) {
  if (m_persistence == nullptr) return;
  s.persistent = s.expiry_interval > 0;
  if (s.persistent) {
    m_persistence->session_saved(s);
  } else if (was_persistent) {
    m_persistence->session_removed(s.client_id);  // it ends with this connection now
  }
}

void Broker::persist_detached(Session& s, TimePoint now) {
  if (!s.persistent) return;
  m_persistence->session_saved(s);
  // Deliveries to the connected client were not written; now they wait for an absent one.
  for (Inflight& f : s.live_inflight()) {
    if (f.delivery.seq != 0) continue;
    const auto state =
        f.awaiting_pubcomp ? StoredState::awaiting_pubcomp : StoredState::awaiting_ack;
    f.delivery.seq =
        m_persistence->message_stored(s.client_id, f.delivery, state, f.packet_id, now);
  }
  for (Delivery& d : s.queue) {
    if (d.seq != 0) continue;
    d.seq = m_persistence->message_stored(s.client_id, d, StoredState::queued, 0, now);
  }
}

void Broker::persist_state(Session& s, const Delivery& d, StoredState state,
                           std::uint16_t packet_id) {
  if (s.persistent && d.seq != 0) {
    m_persistence->message_state(s.client_id, d.seq, state, packet_id);
  }
}

void Broker::persist_removed(Session& s, const Delivery& d) {
  if (s.persistent && d.seq != 0) m_persistence->message_removed(s.client_id, d.seq);
}

void Broker::restore_retained(MessagePtr message) {
  if (m_retained.size() >= m_options.limits.max_retained_messages &&
      !m_retained.contains(message->topic)) {
    ++m_stats.dropped;
    log::warn("stored retained message for '" + message->topic + "' not loaded: limit reached");
    return;
  }
  m_retained[message->topic] = std::move(message);
}

void Broker::restore_session(RestoredSession&& restored) {
  auto owned = std::make_unique<Session>();
  Session& s = *owned;
  s.client_id = restored.client_id;
  if (!m_sessions.emplace(std::string_view(s.client_id), std::move(owned)).second) return;
  s.serial = m_next_session_serial++;
  s.version = restored.version;
  s.expiry_interval = restored.expiry_interval;
  s.expires_at = restored.expires_at;
  // Not persistent yet, so that adding the subscriptions writes nothing back.
  for (const auto& [filter, options] : restored.subscriptions) add_subscription(s, filter, options);
  s.inflight = std::move(restored.inflight);
  s.queue.assign(std::make_move_iterator(restored.queue.begin()),
                 std::make_move_iterator(restored.queue.end()));
  s.incoming_qos2.insert(restored.incoming_qos2.begin(), restored.incoming_qos2.end());
  s.persistent = m_persistence != nullptr;
}

}  // namespace cs::mqtt
