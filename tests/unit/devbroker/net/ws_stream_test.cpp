#include "devbroker/net/ws_stream.h"

#include <catch2/catch.hpp>
#include <vector>

using cs::net::first_packet_size;

namespace {

std::size_t size_of(std::vector<std::uint8_t> bytes) {
  return first_packet_size(cs::ByteView(bytes.data(), bytes.size()));
}

}  // namespace

TEST_CASE("WebSocket writes: the first MQTT packet of a batch", "[net][ws]") {
  // SUBACK (90 03 0001 00) followed by PUBLISH QoS 0 (30 04 0001 'a' 'x').
  CHECK(size_of({0x90, 0x03, 0x00, 0x01, 0x00, 0x30, 0x04, 0x00, 0x01, 'a', 'x'}) == 5);
  // PINGRESP alone.
  CHECK(size_of({0xD0, 0x00}) == 2);
  // A two-byte remaining length: 200 bytes of body (C8 01).
  std::vector<std::uint8_t> big = {0x30, 0xC8, 0x01};
  big.resize(3 + 200, 'p');
  big.push_back(0xD0);
  big.push_back(0x00);
  CHECK(size_of(big) == 203);
}

TEST_CASE("WebSocket writes: what is not a whole packet goes as it is", "[net][ws]") {
  CHECK(size_of({}) == 0);
  CHECK(size_of({0x30}) == 1);
  CHECK(size_of({0x30, 0x05, 0x00}) == 3);              // shorter than it says
  CHECK(size_of({0x30, 0x80, 0x80, 0x80, 0x80}) == 5);  // a length past four bytes
}

TEST_CASE("WebSocket close codes for each close cause (RFC 6455 7.4.1)", "[net][ws]") {
  using cs::net::CloseCause;
  using cs::net::ws_close_code;
  CHECK(ws_close_code(CloseCause::normal) == 1000);
  CHECK(ws_close_code(CloseCause::going_away) == 1001);
  CHECK(ws_close_code(CloseCause::protocol_error) == 1002);
  CHECK(ws_close_code(CloseCause::policy_violation) == 1008);
  CHECK(ws_close_code(CloseCause::too_big) == 1009);
  CHECK(ws_close_code(CloseCause::server_error) == 1011);
}
