// The fixed header (3.1.1 section 2.2, 5.0 section 2.1) and the framing checks of decode().

#include <catch2/catch.hpp>

#include "devbroker/mqtt/codec.h"
#include "tests/unit/devbroker/mqtt/codec_test_support.h"

using namespace cs;
using namespace cs::mqtt;
using cs::mqtt::test::error_of;

namespace {

FixedHeader header_of(const Bytes& bytes, std::uint32_t max_packet_size = 1024) {
  const auto result = read_fixed_header(bytes, max_packet_size);
  REQUIRE(result);
  REQUIRE(result->has_value());
  return **result;
}

CodecError header_error(const Bytes& bytes, std::uint32_t max_packet_size = 1024) {
  const auto result = read_fixed_header(bytes, max_packet_size);
  REQUIRE_FALSE(result);
  return result.error();
}

bool needs_more(const Bytes& bytes) {
  const auto result = read_fixed_header(bytes, 1024 * 1024 * 1024);
  REQUIRE(result);
  return !result->has_value();
}

}  // namespace

TEST_CASE("a fixed header gives type, flags and remaining length", "[codec]") {
  const FixedHeader h = header_of({
      0x3B,  // PUBLISH, flags 1011: DUP, QoS 1, RETAIN
      0x05,  // remaining length 5
  });
  CHECK(h.type == PacketType::publish);
  CHECK(h.flags == 0x0B);
  CHECK(h.remaining_length == 5);
  CHECK(h.header_size == 2);
  CHECK(h.total_size() == 7);
}

TEST_CASE("remaining lengths at the edges of each byte count", "[codec]") {
  // 3.1.1 table 2.4 / 5.0 table 1-1: the limits of one to four bytes.
  struct Row {
    Bytes bytes;
    std::uint32_t value;
  };
  const Row rows[] = {
      {{0x30, 0x00}, 0},
      {{0x30, 0x7F}, 127},
      {{0x30, 0x80, 0x01}, 128},
      {{0x30, 0xFF, 0x7F}, 16383},
      {{0x30, 0x80, 0x80, 0x01}, 16384},
      {{0x30, 0xFF, 0xFF, 0x7F}, 2097151},
      {{0x30, 0x80, 0x80, 0x80, 0x01}, 2097152},
      {{0x30, 0xFF, 0xFF, 0xFF, 0x7F}, 268435455},
  };
  for (const Row& row : rows) {
    const FixedHeader h = header_of(row.bytes, 0xFFFFFFFF);
    CHECK(h.remaining_length == row.value);
    CHECK(h.header_size == row.bytes.size());
  }
}

TEST_CASE("a fixed header cut short asks for more bytes", "[codec]") {
  CHECK(needs_more({}));
  CHECK(needs_more({0x30}));
  CHECK(needs_more({0x30, 0x80}));
  CHECK(needs_more({0x30, 0xFF, 0xFF}));
  CHECK(needs_more({0x30, 0xFF, 0xFF, 0xFF}));
}

TEST_CASE("packet type 0 is refused", "[codec][malformed]") {
  // 3.1.1 table 2.1 / 5.0 table 2-1: type 0 is reserved.
  CHECK(header_error({0x00, 0x00}) ==
        CodecError{ReasonCode::malformed_packet, "packet type 0 is reserved"});
}

TEST_CASE("a remaining length longer than four bytes is refused", "[codec][malformed]") {
  // 3.1.1 2.2.3 / 5.0 1.5.5: at most four bytes; the fourth may not ask for a fifth.
  CHECK(header_error({0x30, 0xFF, 0xFF, 0xFF, 0xFF}) ==
        CodecError{ReasonCode::malformed_packet, "remaining length is longer than four bytes"});
  CHECK(header_error({0x30, 0x80, 0x80, 0x80, 0x80, 0x01}) ==
        CodecError{ReasonCode::malformed_packet, "remaining length is longer than four bytes"});
}

TEST_CASE("a remaining length with needless bytes is refused", "[codec][malformed]") {
  // [MQTT-1.5.5-1] the encoded value MUST use the minimum number of bytes.
  CHECK(header_error({0x30, 0x80, 0x00}) ==
        CodecError{ReasonCode::malformed_packet, "remaining length is not minimally encoded"});
  CHECK(header_error({0x30, 0x85, 0x80, 0x00}) ==
        CodecError{ReasonCode::malformed_packet, "remaining length is not minimally encoded"});
}

TEST_CASE("a packet larger than the maximum packet size is refused", "[codec][malformed]") {
  // 5.0 3.1.2.11.4: the size counts the whole packet, fixed header included.
  CHECK(header_of({0x30, 0x7E}, 128).total_size() == 128);
  CHECK(header_error({0x30, 0x7F}, 128) ==
        CodecError{ReasonCode::packet_too_large,
                   "packet of 129 bytes exceeds the maximum packet size of 128 bytes"});
  // Refused from the header alone, before the body arrives.
  CHECK(header_error({0x30, 0xFF, 0xFF, 0xFF, 0x7F}, 1024 * 1024) ==
        CodecError{ReasonCode::packet_too_large,
                   "packet of 268435460 bytes exceeds the maximum packet size of 1048576 bytes"});
}

TEST_CASE("decode refuses a body whose size is not the remaining length", "[codec][malformed]") {
  FixedHeader h;
  h.type = PacketType::pingreq;
  h.remaining_length = 2;
  h.header_size = 2;
  const Bytes body = {0x00};
  CHECK(decode(h, body, Version::v5).error() ==
        CodecError{ReasonCode::malformed_packet,
                   "packet body has 1 bytes but the remaining length is 2"});
}

TEST_CASE("reserved fixed-header flags must hold their listed values", "[codec][malformed]") {
  // [MQTT-2.2.2-1] [MQTT-2.2.2-2] (5.0 [MQTT-2.1.3-1]): the flags of every type but PUBLISH
  // are fixed, invalid flags make the packet malformed.
  SECTION("PUBREL, SUBSCRIBE and UNSUBSCRIBE need 0010") {
    CHECK(error_of({0x60, 0x02, 0x00, 0x01}, Version::v311) ==  // PUBREL flags 0000
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of PUBREL are 0x00 but must be 0x02"});
    CHECK(error_of({0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00}, Version::v311) ==
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of SUBSCRIBE are 0x00 but must be 0x02"});
    CHECK(error_of({0xA3, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'}, Version::v311) ==
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of UNSUBSCRIBE are 0x03 but must be 0x02"});
  }
  SECTION("the others need 0000") {
    CHECK(error_of({0xC1, 0x00}, Version::v311) ==  // PINGREQ
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of PINGREQ are 0x01 but must be 0x00"});
    CHECK(error_of({0x42, 0x02, 0x00, 0x01}, Version::v5) ==  // PUBACK
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of PUBACK are 0x02 but must be 0x00"});
    CHECK(error_of({0xE8, 0x00}, Version::v5) ==  // DISCONNECT
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of DISCONNECT are 0x08 but must be 0x00"});
    CHECK(error_of({0x14, 0x00}, Version::v5) ==  // CONNECT
          CodecError{ReasonCode::malformed_packet,
                     "fixed header flags of CONNECT are 0x04 but must be 0x00"});
  }
}

TEST_CASE("packet types are named as the specification names them", "[codec]") {
  CHECK(packet_type_name(PacketType::connect) == "CONNECT");
  CHECK(packet_type_name(PacketType::unsubscribe) == "UNSUBSCRIBE");
  CHECK(packet_type_name(PacketType::auth) == "AUTH");
}
