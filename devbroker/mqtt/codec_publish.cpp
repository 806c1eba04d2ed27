// PUBLISH and its acknowledgements PUBACK, PUBREC, PUBREL, PUBCOMP (sections 3.3 to 3.7).

#include "devbroker/mqtt/codec_packets.h"
#include "devbroker/mqtt/properties.h"

namespace cs::mqtt::detail {
namespace {

constexpr std::uint8_t k_dup = 0x08;
constexpr std::uint8_t k_retain = 0x01;

std::uint32_t with_prefix(std::uint32_t size) {
  return static_cast<std::uint32_t>(wire::varint_size(size)) + size;
}

// Reason codes each acknowledgement may carry (5.0 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1).
constexpr std::initializer_list<std::uint8_t> k_puback_codes = {0x00, 0x10, 0x80, 0x83, 0x87,
                                                                0x90, 0x91, 0x97, 0x99};
constexpr std::initializer_list<std::uint8_t> k_pubrel_codes = {0x00, 0x92};

template <PacketType Type>
constexpr PropertyContext context_of() {
  switch (Type) {
    case PacketType::puback:
      return PropertyContext::puback;
    case PacketType::pubrec:
      return PropertyContext::pubrec;
    case PacketType::pubrel:
      return PropertyContext::pubrel;
    default:
      return PropertyContext::pubcomp;
  }
}

// 5.0 allows the reason code and property length to be left out: a remaining length of 2 means
// success and no properties, 3 a reason code and no properties (3.4.2.1, 3.4.2.2.1).
template <PacketType Type>
void read_response(wire::Reader& r, Version version, PublishResponse<Type>& out) {
  out.packet_id = r.u16("packet identifier");
  check_packet_id(r, out.packet_id);
  if (version == Version::v5 && !r.at_end()) {
    const std::uint8_t code = r.u8("reason code");
    const bool acknowledges_publish = Type == PacketType::puback || Type == PacketType::pubrec;
    check_code(r, "reason code", code, acknowledges_publish ? k_puback_codes : k_pubrel_codes);
    out.reason_code = static_cast<ReasonCode>(code);
    if (!r.at_end()) read_properties(r, context_of<Type>(), out.properties);
  }
  r.expect_end();
}

template <PacketType Type>
Layout response_layout(const PublishResponse<Type>& p, Version version) {
  Layout l;
  l.remaining = 2;
  if (version == Version::v311) return l;
  l.properties = wire::checked_length(properties_size(p.properties));
  if (l.properties != 0) {
    l.remaining = wire::checked_length(std::size_t{3} + with_prefix(l.properties));
  } else if (p.reason_code != ReasonCode::success) {
    l.remaining = 3;
  }
  return l;
}

// The layout chose the short form; the remaining length says which.
template <PacketType Type>
void write_response(const PublishResponse<Type>& p, const Layout& l, wire::Writer& w) {
  w.u16(p.packet_id);
  if (l.remaining >= 3) w.u8(static_cast<std::uint8_t>(p.reason_code));
  if (l.remaining >= 4) write_properties(p.properties, l.properties, w);
}

}  // namespace

void read(wire::Reader& r, std::uint8_t flags, Version version, Publish& out) {
  const auto qos = static_cast<std::uint8_t>((flags >> 1) & 0x3);
  out.dup = (flags & k_dup) != 0;
  out.retain = (flags & k_retain) != 0;
  // [MQTT-3.3.1-4] both QoS bits set; [MQTT-3.3.1-2] DUP set on a QoS 0 message.
  if (qos == 3) return r.fail(ReasonCode::malformed_packet, "QoS in PUBLISH is 3");
  if (out.dup && qos == 0)
    return r.fail(ReasonCode::malformed_packet, "DUP in PUBLISH is 1 but QoS is 0");
  out.qos = static_cast<QoS>(qos);
  out.topic.assign(r.utf8("topic name"));
  check_no_wildcards(r, "topic name", out.topic);
  if (qos != 0) {
    out.packet_id = r.u16("packet identifier");
    check_packet_id(r, out.packet_id);
  }
  if (version == Version::v5) read_properties(r, PropertyContext::publish, out.properties);
  // 3.1.1 [MQTT-4.7.3-1]: topic names are not empty; 5.0 3.3.2.1: unless a topic alias is set.
  if (out.topic.empty()) {
    if (version == Version::v311)
      r.fail(ReasonCode::topic_name_invalid, "topic name in PUBLISH is empty");
    else if (!out.properties.topic_alias)
      r.fail(ReasonCode::protocol_error,
             "topic name in PUBLISH is empty and there is no topic alias");
  }
  const ByteView payload = r.rest();
  out.payload.assign(payload.begin(), payload.end());
}

// A Publish is encoded through its view, so both paths write the same bytes.
Layout layout(const Publish& p, Version version) {
  return layout(view_of(p), version);
}

void write(const Publish& p, Version version, const Layout& l, wire::Writer& w) {
  write(view_of(p), version, l, w);
}

Layout layout(const PublishView& p, Version version) {
  static const Properties k_none;
  Layout l;
  std::size_t size = wire::field_size(p.topic.size()) + p.payload.size();
  if (p.qos != QoS::at_most_once) size += 2;
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(p.properties ? *p.properties : k_none));
    size += with_prefix(l.properties);
  }
  l.remaining = wire::checked_length(size);
  return l;
}

void write(const PublishView& p, Version version, const Layout& l, wire::Writer& w) {
  static const Properties k_none;
  w.utf8(p.topic);
  if (p.qos != QoS::at_most_once) w.u16(p.packet_id);
  if (version == Version::v5)
    write_properties(p.properties ? *p.properties : k_none, l.properties, w);
  w.raw(p.payload);
}

void read(wire::Reader& r, std::uint8_t, Version version, Puback& out) {
  read_response(r, version, out);
}
void read(wire::Reader& r, std::uint8_t, Version version, Pubrec& out) {
  read_response(r, version, out);
}
void read(wire::Reader& r, std::uint8_t, Version version, Pubrel& out) {
  read_response(r, version, out);
}
void read(wire::Reader& r, std::uint8_t, Version version, Pubcomp& out) {
  read_response(r, version, out);
}

Layout layout(const Puback& p, Version version) {
  return response_layout(p, version);
}
Layout layout(const Pubrec& p, Version version) {
  return response_layout(p, version);
}
Layout layout(const Pubrel& p, Version version) {
  return response_layout(p, version);
}
Layout layout(const Pubcomp& p, Version version) {
  return response_layout(p, version);
}

void write(const Puback& p, Version, const Layout& l, wire::Writer& w) {
  write_response(p, l, w);
}
void write(const Pubrec& p, Version, const Layout& l, wire::Writer& w) {
  write_response(p, l, w);
}
void write(const Pubrel& p, Version, const Layout& l, wire::Writer& w) {
  write_response(p, l, w);
}
void write(const Pubcomp& p, Version, const Layout& l, wire::Writer& w) {
  write_response(p, l, w);
}

}  // namespace cs::mqtt::detail
