#include "cli/bench/payload.h"

#include <catch2/catch.hpp>

using cs::Bytes;
using cs::bench::k_stamp_size;
using cs::bench::read_stamp;
using cs::bench::Stamp;
using cs::bench::write_stamp;

TEST_CASE("a stamp is 16 big-endian bytes at the start of the payload", "[bench]") {
  Bytes payload(20, 0xEE);
  write_stamp(Stamp{0x0102030405060708ULL, 0x0A0B0C0D, 0x11223344}, payload);
  const Bytes expected = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // sent_ns
                          0x0A, 0x0B, 0x0C, 0x0D,                          // publisher
                          0x11, 0x22, 0x33, 0x44,                          // run
                          0xEE, 0xEE, 0xEE, 0xEE};                         // untouched
  CHECK(payload == expected);
  CHECK(read_stamp(payload) == Stamp{0x0102030405060708ULL, 0x0A0B0C0D, 0x11223344});
}

TEST_CASE("a payload shorter than a stamp has none", "[bench]") {
  CHECK_FALSE(read_stamp(Bytes(k_stamp_size - 1, 0)));
  CHECK_FALSE(read_stamp(Bytes{}));
  CHECK(read_stamp(Bytes(k_stamp_size, 0)) == Stamp{});
}
