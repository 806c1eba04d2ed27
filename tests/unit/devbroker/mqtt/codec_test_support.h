#pragma once
// Helpers shared by the codec tests: decode a byte table holding one whole packet, encode a
// packet while checking encoded_size, and print packets and errors when a check fails.

#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "common/crypto/bytes.h"
#include "common/crypto/hex.h"
#include "devbroker/mqtt/codec.h"

namespace cs::mqtt::test {

constexpr std::uint32_t k_test_max_packet = 1024 * 1024;

/// Decodes `bytes`, which must hold one whole packet, for a connection speaking `version`.
inline CodecResult<Packet> decode_bytes(const Bytes& bytes, Version version) {
  auto header = read_fixed_header(bytes, k_test_max_packet);
  if (!header) return tl::unexpected(header.error());
  REQUIRE(header->has_value());
  const FixedHeader& fixed = **header;
  REQUIRE(fixed.total_size() == bytes.size());
  return decode(fixed, ByteView(bytes).subspan(fixed.header_size), version);
}

/// Decodes `bytes` and returns the packet, which must be a `T`.
template <class T>
T decode_to(const Bytes& bytes, Version version) {
  CodecResult<Packet> result = decode_bytes(bytes, version);
  if (!result) FAIL("decoding failed: " << result.error().message);
  REQUIRE(std::holds_alternative<T>(*result));
  return std::get<T>(*result);
}

/// Decodes `bytes`, which must fail, and returns the error.
inline CodecError error_of(const Bytes& bytes, Version version) {
  CodecResult<Packet> result = decode_bytes(bytes, version);
  REQUIRE_FALSE(result);
  return result.error();
}

/// Encodes `packet` for `version`, checking that encoded_size() predicted the size.
inline Bytes encode_to_bytes(const Packet& packet, Version version) {
  Bytes out;
  encode(packet, version, out);
  CHECK(encoded_size(packet, version) == out.size());
  return out;
}

/// Encodes `packet`, decodes the bytes again and returns what came back.
inline Packet round_trip(const Packet& packet, Version version) {
  const Bytes bytes = encode_to_bytes(packet, version);
  CodecResult<Packet> result = decode_bytes(bytes, version);
  if (!result) FAIL("decoding the encoding failed: " << result.error().message);
  return *result;
}

}  // namespace cs::mqtt::test

namespace Catch {

template <>
struct StringMaker<cs::mqtt::CodecError> {
  static std::string convert(const cs::mqtt::CodecError& error) {
    std::string out = "{reason ";
    out.append(std::to_string(static_cast<int>(error.reason)));
    out.append(", \"");
    out.append(error.message);
    out.append("\"}");
    return out;
  }
};

// A packet prints as its type and its 5.0 encoding in hex: enough to see what differs.
template <>
struct StringMaker<cs::mqtt::Packet> {
  static std::string convert(const cs::mqtt::Packet& packet) {
    cs::Bytes bytes;
    cs::mqtt::encode(packet, cs::mqtt::Version::v5, bytes);
    std::string out(
        cs::mqtt::packet_type_name(static_cast<cs::mqtt::PacketType>(packet.index() + 1)));
    out.append(" ");
    out.append(cs::crypto::hex_encode(bytes));
    return out;
  }
};

}  // namespace Catch
