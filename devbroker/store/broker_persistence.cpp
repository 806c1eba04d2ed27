#include "devbroker/store/broker_persistence.h"

#include <algorithm>

#include "common/log.h"
#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

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
      m_writer(std::move(writer)) {}

BrokerPersistence::~BrokerPersistence() {
  stop();
}

void BrokerPersistence::flush() {
  m_writer->flush();
}

void BrokerPersistence::stop() {
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

void BrokerPersistence::session_saved(const mqtt::Session& session) {
  SessionRecord record{session.client_id, session.expiry_interval, std::nullopt, session.version};
  if (session.connection == nullptr) record.disconnected_at = m_wall_clock();
  submit([record = std::move(record)](Repositories& repos) { return repos.sessions.save(record); });
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
  QueuedMessageRecord record;
  record.seq = ++m_last_seq;
  record.qos = delivery.qos;
  record.retain = delivery.retain;
  record.state = delivery_state(state);
  record.packet_id = packet_id;
  // After PUBREC only the packet id matters, and the broker has let the message go.
  if (const mqtt::Message* m = delivery.message.get()) {
    record.topic = m->topic;
    record.payload = m->payload;
    record.properties = m->properties;
    record.expires_at = wall_expiry(m->expires_at, now);
  }
  record.properties.subscription_identifiers = delivery.subscription_ids;
  const std::int64_t seq = record.seq;
  submit([client_id, record = std::move(record)](Repositories& repos) {
    return repos.sessions.enqueue(client_id, record);
  });
  return seq;
}

void BrokerPersistence::message_state(const std::string& client_id, std::int64_t seq,
                                      mqtt::StoredState state, std::uint16_t packet_id) {
  submit([client_id, seq, state = delivery_state(state), packet_id](Repositories& repos) {
    return repos.sessions.set_delivery_state(client_id, seq, state, packet_id);
  });
}

void BrokerPersistence::message_removed(const std::string& client_id, std::int64_t seq) {
  submit([client_id, seq](Repositories& repos) {
    return repos.sessions.remove_message(client_id, seq);
  });
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
