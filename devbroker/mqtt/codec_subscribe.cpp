// SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (sections 3.8 to 3.11). Topic filter syntax is
// not checked here: a bad filter fails one subscription (SUBACK 0x8F), not the packet.

#include <string>

#include "devbroker/mqtt/codec_packets.h"
#include "devbroker/mqtt/properties.h"

namespace cs::mqtt::detail {
namespace {

// Subscription options (5.0 3.8.3.1; 3.1.1 has only the QoS bits).
constexpr std::uint8_t k_qos_mask = 0x03;
constexpr std::uint8_t k_no_local = 0x04;
constexpr std::uint8_t k_retain_as_published = 0x08;
constexpr std::uint8_t k_retain_handling_shift = 4;

constexpr std::initializer_list<std::uint8_t> k_suback_311_codes = {0x00, 0x01, 0x02, 0x80};
constexpr std::initializer_list<std::uint8_t> k_suback_codes = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87,
                                                                0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
constexpr std::initializer_list<std::uint8_t> k_unsuback_codes = {0x00, 0x11, 0x80, 0x83,
                                                                  0x87, 0x8F, 0x91};

std::uint32_t with_prefix(std::uint32_t size) {
  return static_cast<std::uint32_t>(wire::varint_size(size)) + size;
}

void options_error(wire::Reader& r, ReasonCode reason, std::string_view problem) {
  r.fail(reason, wire::concat({"subscription options in SUBSCRIBE ", problem}));
}

void read_options(wire::Reader& r, std::uint8_t options, Version version,
                  SubscriptionRequest& out) {
  const auto qos = static_cast<std::uint8_t>(options & k_qos_mask);
  const auto retain_handling = static_cast<std::uint8_t>(options >> k_retain_handling_shift & 0x3);
  if (version == Version::v311) {
    // [MQTT-3-8.3-4]: reserved bits or QoS 3 make the packet malformed.
    if (options & 0xFC)
      return options_error(r, ReasonCode::malformed_packet, "have reserved bits set");
    if (qos == 3) return options_error(r, ReasonCode::malformed_packet, "ask for QoS 3");
  } else {
    // [MQTT-3.8.3-5] reserved bits; 3.8.3.1: QoS 3 and retain handling 3 are Protocol Errors.
    if (options & 0xC0)
      return options_error(r, ReasonCode::malformed_packet, "have reserved bits set");
    if (qos == 3) return options_error(r, ReasonCode::protocol_error, "ask for QoS 3");
    if (retain_handling == 3)
      return options_error(r, ReasonCode::protocol_error, "have retain handling 3");
    // [MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error.
    if ((options & k_no_local) && out.filter.starts_with("$share/"))
      return options_error(r, ReasonCode::protocol_error, "set no local on a shared subscription");
    out.no_local = (options & k_no_local) != 0;
    out.retain_as_published = (options & k_retain_as_published) != 0;
    out.retain_handling = retain_handling;
  }
  out.max_qos = static_cast<QoS>(qos);
}

std::uint8_t options_byte(const SubscriptionRequest& s, Version version) {
  auto byte = static_cast<std::uint8_t>(s.max_qos);
  if (version == Version::v5) {
    if (s.no_local) byte |= k_no_local;
    if (s.retain_as_published) byte |= k_retain_as_published;
    byte |= static_cast<std::uint8_t>((s.retain_handling & 0x3) << k_retain_handling_shift);
  }
  return byte;
}

// SUBACK, UNSUBACK: a packet identifier, 5.0 properties, then one code per filter.
void read_codes(wire::Reader& r, Version version, std::initializer_list<std::uint8_t> allowed,
                std::vector<std::uint8_t>& out) {
  const ByteView codes = r.rest();
  if (codes.empty())
    r.fail(ReasonCode::protocol_error, wire::concat({r.subject(), " has no reason codes"}));
  for (std::uint8_t code : codes)
    check_code(r, version == Version::v5 ? "reason code" : "return code", code, allowed);
  out.assign(codes.begin(), codes.end());
}

}  // namespace

void read(wire::Reader& r, std::uint8_t, Version version, Subscribe& out) {
  out.packet_id = r.u16("packet identifier");
  check_packet_id(r, out.packet_id);
  if (version == Version::v5) read_properties(r, PropertyContext::subscribe, out.properties);
  while (!r.at_end()) {
    SubscriptionRequest& s = out.subscriptions.emplace_back();
    s.filter.assign(r.utf8("topic filter"));
    const std::uint8_t options = r.u8("subscription options");
    if (r.failed()) break;
    read_options(r, options, version, s);
  }
  // [MQTT-3.8.3-3] (5.0 [MQTT-3.8.3-2]): at least one filter.
  if (out.subscriptions.empty())
    r.fail(ReasonCode::protocol_error, "SUBSCRIBE has no topic filters");
}

Layout layout(const Subscribe& p, Version version) {
  Layout l;
  std::size_t size = 2;
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(p.properties));
    size += with_prefix(l.properties);
  }
  for (const SubscriptionRequest& s : p.subscriptions)
    size += wire::field_size(s.filter.size()) + 1;
  l.remaining = wire::checked_length(size);
  return l;
}

void write(const Subscribe& p, Version version, const Layout& l, wire::Writer& w) {
  w.u16(p.packet_id);
  if (version == Version::v5) write_properties(p.properties, l.properties, w);
  for (const SubscriptionRequest& s : p.subscriptions) {
    w.utf8(s.filter);
    w.u8(options_byte(s, version));
  }
}

void read(wire::Reader& r, std::uint8_t, Version version, Suback& out) {
  out.packet_id = r.u16("packet identifier");
  check_packet_id(r, out.packet_id);
  if (version == Version::v5) read_properties(r, PropertyContext::suback, out.properties);
  read_codes(r, version, version == Version::v5 ? k_suback_codes : k_suback_311_codes,
             out.reason_codes);
}

Layout layout(const Suback& p, Version version) {
  Layout l;
  std::size_t size = 2 + p.reason_codes.size();
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(p.properties));
    size += with_prefix(l.properties);
  }
  l.remaining = wire::checked_length(size);
  return l;
}

void write(const Suback& p, Version version, const Layout& l, wire::Writer& w) {
  w.u16(p.packet_id);
  if (version == Version::v5) {
    write_properties(p.properties, l.properties, w);
    w.raw(p.reason_codes);
    return;
  }
  // 3.1.1 knows one failure code, 0x80.
  for (std::uint8_t code : p.reason_codes) w.u8(code >= 0x80 ? 0x80 : code);
}

void read(wire::Reader& r, std::uint8_t, Version version, Unsubscribe& out) {
  out.packet_id = r.u16("packet identifier");
  check_packet_id(r, out.packet_id);
  if (version == Version::v5) read_properties(r, PropertyContext::unsubscribe, out.properties);
  while (!r.at_end()) out.filters.emplace_back(r.utf8("topic filter"));
  // [MQTT-3.10.3-2]: at least one filter.
  if (out.filters.empty()) r.fail(ReasonCode::protocol_error, "UNSUBSCRIBE has no topic filters");
}

Layout layout(const Unsubscribe& p, Version version) {
  Layout l;
  std::size_t size = 2;
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(p.properties));
    size += with_prefix(l.properties);
  }
  for (const std::string& filter : p.filters) size += wire::field_size(filter.size());
  l.remaining = wire::checked_length(size);
  return l;
}

void write(const Unsubscribe& p, Version version, const Layout& l, wire::Writer& w) {
  w.u16(p.packet_id);
  if (version == Version::v5) write_properties(p.properties, l.properties, w);
  for (const std::string& filter : p.filters) w.utf8(filter);
}

void read(wire::Reader& r, std::uint8_t, Version version, Unsuback& out) {
  out.packet_id = r.u16("packet identifier");
  check_packet_id(r, out.packet_id);
  if (version == Version::v311) return r.expect_end();  // 3.1.1's UNSUBACK has no payload
  read_properties(r, PropertyContext::unsuback, out.properties);
  std::vector<std::uint8_t> codes;
  read_codes(r, version, k_unsuback_codes, codes);
  out.reason_codes.reserve(codes.size());
  for (std::uint8_t code : codes) out.reason_codes.push_back(static_cast<ReasonCode>(code));
}

Layout layout(const Unsuback& p, Version version) {
  Layout l;
  l.remaining = 2;
  if (version == Version::v5) {
    l.properties = wire::checked_length(properties_size(p.properties));
    l.remaining = wire::checked_length(2 + with_prefix(l.properties) + p.reason_codes.size());
  }
  return l;
}

void write(const Unsuback& p, Version version, const Layout& l, wire::Writer& w) {
  w.u16(p.packet_id);
  if (version == Version::v311) return;
  write_properties(p.properties, l.properties, w);
  for (ReasonCode code : p.reason_codes) w.u8(static_cast<std::uint8_t>(code));
}

}  // namespace cs::mqtt::detail
