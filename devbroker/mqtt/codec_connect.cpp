// CONNECT and CONNACK (section 3.1 and 3.2 of both specifications).

#include <string>

#include "devbroker/mqtt/codec_packets.h"
#include "devbroker/mqtt/properties.h"

namespace cs::mqtt::detail {
namespace {

// Connect flags (3.1.2.3).
constexpr std::uint8_t k_reserved = 0x01;
constexpr std::uint8_t k_clean_start = 0x02;
constexpr std::uint8_t k_will = 0x04;
constexpr std::uint8_t k_will_qos_shift = 3;
constexpr std::uint8_t k_will_retain = 0x20;
constexpr std::uint8_t k_password = 0x40;
constexpr std::uint8_t k_username = 0x80;

// "MQTT" as a UTF-8 string, protocol level, connect flags, keep alive.
constexpr std::size_t k_connect_header_size = 6 + 1 + 1 + 2;

// The version the protocol name and level announce (3.1.2.1, 3.1.2.2). MQTT 3.1's "MQIsdp"
// level 3 is read as 3.1.1: the packets of the two are the same on the wire.
bool read_protocol(wire::Reader& r, Connect& out) {
  const std::string_view name = r.utf8("protocol name");
  const std::uint8_t level = r.u8("protocol level");
  if (r.failed()) return false;
  if (name == "MQTT" && (level == 4 || level == 5)) {
    out.version = static_cast<Version>(level);
    return true;
  }
  if (name == "MQIsdp" && level == 3) {
    out.version = Version::v311;
    return true;
  }
  // [MQTT-3.1.2-1] a wrong name, [MQTT-3.1.2-2] an unsupported level: CONNACK 0x84 (3.1.1: 1).
  if (name != "MQTT" && name != "MQIsdp") {
    r.fail(ReasonCode::unsupported_protocol_version,
           "protocol name in CONNECT is neither MQTT nor MQIsdp");
  } else {
    r.fail(
        ReasonCode::unsupported_protocol_version,
        wire::concat({"protocol level ", std::to_string(level), " in CONNECT is not supported"}));
  }
  return false;
}

// The flag combinations both specifications forbid; each is treated as a malformed packet.
// Statement ids are 5.0's; 3.1.1 numbers the will rules two higher ([MQTT-3.1.2-13], -15).
void check_connect_flags(wire::Reader& r, std::uint8_t flags, Version version) {
  const auto will_qos = static_cast<std::uint8_t>((flags >> k_will_qos_shift) & 0x3);
  const char* problem = nullptr;
  if (flags & k_reserved) {
    problem = "reserved connect flag in CONNECT is 1";  // [MQTT-3.1.2-3]
  } else if (!(flags & k_will) && will_qos != 0) {
    problem = "will QoS in CONNECT is not 0 but the will flag is 0";  // [MQTT-3.1.2-11]
  } else if (!(flags & k_will) && (flags & k_will_retain)) {
    problem = "will retain in CONNECT is 1 but the will flag is 0";  // [MQTT-3.1.2-13]
  } else if (will_qos == 3) {
    problem = "will QoS in CONNECT is 3";  // 5.0 3.1.2.6, 3.1.1 [MQTT-3.1.2-14]
  } else if (version == Version::v311 && (flags & k_password) && !(flags & k_username)) {
    problem = "password flag in CONNECT is 1 but the user name flag is 0";  // [MQTT-3.1.2-22]
  }
  if (problem) r.fail(ReasonCode::malformed_packet, problem);
}

void read_will(wire::Reader& r, std::uint8_t flags, Version version, Will& will) {
  if (version == Version::v5) read_properties(r, PropertyContext::will, will.properties);
  will.topic.assign(r.utf8("will topic"));
  // 3.1.3.3: the will topic is a topic name, so no wildcards (4.7.1) and not empty (4.7.3).
  check_no_wildcards(r, "will topic", will.topic);
  if (will.topic.empty()) r.fail(ReasonCode::topic_name_invalid, "will topic in CONNECT is empty");
  const ByteView payload = r.binary("will payload");
  will.payload.assign(payload.begin(), payload.end());
  will.qos = static_cast<QoS>((flags >> k_will_qos_shift) & 0x3);
  will.retain = (flags & k_will_retain) != 0;
}

std::uint8_t connect_flags(const Connect& c) {
  std::uint8_t flags = c.clean_start ? k_clean_start : 0;
  if (c.will) {
    flags |= k_will |
             static_cast<std::uint8_t>(static_cast<std::uint8_t>(c.will->qos) << k_will_qos_shift);
    if (c.will->retain) flags |= k_will_retain;
  }
  if (c.password) flags |= k_password;
  if (c.username) flags |= k_username;
  return flags;
}

// CONNACK codes the receiver accepts (3.1.1 table 3.1, 5.0 3.2.2.2).
void check_connack_code(wire::Reader& r, std::uint8_t code, Version version) {
  if (version == Version::v311) {
    if (code > 5)
      r.fail(ReasonCode::protocol_error,
             wire::concat({"return code ", wire::hex(code), " is not valid in CONNACK"}));
    return;
  }
  check_code(r, "reason code", code,
             {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
              0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F});
}

// A CONNACK code in the terms of `version`. The two code sets do not overlap (3.1.1 uses 0..5,
// 5.0 uses 0 and 0x80 up), so either kind of code can be translated both ways.
std::uint8_t connack_code(std::uint8_t code, Version version) {
  if (version == Version::v5) {
    constexpr std::uint8_t k_from_311[] = {0x00, 0x84, 0x85, 0x88, 0x86, 0x87};
    return code <= 5 ? k_from_311[code] : code;
  }
  if (code <= 5) return code;
  switch (static_cast<ReasonCode>(code)) {
    case ReasonCode::unsupported_protocol_version:
      return static_cast<std::uint8_t>(ConnectReturnCode::unacceptable_protocol_version);
    case ReasonCode::client_identifier_not_valid:
      return static_cast<std::uint8_t>(ConnectReturnCode::identifier_rejected);
    case ReasonCode::bad_username_or_password:
    case ReasonCode::bad_authentication_method:
      return static_cast<std::uint8_t>(ConnectReturnCode::bad_username_or_password);
    case ReasonCode::not_authorized:
    case ReasonCode::banned:
      return static_cast<std::uint8_t>(ConnectReturnCode::not_authorized);
    default:
      return static_cast<std::uint8_t>(ConnectReturnCode::server_unavailable);
  }
}

std::uint32_t with_prefix(std::uint32_t size) {
  return static_cast<std::uint32_t>(wire::varint_size(size)) + size;
}

}  // namespace

void read(wire::Reader& r, std::uint8_t, Version, Connect& out) {
  if (!read_protocol(r, out)) return;
  const std::uint8_t flags = r.u8("connect flags");
  out.keep_alive = r.u16("keep alive");
  if (r.failed()) return;
  check_connect_flags(r, flags, out.version);
  out.clean_start = (flags & k_clean_start) != 0;
  if (out.version == Version::v5) {
    read_properties(r, PropertyContext::connect, out.properties);
    // 3.1.2.11.10: authentication data without an authentication method is a Protocol Error.
    if (out.properties.authentication_data && !out.properties.authentication_method)
      r.fail(ReasonCode::protocol_error,
             "authentication data (0x16) in CONNECT properties has no authentication method");
  }
  out.client_id.assign(r.utf8("client identifier"));
  // [MQTT-3.1.3-8] (3.1.1 only): an empty identifier needs a clean session.
  if (out.version == Version::v311 && out.client_id.empty() && !out.clean_start)
    r.fail(ReasonCode::client_identifier_not_valid,
           "client identifier in CONNECT is empty but clean session is 0");
  if (flags & k_will) read_will(r, flags, out.version, out.will.emplace());
  if (flags & k_username) out.username.emplace(r.utf8("user name"));
  if (flags & k_password) {
    const ByteView password = r.binary("password");
    out.password.emplace(password.begin(), password.end());
  }
  r.expect_end();
}

Layout layout(const Connect& c, Version version) {
  Layout l;
  std::size_t size = k_connect_header_size + wire::field_size(c.client_id.size());
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(c.properties));
    size += with_prefix(l.properties);
  }
  if (c.will) {
    if (version == Version::v5) {
      l.will_properties = wire::checked_length(properties_size(c.will->properties));
      size += with_prefix(l.will_properties);
    }
    size += wire::field_size(c.will->topic.size()) + wire::field_size(c.will->payload.size());
  }
  if (c.username) size += wire::field_size(c.username->size());
  if (c.password) size += wire::field_size(c.password->size());
  l.remaining = wire::checked_length(size);
  return l;
}

void write(const Connect& c, Version version, const Layout& l, wire::Writer& w) {
  w.utf8("MQTT");
  w.u8(static_cast<std::uint8_t>(version));
  w.u8(connect_flags(c));
  w.u16(c.keep_alive);
  if (version == Version::v5) write_properties(c.properties, l.properties, w);
  w.utf8(c.client_id);
  if (c.will) {
    if (version == Version::v5) write_properties(c.will->properties, l.will_properties, w);
    w.utf8(c.will->topic);
    w.binary(c.will->payload);
  }
  if (c.username) w.utf8(*c.username);
  if (c.password) w.binary(*c.password);
}

void read(wire::Reader& r, std::uint8_t, Version version, Connack& out) {
  const std::uint8_t acknowledge = r.u8("acknowledge flags");
  out.reason_code = r.u8(version == Version::v5 ? "reason code" : "return code");
  if (r.failed()) return;
  // 3.2.2.1: bits 7..1 of the acknowledge flags are reserved and 0.
  if (acknowledge & 0xFE)
    r.fail(ReasonCode::malformed_packet, wire::concat({"acknowledge flags ", wire::hex(acknowledge),
                                                       " in CONNACK have reserved bits set"}));
  out.session_present = (acknowledge & 0x01) != 0;
  check_connack_code(r, out.reason_code, version);
  // [MQTT-3.2.2-4] (5.0 [MQTT-3.2.2-6]): a refused connection has no session.
  if (out.session_present && out.reason_code != 0)
    r.fail(ReasonCode::protocol_error,
           "session present in CONNACK is 1 but the connection was refused");
  if (version == Version::v5) read_properties(r, PropertyContext::connack, out.properties);
  r.expect_end();
}

Layout layout(const Connack& c, Version version) {
  Layout l;
  l.remaining = 2;
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(c.properties));
    l.remaining = wire::checked_length(std::size_t{2} + with_prefix(l.properties));
  }
  return l;
}

void write(const Connack& c, Version version, const Layout& l, wire::Writer& w) {
  w.u8(c.session_present ? 0x01 : 0x00);
  w.u8(connack_code(c.reason_code, version));
  if (version == Version::v5) write_properties(c.properties, l.properties, w);
}

}  // namespace cs::mqtt::detail
