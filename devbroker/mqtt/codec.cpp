#include "devbroker/mqtt/codec.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "devbroker/mqtt/codec_packets.h"
#include "devbroker/mqtt/wire.h"

namespace cs::mqtt {
namespace {

// PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0b0010 in the low nibble, everything but PUBLISH 0
// (3.1.1 table 2.2, 5.0 table 2-2).
constexpr std::uint8_t required_flags(PacketType type) {
  return type == PacketType::pubrel || type == PacketType::subscribe ||
                 type == PacketType::unsubscribe
             ? 0x2
             : 0x0;
}

// The packet type of alternative `T` of Packet, whose alternatives follow the type numbers.
template <class T, std::size_t I = 0>
constexpr PacketType type_of() {
  if constexpr (std::is_same_v<T, std::variant_alternative_t<I, Packet>>)
    return static_cast<PacketType>(I + 1);
  else
    return type_of<T, I + 1>();
}
static_assert(type_of<Connect>() == PacketType::connect &&
              type_of<Pubrel>() == PacketType::pubrel && type_of<Auth>() == PacketType::auth);

std::uint8_t publish_first_byte(const PublishView& p) {
  const auto flags = static_cast<std::uint8_t>(
      (p.dup ? 0x08 : 0) | static_cast<std::uint8_t>(p.qos) << 1 | (p.retain ? 0x01 : 0));
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(PacketType::publish) << 4 | flags);
}

template <class T>
std::uint8_t first_byte(const T& packet) {
  if constexpr (std::is_same_v<T, Publish>) return publish_first_byte(view_of(packet));
  constexpr PacketType type = type_of<T>();
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) << 4 | required_flags(type));
}

// MQTT 3.1.1 has no AUTH packet; there is nothing to send.
template <class T>
bool has_encoding(Version version) {
  return !(std::is_same_v<T, Auth> && version == Version::v311);
}

template <class T>
std::size_t size_as(const T& packet, Version version) {
  if (!has_encoding<T>(version)) return 0;
  const std::uint32_t remaining = detail::layout(packet, version).remaining;
  return 1 + wire::varint_size(remaining) + remaining;
}

template <class T>
void write_packet(std::uint8_t first, const T& packet, Version version, Bytes& out) {
  const detail::Layout layout = detail::layout(packet, version);
  // One allocation at most; growing by doubling keeps appending many packets to one buffer
  // linear, where reserving the exact size each time would copy the buffer on every packet.
  const std::size_t needed =
      out.size() + 1 + wire::varint_size(layout.remaining) + layout.remaining;
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));
  wire::Writer w(out);
  w.u8(first);
  w.varint(layout.remaining);
  detail::write(packet, version, layout, w);
}

template <class T>
void encode_as(const T& packet, Version version, Bytes& out) {
  if (!has_encoding<T>(version)) return;
  write_packet(first_byte(packet), packet, version, out);
}

// Builds the packet in place inside the result, so a decoded PUBLISH is never moved.
template <class T>
CodecResult<Packet> decode_as(const FixedHeader& header, ByteView body, Version version) {
  CodecResult<Packet> result(tl::in_place, std::in_place_type<T>);
  wire::Reader r(body, packet_type_name(header.type));
  detail::read(r, header.flags, version, std::get<T>(*result));
  if (r.failed()) result = tl::unexpected(r.take_error());
  return result;  // one named result on every path, so it is never copied or moved
}

tl::unexpected<CodecError> malformed(std::string message) {
  return tl::unexpected(CodecError{ReasonCode::malformed_packet, std::move(message)});
}

}  // namespace

namespace detail {

void check_packet_id(wire::Reader& r, std::uint16_t packet_id) {
  if (packet_id == 0)
    r.fail(ReasonCode::protocol_error,
           wire::concat({"packet identifier in ", r.subject(), " is 0"}));
}

void check_code(wire::Reader& r, std::string_view what, std::uint8_t code,
                std::initializer_list<std::uint8_t> allowed) {
  if (std::find(allowed.begin(), allowed.end(), code) == allowed.end())
    r.fail(ReasonCode::protocol_error,
           wire::concat({what, " ", wire::hex(code), " is not valid in ", r.subject()}));
}

void check_no_wildcards(wire::Reader& r, std::string_view what, std::string_view topic) {
  if (has_wildcard(topic))
    r.fail(ReasonCode::topic_name_invalid,
           wire::concat({what, " in ", r.subject(), " contains a wildcard (+ or #)"}));
}

}  // namespace detail

std::string_view packet_type_name(PacketType type) {
  static constexpr std::string_view k_names[] = {"reserved packet type 0",
                                                 "CONNECT",
                                                 "CONNACK",
                                                 "PUBLISH",
                                                 "PUBACK",
                                                 "PUBREC",
                                                 "PUBREL",
                                                 "PUBCOMP",
                                                 "SUBSCRIBE",
                                                 "SUBACK",
                                                 "UNSUBSCRIBE",
                                                 "UNSUBACK",
                                                 "PINGREQ",
                                                 "PINGRESP",
                                                 "DISCONNECT",
                                                 "AUTH"};
  const auto index = static_cast<std::size_t>(type);
  return index < std::size(k_names) ? k_names[index] : "unknown packet type";
}

CodecResult<std::optional<FixedHeader>> read_fixed_header(ByteView buffer,
                                                          std::uint32_t max_packet_size) {
  if (buffer.empty()) return std::nullopt;
  const std::uint8_t first = buffer[0];
  if ((first >> 4) == 0) return malformed("packet type 0 is reserved");
  const wire::Varint length = wire::read_varint(buffer.subspan(1));
  switch (length.status) {
    case wire::VarintStatus::ok:
      break;
    case wire::VarintStatus::incomplete:
      return std::nullopt;
    case wire::VarintStatus::too_long:
      return malformed("remaining length is longer than four bytes");
    case wire::VarintStatus::not_minimal:
      return malformed("remaining length is not minimally encoded");
  }
  FixedHeader header;
  header.type = static_cast<PacketType>(first >> 4);
  header.flags = first & 0x0F;
  header.remaining_length = length.value;
  header.header_size = 1 + length.size;
  if (header.total_size() > max_packet_size) {
    return tl::unexpected(
        CodecError{ReasonCode::packet_too_large,
                   wire::concat({"packet of ", std::to_string(header.total_size()),
                                 " bytes exceeds the maximum packet size of ",
                                 std::to_string(max_packet_size), " bytes"})});
  }
  return header;
}

CodecResult<Packet> decode(const FixedHeader& header, ByteView body, Version version) {
  if (body.size() != header.remaining_length) {
    return malformed(wire::concat({"packet body has ", std::to_string(body.size()),
                                   " bytes but the remaining length is ",
                                   std::to_string(header.remaining_length)}));
  }
  const auto type_number = static_cast<std::uint8_t>(header.type);
  if (type_number == 0 || type_number > 15)
    return malformed(wire::concat({"packet type ", std::to_string(type_number), " is reserved"}));
  // [MQTT-2.2.2-1], 5.0 [MQTT-2.1.3-1]: reserved flag bits hold fixed values; PUBLISH's are
  // checked with its body.
  if (header.type != PacketType::publish && header.flags != required_flags(header.type)) {
    return malformed(wire::concat({"fixed header flags of ", packet_type_name(header.type), " are ",
                                   wire::hex(header.flags), " but must be ",
                                   wire::hex(required_flags(header.type))}));
  }
  switch (header.type) {
    case PacketType::connect:
      return decode_as<Connect>(header, body, version);
    case PacketType::connack:
      return decode_as<Connack>(header, body, version);
    case PacketType::publish:
      return decode_as<Publish>(header, body, version);
    case PacketType::puback:
      return decode_as<Puback>(header, body, version);
    case PacketType::pubrec:
      return decode_as<Pubrec>(header, body, version);
    case PacketType::pubrel:
      return decode_as<Pubrel>(header, body, version);
    case PacketType::pubcomp:
      return decode_as<Pubcomp>(header, body, version);
    case PacketType::subscribe:
      return decode_as<Subscribe>(header, body, version);
    case PacketType::suback:
      return decode_as<Suback>(header, body, version);
    case PacketType::unsubscribe:
      return decode_as<Unsubscribe>(header, body, version);
    case PacketType::unsuback:
      return decode_as<Unsuback>(header, body, version);
    case PacketType::pingreq:
      return decode_as<Pingreq>(header, body, version);
    case PacketType::pingresp:
      return decode_as<Pingresp>(header, body, version);
    case PacketType::disconnect:
      return decode_as<Disconnect>(header, body, version);
    case PacketType::auth:
      return decode_as<Auth>(header, body, version);
  }
  return malformed("packet type is reserved");  // unreachable: checked above
}

void encode(const Packet& packet, Version version, Bytes& out) {
  std::visit([&](const auto& p) { encode_as(p, version, out); }, packet);
}

std::size_t encoded_size(const Packet& packet, Version version) {
  return std::visit([&](const auto& p) { return size_as(p, version); }, packet);
}

PublishView view_of(const Publish& packet) {
  return PublishView{packet.dup,       packet.qos,         packet.retain, packet.topic,
                     packet.packet_id, &packet.properties, packet.payload};
}

void encode(const PublishView& publish, Version version, Bytes& out) {
  write_packet(publish_first_byte(publish), publish, version, out);
}

std::size_t encoded_size(const PublishView& publish, Version version) {
  const std::uint32_t remaining = detail::layout(publish, version).remaining;
  return 1 + wire::varint_size(remaining) + remaining;
}

bool valid_utf8_string(std::string_view text) {
  return text.size() <= wire::k_max_field && wire::check_utf8(text) == wire::Utf8Problem::none;
}

}  // namespace cs::mqtt
