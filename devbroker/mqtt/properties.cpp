#include "devbroker/mqtt/properties.h"

#include <array>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "devbroker/mqtt/codec_packets.h"

namespace cs::mqtt {
namespace {

// Property identifiers (MQTT 5.0 section 2.2.2.2).
constexpr std::uint8_t k_payload_format_indicator = 0x01;
constexpr std::uint8_t k_message_expiry_interval = 0x02;
constexpr std::uint8_t k_content_type = 0x03;
constexpr std::uint8_t k_response_topic = 0x08;
constexpr std::uint8_t k_correlation_data = 0x09;
constexpr std::uint8_t k_subscription_identifier = 0x0B;
constexpr std::uint8_t k_session_expiry_interval = 0x11;
constexpr std::uint8_t k_assigned_client_identifier = 0x12;
constexpr std::uint8_t k_server_keep_alive = 0x13;
constexpr std::uint8_t k_authentication_method = 0x15;
constexpr std::uint8_t k_authentication_data = 0x16;
constexpr std::uint8_t k_request_problem_information = 0x17;
constexpr std::uint8_t k_will_delay_interval = 0x18;
constexpr std::uint8_t k_request_response_information = 0x19;
constexpr std::uint8_t k_response_information = 0x1A;
constexpr std::uint8_t k_server_reference = 0x1C;
constexpr std::uint8_t k_reason_string = 0x1F;
constexpr std::uint8_t k_receive_maximum = 0x21;
constexpr std::uint8_t k_topic_alias_maximum = 0x22;
constexpr std::uint8_t k_topic_alias = 0x23;
constexpr std::uint8_t k_maximum_qos = 0x24;
constexpr std::uint8_t k_retain_available = 0x25;
constexpr std::uint8_t k_user_property = 0x26;
constexpr std::uint8_t k_maximum_packet_size = 0x27;
constexpr std::uint8_t k_wildcard_subscription_available = 0x28;
constexpr std::uint8_t k_subscription_identifiers_available = 0x29;
constexpr std::uint8_t k_shared_subscription_available = 0x2A;
constexpr std::uint8_t k_last_property = k_shared_subscription_available;

// Names used in error messages, indexed by identifier; empty for identifiers that do not exist.
constexpr std::array<std::string_view, k_last_property + 1> k_names = [] {
  std::array<std::string_view, k_last_property + 1> names{};
  names[k_payload_format_indicator] = "payload format indicator (0x01)";
  names[k_message_expiry_interval] = "message expiry interval (0x02)";
  names[k_content_type] = "content type (0x03)";
  names[k_response_topic] = "response topic (0x08)";
  names[k_correlation_data] = "correlation data (0x09)";
  names[k_subscription_identifier] = "subscription identifier (0x0B)";
  names[k_session_expiry_interval] = "session expiry interval (0x11)";
  names[k_assigned_client_identifier] = "assigned client identifier (0x12)";
  names[k_server_keep_alive] = "server keep alive (0x13)";
  names[k_authentication_method] = "authentication method (0x15)";
  names[k_authentication_data] = "authentication data (0x16)";
  names[k_request_problem_information] = "request problem information (0x17)";
  names[k_will_delay_interval] = "will delay interval (0x18)";
  names[k_request_response_information] = "request response information (0x19)";
  names[k_response_information] = "response information (0x1A)";
  names[k_server_reference] = "server reference (0x1C)";
  names[k_reason_string] = "reason string (0x1F)";
  names[k_receive_maximum] = "receive maximum (0x21)";
  names[k_topic_alias_maximum] = "topic alias maximum (0x22)";
  names[k_topic_alias] = "topic alias (0x23)";
  names[k_maximum_qos] = "maximum QoS (0x24)";
  names[k_retain_available] = "retain available (0x25)";
  names[k_user_property] = "user property (0x26)";
  names[k_maximum_packet_size] = "maximum packet size (0x27)";
  names[k_wildcard_subscription_available] = "wildcard subscription available (0x28)";
  names[k_subscription_identifiers_available] = "subscription identifiers available (0x29)";
  names[k_shared_subscription_available] = "shared subscription available (0x2A)";
  return names;
}();

constexpr std::uint64_t mask(std::initializer_list<std::uint8_t> ids) {
  std::uint64_t bits = 0;
  for (std::uint8_t id : ids) bits |= std::uint64_t{1} << id;
  return bits;
}

constexpr std::uint64_t k_ack_properties = mask({k_reason_string, k_user_property});

// Which properties each context allows, indexed by PropertyContext (table 2.2.2.2).
constexpr std::array<std::uint64_t, 14> k_allowed = {
    // connect
    mask({k_session_expiry_interval, k_authentication_method, k_authentication_data,
          k_request_problem_information, k_request_response_information, k_receive_maximum,
          k_topic_alias_maximum, k_user_property, k_maximum_packet_size}),
    // will
    mask({k_payload_format_indicator, k_message_expiry_interval, k_content_type, k_response_topic,
          k_correlation_data, k_will_delay_interval, k_user_property}),
    // connack
    mask({k_session_expiry_interval, k_assigned_client_identifier, k_server_keep_alive,
          k_authentication_method, k_authentication_data, k_response_information,
          k_server_reference, k_reason_string, k_receive_maximum, k_topic_alias_maximum,
          k_maximum_qos, k_retain_available, k_user_property, k_maximum_packet_size,
          k_wildcard_subscription_available, k_subscription_identifiers_available,
          k_shared_subscription_available}),
    // publish
    mask({k_payload_format_indicator, k_message_expiry_interval, k_content_type, k_response_topic,
          k_correlation_data, k_subscription_identifier, k_topic_alias, k_user_property}),
    k_ack_properties,                                    // puback
    k_ack_properties,                                    // pubrec
    k_ack_properties,                                    // pubrel
    k_ack_properties,                                    // pubcomp
    mask({k_subscription_identifier, k_user_property}),  // subscribe
    k_ack_properties,                                    // suback
    mask({k_user_property}),                             // unsubscribe
    k_ack_properties,                                    // unsuback
    // disconnect
    mask({k_session_expiry_interval, k_server_reference, k_reason_string, k_user_property}),
    // auth
    mask({k_authentication_method, k_authentication_data, k_reason_string, k_user_property}),
};

constexpr std::array<std::string_view, 14> k_context_names = {
    "CONNECT properties",    "CONNECT will properties", "CONNACK properties",
    "PUBLISH properties",    "PUBACK properties",       "PUBREC properties",
    "PUBREL properties",     "PUBCOMP properties",      "SUBSCRIBE properties",
    "SUBACK properties",     "UNSUBSCRIBE properties",  "UNSUBACK properties",
    "DISCONNECT properties", "AUTH properties",
};

std::string_view name_of(std::uint8_t id) {
  return k_names[id];
}

// Reads a Byte property that holds 0 or 1. The specification makes other values a Protocol
// Error for the CONNECT and CONNACK ones (3.1.2.11, 3.2.2.3); the payload format indicator
// (3.3.2.3.2) defines no other value either, so it is treated the same.
void read_flag(wire::Reader& r, std::uint8_t id, std::optional<std::uint8_t>& out) {
  const std::uint8_t value = r.u8(name_of(id));
  if (value > 1)
    r.fail(ReasonCode::protocol_error,
           wire::concat({name_of(id), " in ", r.subject(), " is ", std::to_string(value),
                         "; it must be 0 or 1"}));
  out = value;
}

void fail_if_zero(wire::Reader& r, std::uint8_t id, std::uint32_t value, ReasonCode reason) {
  if (value == 0) r.fail(reason, wire::concat({name_of(id), " in ", r.subject(), " is 0"}));
}

void read_string(wire::Reader& r, std::uint8_t id, std::optional<std::string>& out) {
  out.emplace(r.utf8(name_of(id)));
}

void read_binary(wire::Reader& r, std::uint8_t id, std::optional<Bytes>& out) {
  const ByteView bytes = r.binary(name_of(id));
  out.emplace(bytes.begin(), bytes.end());
}

void read_response_topic(wire::Reader& r, Properties& out) {
  read_string(r, k_response_topic, out.response_topic);
  // [MQTT-3.3.2-14] the Response Topic MUST NOT contain wildcard characters.
  detail::check_no_wildcards(r, name_of(k_response_topic), *out.response_topic);
}

// One case per property: a table, not logic, hence its length.
void read_value(wire::Reader& r, std::uint8_t id, Properties& out) {
  const std::string_view name = name_of(id);
  switch (id) {
    case k_payload_format_indicator:
      return read_flag(r, id, out.payload_format_indicator);
    case k_message_expiry_interval:
      out.message_expiry_interval = r.u32(name);
      return;
    case k_content_type:
      return read_string(r, id, out.content_type);
    case k_response_topic:
      return read_response_topic(r, out);
    case k_correlation_data:
      return read_binary(r, id, out.correlation_data);
    case k_subscription_identifier: {
      const std::uint32_t value = r.varint(name);
      fail_if_zero(r, id, value, ReasonCode::protocol_error);
      out.subscription_identifiers.push_back(value);
      return;
    }
    case k_session_expiry_interval:
      out.session_expiry_interval = r.u32(name);
      return;
    case k_assigned_client_identifier:
      return read_string(r, id, out.assigned_client_identifier);
    case k_server_keep_alive:
      out.server_keep_alive = r.u16(name);
      return;
    case k_authentication_method:
      return read_string(r, id, out.authentication_method);
    case k_authentication_data:
      return read_binary(r, id, out.authentication_data);
    case k_request_problem_information:
      return read_flag(r, id, out.request_problem_information);
    case k_will_delay_interval:
      out.will_delay_interval = r.u32(name);
      return;
    case k_request_response_information:
      return read_flag(r, id, out.request_response_information);
    case k_response_information:
      return read_string(r, id, out.response_information);
    case k_server_reference:
      return read_string(r, id, out.server_reference);
    case k_reason_string:
      return read_string(r, id, out.reason_string);
    case k_receive_maximum:
      out.receive_maximum = r.u16(name);
      return fail_if_zero(r, id, *out.receive_maximum, ReasonCode::protocol_error);
    case k_topic_alias_maximum:
      out.topic_alias_maximum = r.u16(name);
      return;
    case k_topic_alias:
      // [MQTT-3.3.2-8] a Topic Alias of 0 is not permitted.
      out.topic_alias = r.u16(name);
      return fail_if_zero(r, id, *out.topic_alias, ReasonCode::topic_alias_invalid);
    case k_maximum_qos:
      return read_flag(r, id, out.maximum_qos);
    case k_retain_available:
      return read_flag(r, id, out.retain_available);
    case k_user_property: {
      // Read both strings before storing: argument evaluation order is unspecified.
      std::string key(r.utf8(name));
      std::string value(r.utf8(name));
      out.user_properties.push_back({std::move(key), std::move(value)});
      return;
    }
    case k_maximum_packet_size:
      out.maximum_packet_size = r.u32(name);
      return fail_if_zero(r, id, *out.maximum_packet_size, ReasonCode::protocol_error);
    case k_wildcard_subscription_available:
      return read_flag(r, id, out.wildcard_subscription_available);
    case k_subscription_identifiers_available:
      return read_flag(r, id, out.subscription_identifiers_available);
    case k_shared_subscription_available:
      return read_flag(r, id, out.shared_subscription_available);
    default:
      return;  // unreachable: check_identifier let only known identifiers through
  }
}

// Checks that `id` exists, is allowed in `context` and is not a forbidden repeat; returns false
// after recording the error in `r`.
bool check_identifier(wire::Reader& r, std::uint32_t id, PropertyContext context,
                      std::uint64_t& seen) {
  if (id > k_last_property || name_of(static_cast<std::uint8_t>(id)).empty()) {
    const std::string number =
        id <= 0xFF ? wire::hex(static_cast<std::uint8_t>(id)) : std::to_string(id);
    r.fail(ReasonCode::malformed_packet,
           wire::concat({"unknown property identifier ", number, " in ", r.subject()}));
    return false;
  }
  const std::string_view name = name_of(static_cast<std::uint8_t>(id));
  const std::uint64_t bit = std::uint64_t{1} << id;
  // 2.2.2.2: an identifier not valid for the packet type makes the packet malformed.
  if ((k_allowed[static_cast<std::size_t>(context)] & bit) == 0) {
    r.fail(ReasonCode::malformed_packet, wire::concat({name, " is not allowed in ", r.subject()}));
    return false;
  }
  // Only user properties repeat, and subscription identifiers in PUBLISH (3.3.2.3.8).
  const bool repeatable = id == k_user_property ||
                          (id == k_subscription_identifier && context == PropertyContext::publish);
  if ((seen & bit) != 0 && !repeatable) {
    r.fail(ReasonCode::protocol_error,
           wire::concat({name, " appears more than once in ", r.subject()}));
    return false;
  }
  seen |= bit;
  return true;
}

std::size_t string_size(const std::optional<std::string>& text) {
  return text ? 1 + wire::field_size(text->size()) : 0;
}

std::size_t binary_size(const std::optional<Bytes>& bytes) {
  return bytes ? 1 + wire::field_size(bytes->size()) : 0;
}

template <class T>
std::size_t integer_size(const std::optional<T>& value) {
  return value ? 1 + sizeof(T) : 0;
}

void write_string(wire::Writer& w, std::uint8_t id, const std::optional<std::string>& text) {
  if (!text) return;
  w.u8(id);
  w.utf8(*text);
}

void write_binary(wire::Writer& w, std::uint8_t id, const std::optional<Bytes>& bytes) {
  if (!bytes) return;
  w.u8(id);
  w.binary(*bytes);
}

void write_u8(wire::Writer& w, std::uint8_t id, const std::optional<std::uint8_t>& value) {
  if (!value) return;
  w.u8(id);
  w.u8(*value);
}

void write_u16(wire::Writer& w, std::uint8_t id, const std::optional<std::uint16_t>& value) {
  if (!value) return;
  w.u8(id);
  w.u16(*value);
}

void write_u32(wire::Writer& w, std::uint8_t id, const std::optional<std::uint32_t>& value) {
  if (!value) return;
  w.u8(id);
  w.u32(*value);
}

}  // namespace

void read_properties(wire::Reader& reader, PropertyContext context, Properties& out) {
  const std::uint32_t length = reader.varint("property length");
  const ByteView bytes = reader.take(length, "property list");
  if (bytes.empty()) return;
  wire::Reader r(bytes, k_context_names[static_cast<std::size_t>(context)]);
  std::uint64_t seen = 0;
  while (!r.at_end()) {
    // Identifiers are variable byte integers (2.2.2.2), though every one defined fits in one.
    const std::uint32_t id = r.varint("property identifier");
    if (r.failed() || !check_identifier(r, id, context, seen)) break;
    read_value(r, static_cast<std::uint8_t>(id), out);
  }
  if (r.failed()) reader.fail(r.take_error());
}

std::size_t properties_size(const Properties& p) {
  std::size_t size = integer_size(p.payload_format_indicator) +
                     integer_size(p.message_expiry_interval) + string_size(p.content_type) +
                     string_size(p.response_topic) + binary_size(p.correlation_data);
  for (std::uint32_t id : p.subscription_identifiers) {
    if (id == 0 || id > wire::k_max_varint)
      throw std::invalid_argument("a subscription identifier must be 1..268435455");
    size += 1 + wire::varint_size(id);
  }
  size += integer_size(p.session_expiry_interval) + string_size(p.assigned_client_identifier) +
          integer_size(p.server_keep_alive) + string_size(p.authentication_method) +
          binary_size(p.authentication_data) + integer_size(p.request_problem_information) +
          integer_size(p.will_delay_interval) + integer_size(p.request_response_information) +
          string_size(p.response_information) + string_size(p.server_reference) +
          string_size(p.reason_string) + integer_size(p.receive_maximum) +
          integer_size(p.topic_alias_maximum) + integer_size(p.topic_alias) +
          integer_size(p.maximum_qos) + integer_size(p.retain_available);
  for (const UserProperty& u : p.user_properties)
    size += 1 + wire::field_size(u.key.size()) + wire::field_size(u.value.size());
  size += integer_size(p.maximum_packet_size) + integer_size(p.wildcard_subscription_available) +
          integer_size(p.subscription_identifiers_available) +
          integer_size(p.shared_subscription_available);
  return size;
}

void write_properties(const Properties& p, std::uint32_t size, wire::Writer& w) {
  w.varint(size);
  if (size == 0) return;
  write_u8(w, k_payload_format_indicator, p.payload_format_indicator);
  write_u32(w, k_message_expiry_interval, p.message_expiry_interval);
  write_string(w, k_content_type, p.content_type);
  write_string(w, k_response_topic, p.response_topic);
  write_binary(w, k_correlation_data, p.correlation_data);
  for (std::uint32_t id : p.subscription_identifiers) {
    w.u8(k_subscription_identifier);
    w.varint(id);
  }
  write_u32(w, k_session_expiry_interval, p.session_expiry_interval);
  write_string(w, k_assigned_client_identifier, p.assigned_client_identifier);
  write_u16(w, k_server_keep_alive, p.server_keep_alive);
  write_string(w, k_authentication_method, p.authentication_method);
  write_binary(w, k_authentication_data, p.authentication_data);
  write_u8(w, k_request_problem_information, p.request_problem_information);
  write_u32(w, k_will_delay_interval, p.will_delay_interval);
  write_u8(w, k_request_response_information, p.request_response_information);
  write_string(w, k_response_information, p.response_information);
  write_string(w, k_server_reference, p.server_reference);
  write_string(w, k_reason_string, p.reason_string);
  write_u16(w, k_receive_maximum, p.receive_maximum);
  write_u16(w, k_topic_alias_maximum, p.topic_alias_maximum);
  write_u16(w, k_topic_alias, p.topic_alias);
  write_u8(w, k_maximum_qos, p.maximum_qos);
  write_u8(w, k_retain_available, p.retain_available);
  for (const UserProperty& u : p.user_properties) {
    w.u8(k_user_property);
    w.utf8(u.key);
    w.utf8(u.value);
  }
  write_u32(w, k_maximum_packet_size, p.maximum_packet_size);
  write_u8(w, k_wildcard_subscription_available, p.wildcard_subscription_available);
  write_u8(w, k_subscription_identifiers_available, p.subscription_identifiers_available);
  write_u8(w, k_shared_subscription_available, p.shared_subscription_available);
}

}  // namespace cs::mqtt
