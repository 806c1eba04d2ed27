#pragma once
// Retained messages, one per topic.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto/bytes.h"
#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/mqtt/packet.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct RetainedRecord {
  std::string topic;
  Bytes payload;
  mqtt::QoS qos = mqtt::QoS::at_most_once;
  mqtt::Properties properties;  // as forwarded; expiry is `expires_at` instead
  std::optional<SysSeconds> expires_at;
  bool operator==(const RetainedRecord&) const = default;
};

class RetainedRepository {
 public:
  explicit RetainedRepository(Database& db) : m_db(db) {}

  /// Stores `message` as the retained message of its topic, replacing any earlier one.
  Result<void> put(const RetainedRecord& message);
  /// Deletes the retained message of `topic`, if there is one.
  Result<void> remove(const std::string& topic);
  /// Every retained message not expired at `now`, by topic. A row whose data cannot be read
  /// fails the call, or with `damaged` given is left out and described there.
  Result<std::vector<RetainedRecord>> list(SysSeconds now,
                                           std::vector<std::string>* damaged = nullptr) const;
  /// Deletes retained messages expired at `now` (expiry at or before it); returns how many.
  Result<std::int64_t> delete_expired(SysSeconds now);

 private:
  Database& m_db;
};

}  // namespace cs::store
