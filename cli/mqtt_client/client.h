#pragma once
// The one seam between `pub`/`sub` and an MQTT client library: commands speak to this
// interface, the binary plugs in Paho (paho_client.h) and tests a scripted fake.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli/mqtt_client/message.h"
#include "cli/mqtt_client/target.h"
#include "common/result.h"
#include "devbroker/mqtt/packet.h"

namespace cs::cli::mqtt_client {

struct ConnectSettings {
  MqttTarget target;
  mqtt::Version version = mqtt::Version::v5;
  std::string client_id;
  std::uint16_t keepalive = 60;  // seconds, 0 = off
};

/// The connection ended without being asked to: `error` says why.
struct ConnectionLost {
  Error error;
};
/// SIGINT or SIGTERM arrived.
struct Interrupted {};
/// The deadline passed with nothing else to report.
struct DeadlinePassed {};

using ClientEvent = std::variant<ReceivedMessage, ConnectionLost, Interrupted, DeadlinePassed>;

class MqttClient {
 public:
  virtual ~MqttClient() = default;

  /// Connects with a clean session as `settings` says; errors carry the broker's refusal.
  virtual Result<void> connect(const ConnectSettings& settings) = 0;
  /// Sends `message` and, for QoS 1 and 2, waits until the broker acknowledged it.
  virtual Result<void> publish(const OutgoingMessage& message) = 0;
  /// Subscribes to every filter in `filters` at `qos` in one SUBSCRIBE; returns the SUBACK's code
  /// per filter (granted QoS 0-2, or a failure code from 0x80).
  virtual Result<std::vector<int>> subscribe(const std::vector<std::string>& filters, int qos) = 0;
  /// Waits for the next message or event until `deadline` (forever when empty).
  virtual ClientEvent next_event(std::optional<std::chrono::steady_clock::time_point> deadline) = 0;
  /// True once SIGINT or SIGTERM arrived, so a failed wait can be told from a refusal.
  virtual bool interrupted() const = 0;
  /// Sends DISCONNECT (best effort) and closes the connection.
  virtual void disconnect() = 0;
};

}  // namespace cs::cli::mqtt_client
