#include "devbroker/store/retained_repository.h"

#include "devbroker/store/properties_blob.h"
#include "devbroker/store/rows.h"

namespace cs::store {

namespace {

std::optional<Bytes> properties_column(const mqtt::Properties& properties) {
  Bytes blob = encode_properties(properties);
  if (blob.empty()) return std::nullopt;
  return blob;
}

Result<RetainedRecord> read_retained(const Statement& row) {
  auto properties = decode_properties(row.column_blob(3));
  if (!properties) return fail(properties.error());
  return RetainedRecord{row.column_text(0), row.column_blob(1),
                        static_cast<mqtt::QoS>(row.column_int(2)), std::move(*properties),
                        row.column_optional_time(4)};
}

}  // namespace

Result<void> RetainedRepository::put(const RetainedRecord& message) {
  auto done = m_db.execute(
      "INSERT INTO retained (topic, payload, qos, properties, expires_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (topic) DO UPDATE SET payload = excluded.payload, qos = excluded.qos, "
      "properties = excluded.properties, expires_at = excluded.expires_at",
      message.topic, message.payload, static_cast<int>(message.qos),
      properties_column(message.properties), message.expires_at);
  if (!done) return fail(done.error());
  return {};
}

Result<void> RetainedRepository::remove(const std::string& topic) {
  auto done = m_db.execute("DELETE FROM retained WHERE topic = ?", topic);
  if (!done) return fail(done.error());
  return {};
}

Result<std::vector<RetainedRecord>> RetainedRepository::list(
    SysSeconds now, std::vector<std::string>* damaged) const {
  std::vector<RetainedRecord> records;
  auto listed =
      for_each_row(m_db.query("SELECT topic, payload, qos, properties, expires_at FROM retained "
                              "WHERE expires_at IS NULL OR expires_at > ? ORDER BY topic",
                              now),
                   [&](const Statement& row) -> Result<void> {
                     auto record = read_retained(row);
                     if (record) {
                       records.push_back(std::move(*record));
                     } else if (damaged == nullptr) {
                       return fail(record.error());
                     } else {
                       damaged->push_back(concat({"the retained message of '", row.column_text(0),
                                                  "': ", record.error().message}));
                     }
                     return {};
                   });
  if (!listed) return fail(listed.error());
  return records;
}

Result<std::int64_t> RetainedRepository::delete_expired(SysSeconds now) {
  return m_db.execute("DELETE FROM retained WHERE expires_at <= ?", now);
}

}  // namespace cs::store
