// PINGREQ, PINGRESP, DISCONNECT and AUTH (sections 3.12 to 3.15).

#include "devbroker/mqtt/codec_packets.h"
#include "devbroker/mqtt/properties.h"

namespace cs::mqtt::detail {
namespace {

// 5.0 3.14.2.1.
constexpr std::initializer_list<std::uint8_t> k_disconnect_codes = {
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
// 5.0 3.15.2.1.
constexpr std::initializer_list<std::uint8_t> k_auth_codes = {0x00, 0x18, 0x19};

// DISCONNECT and AUTH: an empty body means success without properties, a body of one byte a
// reason code without properties (3.14.2.1, 3.14.2.2.1, 3.15.2.1).
void read_reason_and_properties(wire::Reader& r, PropertyContext context,
                                std::initializer_list<std::uint8_t> allowed, ReasonCode& reason,
                                Properties& properties) {
  if (r.at_end()) return;
  const std::uint8_t code = r.u8("reason code");
  check_code(r, "reason code", code, allowed);
  reason = static_cast<ReasonCode>(code);
  if (!r.at_end()) read_properties(r, context, properties);
  r.expect_end();
}

void write_reason_and_properties(ReasonCode reason, const Properties& properties, const Layout& l,
                                 wire::Writer& w) {
  if (l.remaining >= 1) w.u8(static_cast<std::uint8_t>(reason));
  if (l.remaining >= 2) write_properties(properties, l.properties, w);
}

}  // namespace

void read(wire::Reader& r, std::uint8_t, Version, Pingreq&) {
  r.expect_end();
}
void read(wire::Reader& r, std::uint8_t, Version, Pingresp&) {
  r.expect_end();
}
Layout layout(const Pingreq&, Version) {
  return {};
}
Layout layout(const Pingresp&, Version) {
  return {};
}
void write(const Pingreq&, Version, const Layout&, wire::Writer&) {}
void write(const Pingresp&, Version, const Layout&, wire::Writer&) {}

void read(wire::Reader& r, std::uint8_t, Version version, Disconnect& out) {
  if (version == Version::v311) return r.expect_end();
  read_reason_and_properties(r, PropertyContext::disconnect, k_disconnect_codes, out.reason_code,
                             out.properties);
}

Layout layout(const Disconnect& p, Version version) {
  Layout l;
  if (version == Version::v311) return l;
  l.properties = wire::checked_length(properties_size(p.properties));
  if (l.properties != 0) {
    l.remaining = wire::checked_length(1 + wire::varint_size(l.properties) + l.properties);
  } else if (p.reason_code != ReasonCode::success) {
    l.remaining = 1;
  }
  return l;
}

void write(const Disconnect& p, Version, const Layout& l, wire::Writer& w) {
  write_reason_and_properties(p.reason_code, p.properties, l, w);
}

void read(wire::Reader& r, std::uint8_t, Version version, Auth& out) {
  if (version == Version::v311)
    return r.fail(ReasonCode::malformed_packet, "AUTH does not exist in MQTT 3.1.1");
  read_reason_and_properties(r, PropertyContext::auth, k_auth_codes, out.reason_code,
                             out.properties);
}

// 3.15.2.1 only names the empty form, so a reason code always comes with a property length.
Layout layout(const Auth& p, Version) {
  Layout l;
  l.properties = wire::checked_length(properties_size(p.properties));
  if (l.properties != 0 || p.reason_code != ReasonCode::success)
    l.remaining = wire::checked_length(1 + wire::varint_size(l.properties) + l.properties);
  return l;
}

void write(const Auth& p, Version, const Layout& l, wire::Writer& w) {
  write_reason_and_properties(p.reason_code, p.properties, l, w);
}

}  // namespace cs::mqtt::detail
