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

void Broker::when_durable(WriteTicket since, std::function<void(bool saved)> done) {
  const WriteTicket last = last_ticket();
  if (last == since) return done(true);
  m_held_callbacks.push_back(HeldCallback{since + 1, last, std::move(done)});
}

void Broker::release_callbacks(const PersistProgress& progress) {
  std::vector<std::pair<std::function<void(bool)>, bool>> due;  // with "saved"
  std::erase_if(m_held_callbacks, [&](HeldCallback& h) {
    const bool lost = std::any_of(progress.failed.begin(), progress.failed.end(),
                                  [&](WriteTicket t) { return h.first <= t && t <= h.last; });
    if (!lost && h.last > progress.finished) return false;
    due.emplace_back(std::move(h.done), !lost);
    return true;
  });
  // Called once the list is settled: a callback may publish again.
  for (auto& [done, saved] : due) done(saved);
}

void Broker::on_persisted(const PersistProgress& progress, TimePoint now) {
  release_callbacks(progress);
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

void Broker::persist_attached(Session& s, bool was_persistent, TimePoint now) {
  if (m_persistence == nullptr) return;
  s.persistent = s.expiry_interval > 0;
  if (s.persistent) {
    m_persistence->session_saved(s, now);
  } else if (was_persistent) {
    m_persistence->session_removed(s.client_id);  // it ends with this connection now
  }
}

void Broker::persist_detached(Session& s, TimePoint now) {
  // Its messages are stored already: they were written as they came, connected or not.
  if (s.persistent) m_persistence->session_saved(s, now);
}

void Broker::persist_will_published(Session& s) {
  if (s.persistent) m_persistence->will_removed(s.client_id);
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
  if (restored.will) restore_will(s, std::move(*restored.will));
}

void Broker::restore_will(Session& s, RestoredWill&& restored) {
  std::shared_ptr<const Identity> identity;
  if (!restored.saved_identity.empty()) {
    identity = m_authorizer.restore_identity(restored.saved_identity);
    if (!identity) {
      // Never published unchecked: a will whose sender is unknown is left out.
      log::warn("the stored will of session '" + s.client_id +
                "' was left out: its identity cannot be read");
      return;
    }
  }
  s.will = std::make_unique<PendingWill>(PendingWill{std::move(restored.will), std::move(identity),
                                                     s.client_id, restored.delay, restored.due,
                                                     std::move(restored.saved_identity)});
}

}  // namespace cs::mqtt
