#pragma once
// The per-packet halves of the codec: codec.cpp frames and dispatches, and one codec_*.cpp per
// family of packets reads, sizes and writes bodies. Internal to the codec.

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "devbroker/mqtt/codec.h"
#include "devbroker/mqtt/packet.h"
#include "devbroker/mqtt/wire.h"

namespace cs::mqtt::detail {

/// Sizes an encoder computes once and then writes from.
struct Layout {
  std::uint32_t remaining = 0;        // the remaining length of the fixed header
  std::uint32_t properties = 0;       // the property list, without its length prefix
  std::uint32_t will_properties = 0;  // CONNECT's will property list
};

/// Fails `r` with protocol_error when `packet_id` is 0 ([MQTT-2.3.1-1], 5.0 [MQTT-2.2.1-3]).
void check_packet_id(wire::Reader& r, std::uint16_t packet_id);

/// Fails `r` with protocol_error unless `code` (called `what`) is one of `allowed`.
void check_code(wire::Reader& r, std::string_view what, std::uint8_t code,
                std::initializer_list<std::uint8_t> allowed);

/// True when `topic` holds a wildcard character, '+' or '#'.
inline bool has_wildcard(std::string_view topic) {
  // Two memchr scans; find_first_of would call memchr once per character of `topic`.
  return topic.find('+') != std::string_view::npos || topic.find('#') != std::string_view::npos;
}

/// Fails `r` with topic_name_invalid when the topic name `topic`, called `what`, holds a
/// wildcard ([MQTT-3.3.2-2], [MQTT-4.7.1-1]).
void check_no_wildcards(wire::Reader& r, std::string_view what, std::string_view topic);

// Each read() decodes a body from `r` into `out` for a connection speaking `version`; the
// fixed-header `flags` are already checked for every type but PUBLISH. Errors go to `r`.
// Each layout() sizes `packet` for `version`; each write() writes its body from that layout.

void read(wire::Reader& r, std::uint8_t flags, Version version, Connect& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Connack& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Publish& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Puback& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Pubrec& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Pubrel& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Pubcomp& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Subscribe& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Suback& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Unsubscribe& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Unsuback& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Pingreq& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Pingresp& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Disconnect& out);
void read(wire::Reader& r, std::uint8_t flags, Version version, Auth& out);

Layout layout(const Connect& packet, Version version);
Layout layout(const Connack& packet, Version version);
Layout layout(const Publish& packet, Version version);
Layout layout(const PublishView& packet, Version version);
Layout layout(const Puback& packet, Version version);
Layout layout(const Pubrec& packet, Version version);
Layout layout(const Pubrel& packet, Version version);
Layout layout(const Pubcomp& packet, Version version);
Layout layout(const Subscribe& packet, Version version);
Layout layout(const Suback& packet, Version version);
Layout layout(const Unsubscribe& packet, Version version);
Layout layout(const Unsuback& packet, Version version);
Layout layout(const Pingreq& packet, Version version);
Layout layout(const Pingresp& packet, Version version);
Layout layout(const Disconnect& packet, Version version);
Layout layout(const Auth& packet, Version version);

void write(const Connect& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Connack& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Publish& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const PublishView& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Puback& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Pubrec& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Pubrel& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Pubcomp& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Subscribe& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Suback& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Unsubscribe& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Unsuback& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Pingreq& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Pingresp& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Disconnect& packet, Version version, const Layout& layout, wire::Writer& w);
void write(const Auth& packet, Version version, const Layout& layout, wire::Writer& w);

}  // namespace cs::mqtt::detail
