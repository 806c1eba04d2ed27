#pragma once
// MqttClient over the Eclipse Paho MQTT C++ library: mqtt, mqtts, ws and wss, MQTT 3.1.1 and 5.0.

#include <functional>
#include <memory>

#include "cli/mqtt_client/client.h"

namespace cs::cli::mqtt_client {

/// How long a connection attempt (TCP, TLS, WebSocket and CONNACK) may take.
inline constexpr std::chrono::seconds k_connect_timeout{10};
/// How long the broker may take to acknowledge a QoS 1 or 2 message or a SUBSCRIBE.
inline constexpr std::chrono::seconds k_ack_timeout{30};
/// Messages received but not yet taken by next_event; beyond this the library waits, and with it
/// the broker (flow control) instead of memory growing.
inline constexpr std::size_t k_max_pending_messages = 1024;

class PahoClient final : public MqttClient {
 public:
  /// A client that polls `interrupted` while it waits, so Ctrl-C is never held up for long.
  explicit PahoClient(std::function<bool()> interrupted);
  ~PahoClient() override;
  PahoClient(const PahoClient&) = delete;
  PahoClient& operator=(const PahoClient&) = delete;

  Result<void> connect(const ConnectSettings& settings) override;
  Result<void> publish(const OutgoingMessage& message) override;
  Result<std::vector<int>> subscribe(const std::vector<std::string>& filters, int qos) override;
  ClientEvent next_event(std::optional<std::chrono::steady_clock::time_point> deadline) override;
  bool interrupted() const override;
  void disconnect() override;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace cs::cli::mqtt_client
