#pragma once
// Pure MQTT 3.1.1 / 5.0 codec: bytes to packets and packets to bytes. No I/O, no state beyond
// its arguments. Every malformed input yields a CodecError naming the problem and the reason
// code the spec asks a server to answer with; nothing here is undefined behaviour.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "common/crypto/bytes.h"
#include "devbroker/mqtt/packet.h"

namespace cs::mqtt {

struct CodecError {
  ReasonCode reason = ReasonCode::malformed_packet;  // what a 5.0 server answers with
  std::string message;                               // for logs and reason strings
  bool operator==(const CodecError&) const = default;
};

template <class T>
using CodecResult = tl::expected<T, CodecError>;

struct FixedHeader {
  PacketType type = PacketType::connect;
  std::uint8_t flags = 0;              // low nibble of the first byte
  std::uint32_t remaining_length = 0;  // bytes after the fixed header
  std::size_t header_size = 0;         // 2..5 bytes
  std::size_t total_size() const { return header_size + remaining_length; }
};

/// Reads the fixed header at the start of `buffer`. Returns nullopt when `buffer` is too short
/// to tell; an error for packet type 0, a remaining length longer than four bytes or not
/// minimally encoded, or a whole packet larger than `max_packet_size` (packet_too_large).
CodecResult<std::optional<FixedHeader>> read_fixed_header(ByteView buffer,
                                                          std::uint32_t max_packet_size);

/// Decodes one whole packet: `header` from read_fixed_header and `body`, its remaining_length
/// bytes. `version` is the connection's protocol version (CONNECT carries its own). Checks
/// the fixed-header flags, UTF-8 strings, property identifiers and which properties each packet
/// may carry, duplicates, packet identifier 0, and the payload rules of each packet type.
/// Rules that depend on the direction or the session (a client's PUBLISH must not carry a
/// subscription identifier, topic alias maximum, filter syntax) are left to the caller.
CodecResult<Packet> decode(const FixedHeader& header, ByteView body, Version version);

/// Appends the encoding of `packet` for a peer speaking `version` to `out`. 3.1.1 encodings
/// drop 5.0-only fields (properties, reason codes other than the 3.1.1 ones) and map CONNACK
/// and SUBACK codes to 3.1.1 ones; CONNECT is written at the level of `version`, and an AUTH
/// under 3.1.1 appends nothing. Every property set is written: the caller sets only those the
/// packet may carry. Throws std::length_error or std::invalid_argument for a packet MQTT cannot
/// express (a string over 65535 bytes, a packet over 256 MiB, subscription identifier 0).
void encode(const Packet& packet, Version version, Bytes& out);

/// The number of bytes encode() would append for `packet` under `version`.
std::size_t encoded_size(const Packet& packet, Version version);

/// A PUBLISH that borrows its topic, payload and properties instead of owning them, so one
/// routed message can be encoded for many subscribers without copying it for each.
struct PublishView {
  bool dup = false;
  QoS qos = QoS::at_most_once;
  bool retain = false;
  std::string_view topic;                  // empty when a 5.0 topic alias stands in for it
  std::uint16_t packet_id = 0;             // only for QoS 1 and 2
  const Properties* properties = nullptr;  // 5.0 only; nullptr means none
  ByteView payload;
};

/// Views `packet`, which must outlive the view.
PublishView view_of(const Publish& packet);

/// Appends the encoding of `publish` for a peer speaking `version` to `out`: the same bytes
/// encode() appends for a Publish holding the same values. Throws as encode() does.
void encode(const PublishView& publish, Version version, Bytes& out);

/// The number of bytes encode() would append for `publish` under `version`.
std::size_t encoded_size(const PublishView& publish, Version version);

/// The name the specification gives `type` ("PUBLISH"), for messages and logs.
std::string_view packet_type_name(PacketType type);

/// True when `text` is a well-formed MQTT UTF-8 string (section 1.5.4): valid UTF-8, no
/// surrogates, no U+0000, at most 65535 bytes.
bool valid_utf8_string(std::string_view text);

}  // namespace cs::mqtt
