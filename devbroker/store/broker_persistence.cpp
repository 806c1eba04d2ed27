#include "devbroker/store/broker_persistence.h"

#include <algorithm>

#include "common/log.h"
#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

// Deletions gathered beyond this go in a write of their own even while another is in flight.
constexpr std::size_t k_max_removals_per_write = 4096;

DeliveryState delivery_state(mqtt::StoredState state) {
  switch (state) {
    case mqtt::StoredState::queued:
      return DeliveryState::queued;
    case mqtt::StoredState::awaiting_ack:
      return DeliveryState::awaiting_ack;
    case mqtt::StoredState::awaiting_pubcomp:
      return DeliveryState::awaiting_pubcomp;
  }
  return DeliveryState::queued;
}

}  // namespace

Result<std::unique_ptr<BrokerPersistence>> BrokerPersistence::open(Store& store,
                                                                   WallClock wall_clock,
                                                                   Notify notify) {
  auto last_seq = store.repos().sessions.last_seq();
  if (!last_seq) return fail(last_seq.error());
  auto writer = store.open_writer();
  if (!writer) return fail(writer.error());
  return std::make_unique<BrokerPersistence>(std::move(*writer), *last_seq, std::move(wall_clock),
                                             std::move(notify));
}

BrokerPersistence::BrokerPersistence(std::unique_ptr<StoreWriter> writer, std::int64_t last_seq,
                                     WallClock wall_clock, Notify notify)
    : m_wall_clock(std::move(wall_clock)),
      m_notify(std::move(notify)),
      m_last_seq(last_seq),
      m_claimed_seq(last_seq),
      m_writer(std::move(writer)) {}

BrokerPersistence::~BrokerPersistence() {
  stop();
}

void BrokerPersistence::flush() {
  submit_removals(true);
  m_writer->flush();
}

void BrokerPersistence::stop() {
  submit_removals(true);
  m_writer->stop();
}

mqtt::PersistProgress BrokerPersistence::take_progress() {
  mqtt::PersistProgress progress;
  std::optional<Error> error;
  {
    std::lock_guard lock(m_mutex);
    progress.finished = m_progress.finished;
    progress.failed.swap(m_progress.failed);
    error.swap(m_first_error);
    m_notified = false;
  }
  // One line when writes start failing and one when they work again, not one per write.
  if (error && !m_failing) {
    log::error("the store could not save the broker's state: " + error->message);
  } else if (!error && m_failing) {
    log::info("the store saves the broker's state again");
  }
  m_failing = error.has_value();
  m_finished_seen = progress.finished;
  forget_cancelled(progress.finished);
  submit_removals(false);
  return progress;
}

void BrokerPersistence::submit(StoreWriter::Write write) {
  const mqtt::WriteTicket ticket = ++m_last_ticket;
  auto submitted = m_writer->submit(
      std::move(write), [this, ticket](const Result<void>& result) { finished(ticket, result); });
  if (!submitted) finished(ticket, fail(submitted.error()));
}

void BrokerPersistence::finished(mqtt::WriteTicket ticket, const Result<void>& result) {
  bool notify = false;
  {
    std::lock_guard lock(m_mutex);
    m_progress.finished = std::max(m_progress.finished, ticket);
    if (!result) {
      m_progress.failed.push_back(ticket);
      if (!m_first_error) m_first_error = result.error();
    }
    notify = !m_notified;
    m_notified = true;
  }
  if (notify && m_notify) m_notify();
}

std::optional<SysSeconds> BrokerPersistence::wall_expiry(
    const std::optional<mqtt::TimePoint>& expires_at, mqtt::TimePoint now) const {
  if (!expires_at) return std::nullopt;
  // Rounded up: a message may outlive its expiry by under a second, never die before it.
  return m_wall_clock() + std::chrono::ceil<std::chrono::seconds>(*expires_at - now);
}

void BrokerPersistence::retained_set(const mqtt::Message& message, mqtt::TimePoint now) {
  RetainedRecord record{message.topic, message.payload, message.qos, message.properties,
                        wall_expiry(message.expires_at, now)};
  submit([record = std::move(record)](Repositories& repos) { return repos.retained.put(record); });
}

void BrokerPersistence::retained_cleared(const std::string& topic) {
  submit([topic](Repositories& repos) { return repos.retained.remove(topic); });
}

void BrokerPersistence::session_saved(const mqtt::Session& session, mqtt::TimePoint now) {
  SessionRecord record{session.client_id, session.expiry_interval, std::nullopt, session.version};
  if (session.connection == nullptr) record.disconnected_at = m_wall_clock();
  std::optional<WillRecord> will;
  if (const mqtt::PendingWill* pending = session.will.get()) {
    const mqtt::Will& w = pending->will;
    will = WillRecord{w.topic,
                      w.payload,
                      w.qos,
                      w.retain,
                      w.properties,
                      pending->delay,
                      wall_expiry(pending->due, now),
                      pending->saved_identity};
  }
  submit([record = std::move(record), will = std::move(will)](Repositories& repos) {
    auto saved = repos.sessions.save(record);
    if (!saved) return saved;
    return will ? repos.sessions.put_will(record.client_id, *will)
                : repos.sessions.remove_will(record.client_id);
  });
}

void BrokerPersistence::will_removed(const std::string& client_id) {
  submit([client_id](Repositories& repos) { return repos.sessions.remove_will(client_id); });
}

void BrokerPersistence::session_removed(const std::string& client_id) {
  submit([client_id](Repositories& repos) { return repos.sessions.remove(client_id); });
}

void BrokerPersistence::subscription_added(const std::string& client_id, const std::string& filter,
                                           const mqtt::SubscriptionOptions& options) {
  submit([client_id, record = SubscriptionRecord{filter, options}](Repositories& repos) {
    return repos.sessions.put_subscription(client_id, record);
  });
}

void BrokerPersistence::subscription_removed(const std::string& client_id,
                                             const std::string& filter) {
  submit([client_id, filter](Repositories& repos) {
    return repos.sessions.remove_subscription(client_id, filter);
  });
}

std::int64_t BrokerPersistence::message_stored(const std::string& client_id,
                                               const mqtt::Delivery& delivery,
                                               mqtt::StoredState state, std::uint16_t packet_id,
                                               mqtt::TimePoint now) {
  const std::int64_t seq = ++m_last_seq;
  // The message is immutable and shared: the writer thread copies it into the row, off the loop.
  mqtt::MessagePtr message = delivery.message;
  std::optional<SysSeconds> expires_at;
  if (message) expires_at = wall_expiry(message->expires_at, now);
  submit([this, client_id, seq, message = std::move(message), expires_at, qos = delivery.qos,
          retain = delivery.retain, ids = delivery.subscription_ids, state = delivery_state(state),
          packet_id](Repositories& repos) -> Result<void> {
    if (!claim(seq)) return {};
    QueuedMessageRecord record;
    record.seq = seq;
    record.qos = qos;
    record.retain = retain;
    record.state = state;
    record.packet_id = packet_id;
    // After PUBREC only the packet id matters, and the broker has let the message go.
    if (message) {
      record.topic = message->topic;
      record.payload = message->payload;
      record.properties = message->properties;
      record.expires_at = expires_at;
    }
    record.properties.subscription_identifiers = ids;
    return repos.sessions.enqueue(client_id, record);
  });
  return seq;
}

void BrokerPersistence::message_state(const std::string& client_id, std::int64_t seq,
                                      mqtt::StoredState state, std::uint16_t packet_id) {
  submit([this, client_id, seq, state = delivery_state(state), packet_id](Repositories& repos) {
    if (cancelled(seq)) return Result<void>{};
    return repos.sessions.set_delivery_state(client_id, seq, state, packet_id);
  });
}

void BrokerPersistence::message_removed(const std::string& client_id, std::int64_t seq) {
  {
    std::lock_guard lock(m_cancel_mutex);
    if (seq > m_claimed_seq) {
      // Its insert has not run: the writer will skip it and every write naming it.
      m_cancelled.insert(seq);
      m_cancelled_until.emplace_back(m_last_ticket, seq);
      return;
    }
  }
  m_removals.emplace_back(client_id, seq);
  submit_removals(false);
}

bool BrokerPersistence::claim(std::int64_t seq) {
  std::lock_guard lock(m_cancel_mutex);
  if (m_cancelled.contains(seq)) return false;
  m_claimed_seq = seq;  // writes run in the order they were submitted: seqs only grow
  return true;
}

bool BrokerPersistence::cancelled(std::int64_t seq) {
  std::lock_guard lock(m_cancel_mutex);
  return m_cancelled.contains(seq);
}

void BrokerPersistence::forget_cancelled(mqtt::WriteTicket finished) {
  if (m_cancelled_until.empty() || m_cancelled_until.front().first > finished) return;
  std::lock_guard lock(m_cancel_mutex);
  while (!m_cancelled_until.empty() && m_cancelled_until.front().first <= finished) {
    m_cancelled.erase(m_cancelled_until.front().second);
    m_cancelled_until.pop_front();
  }
}

void BrokerPersistence::submit_removals(bool always) {
  if (m_removals.empty()) return;
  const bool in_flight = m_removal_ticket > m_finished_seen;
  if (in_flight && !always && m_removals.size() < k_max_removals_per_write) return;
  // Nobody waits for a deletion: a message acknowledged just before a crash comes again (QoS 1
  // allows that; a QoS 2 one past PUBREC only sends PUBREL again).
  submit([removals = std::move(m_removals)](Repositories& repos) -> Result<void> {
    for (const auto& [client_id, seq] : removals) {
      if (auto removed = repos.sessions.remove_message(client_id, seq); !removed) return removed;
    }
    return {};
  });
  m_removals.clear();
  m_removal_ticket = m_last_ticket;
}

void BrokerPersistence::incoming_qos2_added(const std::string& client_id, std::uint16_t packet_id) {
  submit([client_id, packet_id](Repositories& repos) {
    return repos.sessions.add_incoming_qos2(client_id, packet_id);
  });
}

void BrokerPersistence::incoming_qos2_removed(const std::string& client_id,
                                              std::uint16_t packet_id) {
  submit([client_id, packet_id](Repositories& repos) {
    return repos.sessions.remove_incoming_qos2(client_id, packet_id);
  });
}

}  // namespace cs::store
