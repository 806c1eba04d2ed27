#pragma once
// MQTT control packets of versions 3.1.1 and 5.0 as plain values. The codec turns bytes into
// these and back; everything above the codec works on these types only.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/crypto/bytes.h"

namespace cs::mqtt {

/// The protocol level byte of CONNECT.
enum class Version : std::uint8_t { v311 = 4, v5 = 5 };

enum class PacketType : std::uint8_t {
  connect = 1,
  connack = 2,
  publish = 3,
  puback = 4,
  pubrec = 5,
  pubrel = 6,
  pubcomp = 7,
  subscribe = 8,
  suback = 9,
  unsubscribe = 10,
  unsuback = 11,
  pingreq = 12,
  pingresp = 13,
  disconnect = 14,
  auth = 15,
};

enum class QoS : std::uint8_t { at_most_once = 0, at_least_once = 1, exactly_once = 2 };

/// MQTT 5.0 reason codes (section 2.4). 3.1.1 CONNACK return codes are separate (below).
enum class ReasonCode : std::uint8_t {
  success = 0x00,  // also: normal disconnection, granted QoS 0
  granted_qos_1 = 0x01,
  granted_qos_2 = 0x02,
  disconnect_with_will = 0x04,
  no_matching_subscribers = 0x10,
  no_subscription_existed = 0x11,
  continue_authentication = 0x18,
  reauthenticate = 0x19,
  unspecified_error = 0x80,
  malformed_packet = 0x81,
  protocol_error = 0x82,
  implementation_specific_error = 0x83,
  unsupported_protocol_version = 0x84,
  client_identifier_not_valid = 0x85,
  bad_username_or_password = 0x86,
  not_authorized = 0x87,
  server_unavailable = 0x88,
  server_busy = 0x89,
  banned = 0x8A,
  server_shutting_down = 0x8B,
  bad_authentication_method = 0x8C,
  keep_alive_timeout = 0x8D,
  session_taken_over = 0x8E,
  topic_filter_invalid = 0x8F,
  topic_name_invalid = 0x90,
  packet_identifier_in_use = 0x91,
  packet_identifier_not_found = 0x92,
  receive_maximum_exceeded = 0x93,
  topic_alias_invalid = 0x94,
  packet_too_large = 0x95,
  message_rate_too_high = 0x96,
  quota_exceeded = 0x97,
  administrative_action = 0x98,
  payload_format_invalid = 0x99,
  retain_not_supported = 0x9A,
  qos_not_supported = 0x9B,
  use_another_server = 0x9C,
  server_moved = 0x9D,
  shared_subscriptions_not_supported = 0x9E,
  connection_rate_exceeded = 0x9F,
  maximum_connect_time = 0xA0,
  subscription_identifiers_not_supported = 0xA1,
  wildcard_subscriptions_not_supported = 0xA2,
};

/// MQTT 3.1.1 CONNACK return codes (section 3.2.2.3).
enum class ConnectReturnCode : std::uint8_t {
  accepted = 0,
  unacceptable_protocol_version = 1,
  identifier_rejected = 2,
  server_unavailable = 3,
  bad_username_or_password = 4,
  not_authorized = 5,
};

struct UserProperty {
  std::string key;
  std::string value;
  bool operator==(const UserProperty&) const = default;
};

/// Every MQTT 5.0 property (section 2.2.2.2). Which ones a packet may carry is checked by the
/// codec; a 3.1.1 packet always has none.
struct Properties {
  std::optional<std::uint8_t> payload_format_indicator;            // 0x01
  std::optional<std::uint32_t> message_expiry_interval;            // 0x02
  std::optional<std::string> content_type;                         // 0x03
  std::optional<std::string> response_topic;                       // 0x08
  std::optional<Bytes> correlation_data;                           // 0x09
  std::vector<std::uint32_t> subscription_identifiers;             // 0x0B (several in PUBLISH)
  std::optional<std::uint32_t> session_expiry_interval;            // 0x11
  std::optional<std::string> assigned_client_identifier;           // 0x12
  std::optional<std::uint16_t> server_keep_alive;                  // 0x13
  std::optional<std::string> authentication_method;                // 0x15
  std::optional<Bytes> authentication_data;                        // 0x16
  std::optional<std::uint8_t> request_problem_information;         // 0x17
  std::optional<std::uint32_t> will_delay_interval;                // 0x18
  std::optional<std::uint8_t> request_response_information;        // 0x19
  std::optional<std::string> response_information;                 // 0x1A
  std::optional<std::string> server_reference;                     // 0x1C
  std::optional<std::string> reason_string;                        // 0x1F
  std::optional<std::uint16_t> receive_maximum;                    // 0x21
  std::optional<std::uint16_t> topic_alias_maximum;                // 0x22
  std::optional<std::uint16_t> topic_alias;                        // 0x23
  std::optional<std::uint8_t> maximum_qos;                         // 0x24
  std::optional<std::uint8_t> retain_available;                    // 0x25
  std::vector<UserProperty> user_properties;                       // 0x26 (repeatable, ordered)
  std::optional<std::uint32_t> maximum_packet_size;                // 0x27
  std::optional<std::uint8_t> wildcard_subscription_available;     // 0x28
  std::optional<std::uint8_t> subscription_identifiers_available;  // 0x29
  std::optional<std::uint8_t> shared_subscription_available;       // 0x2A

  bool operator==(const Properties&) const = default;
};

struct Will {
  std::string topic;
  Bytes payload;
  QoS qos = QoS::at_most_once;
  bool retain = false;
  Properties properties;  // will properties (5.0)
  bool operator==(const Will&) const = default;
};

struct Connect {
  Version version = Version::v311;
  bool clean_start = true;  // "clean session" in 3.1.1
  std::uint16_t keep_alive = 0;
  std::string client_id;
  std::optional<Will> will;
  std::optional<std::string> username;
  std::optional<Bytes> password;
  Properties properties;
  bool operator==(const Connect&) const = default;
};

struct Connack {
  bool session_present = false;
  std::uint8_t reason_code = 0;  // a ReasonCode (5.0) or a ConnectReturnCode (3.1.1)
  Properties properties;
  bool operator==(const Connack&) const = default;
};

struct Publish {
  bool dup = false;
  QoS qos = QoS::at_most_once;
  bool retain = false;
  std::string topic;            // empty when a 5.0 topic alias stands in for it
  std::uint16_t packet_id = 0;  // only for QoS 1 and 2
  Properties properties;
  Bytes payload;
  bool operator==(const Publish&) const = default;
};

/// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape.
template <PacketType Type>
struct PublishResponse {
  static constexpr PacketType type = Type;
  std::uint16_t packet_id = 0;
  ReasonCode reason_code = ReasonCode::success;
  Properties properties;
  bool operator==(const PublishResponse&) const = default;
};
using Puback = PublishResponse<PacketType::puback>;
using Pubrec = PublishResponse<PacketType::pubrec>;
using Pubrel = PublishResponse<PacketType::pubrel>;
using Pubcomp = PublishResponse<PacketType::pubcomp>;

struct SubscriptionRequest {
  std::string filter;
  QoS max_qos = QoS::at_most_once;
  bool no_local = false;             // 5.0
  bool retain_as_published = false;  // 5.0
  std::uint8_t retain_handling = 0;  // 5.0: 0 send, 1 send if new, 2 never
  bool operator==(const SubscriptionRequest&) const = default;
};

struct Subscribe {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<SubscriptionRequest> subscriptions;
  bool operator==(const Subscribe&) const = default;
};

struct Suback {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<std::uint8_t> reason_codes;  // 3.1.1: 0, 1, 2 or 0x80
  bool operator==(const Suback&) const = default;
};

struct Unsubscribe {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<std::string> filters;
  bool operator==(const Unsubscribe&) const = default;
};

struct Unsuback {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<ReasonCode> reason_codes;  // empty in 3.1.1
  bool operator==(const Unsuback&) const = default;
};

struct Pingreq {
  bool operator==(const Pingreq&) const = default;
};
struct Pingresp {
  bool operator==(const Pingresp&) const = default;
};

struct Disconnect {
  ReasonCode reason_code = ReasonCode::success;
  Properties properties;
  bool operator==(const Disconnect&) const = default;
};

struct Auth {
  ReasonCode reason_code = ReasonCode::success;
  Properties properties;
  bool operator==(const Auth&) const = default;
};

using Packet = std::variant<Connect, Connack, Publish, Puback, Pubrec, Pubrel, Pubcomp, Subscribe,
                            Suback, Unsubscribe, Unsuback, Pingreq, Pingresp, Disconnect, Auth>;

}  // namespace cs::mqtt
