#pragma once
// Drives a Broker without sockets: feeds encoded packets as one connection's bytes, decodes what
// the broker writes back, and moves a fake clock.

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/codec.h"

namespace cs::test {

/// An authorizer with a fixed user table and deny lists; can defer decisions.
class TestAuthorizer final : public mqtt::Authorizer {
 public:
  bool allow_anonymous = true;
  bool defer = false;                            // answer later via Broker::on_auth_result
  std::map<std::string, std::string> passwords;  // username -> password
  std::set<std::string> deny_publish;            // exact topics
  std::set<std::string> deny_subscribe;          // exact filters

  std::optional<mqtt::AuthDecision> authenticate(const mqtt::ConnectRequest& request) override;
  bool may_publish(const mqtt::Identity&, std::string_view, std::string_view topic) override {
    return !deny_publish.contains(std::string(topic));
  }
  bool may_subscribe(const mqtt::Identity&, std::string_view, std::string_view filter) override {
    return !deny_subscribe.contains(std::string(filter));
  }
  /// "user:<name>" or "anonymous"; anything else does not restore.
  std::string save_identity(const mqtt::Identity& identity) override;
  std::shared_ptr<const mqtt::Identity> restore_identity(std::string_view saved) override;
  /// The decision `authenticate` would give `request` now.
  mqtt::AuthDecision decide(const mqtt::ConnectRequest& request) const;
  std::vector<mqtt::ConnectRequest> deferred;
};

class BrokerHarness {
 public:
  explicit BrokerHarness(devbroker::Limits limits = {});
  /// A harness whose broker asks `authorizer` (which must outlive it) instead of the test one.
  explicit BrokerHarness(mqtt::Authorizer& authorizer, devbroker::Limits limits = {});
  /// A harness whose broker tells `persistence` (which must outlive it) what to keep.
  explicit BrokerHarness(mqtt::Persistence& persistence, devbroker::Limits limits = {});

  /// Opens a new transport connection.
  mqtt::ConnectionId open();
  /// Encodes `packet` for `version` and feeds it to connection `id`.
  void send(mqtt::ConnectionId id, const mqtt::Packet& packet,
            mqtt::Version version = mqtt::Version::v5);
  /// Feeds raw bytes.
  void send_bytes(mqtt::ConnectionId id, const Bytes& bytes);
  /// Takes and decodes everything the broker wrote to `id`.
  std::vector<mqtt::Packet> received(mqtt::ConnectionId id,
                                     mqtt::Version version = mqtt::Version::v5);
  /// True when the broker asked to close `id`.
  bool close_requested(mqtt::ConnectionId id) const { return broker.close_requested(id); }
  /// The transport closes `id` (peer went away, or after a close request).
  void close(mqtt::ConnectionId id) { broker.on_closed(id, now); }
  /// Moves the clock forward and ticks the broker.
  void advance(std::chrono::milliseconds by);

  /// Opens a connection and sends CONNECT as `username`/`password`; returns the id (the answer
  /// may come later when the authorizer decides asynchronously).
  mqtt::ConnectionId send_connect(const std::string& client_id, mqtt::Version version,
                                  std::optional<std::string> username,
                                  std::optional<std::string> password);

  /// Opens a connection and completes CONNECT; returns its id and the CONNACK.
  mqtt::ConnectionId connect(const std::string& client_id,
                             mqtt::Version version = mqtt::Version::v5, bool clean_start = true,
                             mqtt::Properties properties = {},
                             std::optional<mqtt::Will> will = std::nullopt,
                             mqtt::Connack* connack = nullptr);
  /// Subscribes `id` to `filter` and returns the SUBACK reason codes.
  std::vector<std::uint8_t> subscribe(mqtt::ConnectionId id, const std::string& filter,
                                      mqtt::QoS qos = mqtt::QoS::at_most_once,
                                      mqtt::Version version = mqtt::Version::v5);

  TestAuthorizer authorizer;
  mqtt::TimePoint now;
  mqtt::Broker broker;

 private:
  mqtt::ConnectionId m_next = 1;
  // Packets decoded while looking for a CONNACK or SUBACK, handed out by the next received().
  std::map<mqtt::ConnectionId, std::vector<mqtt::Packet>> m_held;
};

/// A PUBLISH with `topic` and text `payload`.
mqtt::Publish make_publish(const std::string& topic, std::string_view payload,
                           mqtt::QoS qos = mqtt::QoS::at_most_once, std::uint16_t packet_id = 0,
                           bool retain = false);

/// The PUBLISH packets among `packets`.
std::vector<mqtt::Publish> publishes(const std::vector<mqtt::Packet>& packets);

/// The payload of `p` as text.
std::string payload_text(const mqtt::Publish& p);

}  // namespace cs::test
