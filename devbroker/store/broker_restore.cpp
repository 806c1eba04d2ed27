#include "devbroker/store/broker_restore.h"

#include <unordered_set>

#include "common/log.h"
#include "devbroker/mqtt/codec.h"
#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

constexpr std::uint32_t k_never_expires = 0xFFFFFFFF;

class Restorer {
 public:
  Restorer(Repositories& repos, mqtt::Broker& broker, const mqtt::TopicLimits& limits,
           SysSeconds wall_now, mqtt::TimePoint now)
      : m_repos(repos), m_broker(broker), m_limits(limits), m_wall_now(wall_now), m_now(now) {}

  Result<RestoreReport> run() && {
    for (auto step :
         {&Restorer::delete_expired, &Restorer::restore_retained, &Restorer::restore_sessions}) {
      if (auto done = (this->*step)(); !done) return fail(done.error());
    }
    return std::move(m_report);
  }

 private:
  Result<void> delete_expired() {
    for (auto deleted : {m_repos.sessions.delete_expired(m_wall_now),
                         m_repos.sessions.delete_expired_messages(m_wall_now),
                         m_repos.retained.delete_expired(m_wall_now)}) {
      if (!deleted) return fail(deleted.error());
    }
    return {};
  }

  Result<void> restore_retained() {
    auto records = m_repos.retained.list(m_wall_now, &m_report.skipped);
    if (!records) return fail(records.error());
    for (RetainedRecord& record : *records) {
      if (auto why = topic_problem(record.topic)) {
        skip({"the retained message of '", record.topic, "': ", *why});
        continue;
      }
      auto message = std::make_shared<mqtt::Message>();
      message->topic = std::move(record.topic);
      message->payload = std::move(record.payload);
      message->qos = record.qos;
      message->retain = true;
      message->properties = std::move(record.properties);
      message->expires_at = expiry(record.expires_at);
      m_broker.restore_retained(std::move(message));
      ++m_report.retained;
    }
    return {};
  }

  Result<void> restore_sessions() {
    auto sessions = m_repos.sessions.load_all(&m_report.skipped);
    if (!sessions) return fail(sessions.error());
    for (StoredSession& stored : *sessions) {
      if (!stored.session.disconnected_at) {
        // The process ended under a connected client: its session expiry starts now.
        stored.session.disconnected_at = m_wall_now;
        if (auto saved = m_repos.sessions.save(stored.session); !saved) return saved;
      }
      if (stored.will && !stored.will->due_at) {
        // Its connection was open when the broker stopped: lost now, the will delay starts now.
        stored.will->due_at = m_wall_now + std::chrono::seconds(stored.will->delay);
        auto saved = m_repos.sessions.put_will(stored.session.client_id, *stored.will);
        if (!saved) return saved;
      }
      m_broker.restore_session(restored(stored));
      ++m_report.sessions;
    }
    return {};
  }

  mqtt::RestoredSession restored(StoredSession& stored) {
    const SessionRecord& record = stored.session;
    mqtt::RestoredSession r;
    r.client_id = record.client_id;
    r.version = record.version;
    r.expiry_interval = record.expiry_interval;
    if (record.expiry_interval != k_never_expires) {
      r.expires_at = expiry(*record.disconnected_at + std::chrono::seconds(record.expiry_interval));
    }
    for (SubscriptionRecord& subscription : stored.subscriptions) {
      if (auto why = mqtt::check_topic_filter(subscription.filter, m_limits)) {
        skip({"the subscription to '", subscription.filter, "' of session '", record.client_id,
              "': ", *why});
        continue;
      }
      r.subscriptions.emplace_back(std::move(subscription.filter), subscription.options);
    }
    std::unordered_set<std::uint16_t> in_flight;
    for (QueuedMessageRecord& message : stored.queue) {
      if (auto why = message_problem(message, in_flight)) {
        skip({"message ", std::to_string(message.seq), " of session '", record.client_id,
              "': ", *why});
        continue;
      }
      const bool queued = message.state == DeliveryState::queued;
      const bool pubrel_sent = message.state == DeliveryState::awaiting_pubcomp;
      const std::uint16_t packet_id = message.packet_id;
      mqtt::Delivery d = delivery(std::move(message));
      if (queued) {
        r.queue.push_back(std::move(d));
      } else {
        r.inflight.push_back(mqtt::Inflight{std::move(d), packet_id, pubrel_sent});
      }
      ++m_report.messages;
    }
    r.incoming_qos2 = std::move(stored.incoming_qos2);
    if (stored.will) r.will = will(record.client_id, std::move(*stored.will));
    return r;
  }

  std::optional<mqtt::RestoredWill> will(const std::string& client_id, WillRecord&& record) {
    if (auto why = topic_problem(record.topic)) {
      skip({"the will of session '", client_id, "': ", *why});
      return std::nullopt;
    }
    mqtt::RestoredWill r;
    r.will = mqtt::Will{std::move(record.topic), std::move(record.payload), record.qos,
                        record.retain, std::move(record.properties)};
    r.delay = record.delay;
    r.due = expiry(record.due_at).value_or(m_now);
    r.saved_identity = std::move(record.identity);
    return r;
  }

  // Why the broker cannot take `message` back, or nullopt; `in_flight` collects packet ids.
  std::optional<std::string> message_problem(const QueuedMessageRecord& message,
                                             std::unordered_set<std::uint16_t>& in_flight) const {
    if (message.state != DeliveryState::queued) {
      if (message.packet_id == 0) return "in flight without a packet identifier";
      if (!in_flight.insert(message.packet_id).second) {
        return concat(
            {"packet identifier ", std::to_string(message.packet_id), " is in flight twice"});
      }
      if (message.qos == mqtt::QoS::at_most_once) return "in flight at QoS 0";
      if (message.state == DeliveryState::awaiting_pubcomp &&
          message.qos != mqtt::QoS::exactly_once) {
        return "waits for PUBCOMP but is not QoS 2";
      }
    }
    if (message.state == DeliveryState::awaiting_pubcomp) return std::nullopt;  // id alone
    return topic_problem(message.topic);
  }

  std::optional<std::string> topic_problem(const std::string& topic) const {
    if (!mqtt::valid_utf8_string(topic)) return "the topic is not UTF-8";
    return mqtt::check_topic_name(topic, m_limits);
  }

  mqtt::Delivery delivery(QueuedMessageRecord&& record) const {
    mqtt::Delivery d;
    d.qos = record.qos;
    d.retain = record.retain;
    d.seq = record.seq;
    d.subscription_ids = std::move(record.properties.subscription_identifiers);
    record.properties.subscription_identifiers.clear();
    if (record.state != DeliveryState::awaiting_pubcomp) {
      auto message = std::make_shared<mqtt::Message>();
      message->topic = std::move(record.topic);
      message->payload = std::move(record.payload);
      message->qos = record.qos;
      message->retain = record.retain;
      message->properties = std::move(record.properties);
      message->expires_at = expiry(record.expires_at);
      d.message = std::move(message);
    }
    return d;
  }

  // Wall-clock time `at` on the broker's clock.
  std::optional<mqtt::TimePoint> expiry(const std::optional<SysSeconds>& at) const {
    if (!at) return std::nullopt;
    return m_now + (*at - m_wall_now);
  }

  void skip(std::initializer_list<std::string_view> parts) {
    m_report.skipped.push_back(concat(parts));
  }

  Repositories& m_repos;
  mqtt::Broker& m_broker;
  const mqtt::TopicLimits& m_limits;
  SysSeconds m_wall_now;
  mqtt::TimePoint m_now;
  RestoreReport m_report;
};

void log_report(const RestoreReport& report) {
  for (const std::string& row : report.skipped) {
    log::warn(concat({"left out of the stored state (the row stays in the database): ", row}));
  }
  if (report.retained + report.sessions == 0) return;
  log::info(concat({"restored ", std::to_string(report.retained), " retained messages and ",
                    std::to_string(report.sessions), " sessions holding ",
                    std::to_string(report.messages), " messages"}));
}

}  // namespace

Result<RestoreReport> restore_broker_state(Store& store, mqtt::Broker& broker,
                                           const mqtt::TopicLimits& limits, SysSeconds wall_now,
                                           mqtt::TimePoint now) {
  // One transaction: the expired rows go and the sessions found connected are saved together,
  // with one sync of the disk.
  auto transaction = Transaction::begin(store.database());
  if (!transaction) return fail(transaction.error());
  auto report = Restorer(store.repos(), broker, limits, wall_now, now).run();
  if (!report) return fail(report.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  log_report(*report);
  return report;
}

}  // namespace cs::store
