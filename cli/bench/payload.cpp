#include "cli/bench/payload.h"

#include <cassert>

namespace cs::bench {
namespace {

void put(std::uint64_t value, std::size_t width, std::uint8_t* out) {
  for (std::size_t i = 0; i < width; ++i) {
    out[i] = static_cast<std::uint8_t>(value >> (8 * (width - 1 - i)));
  }
}

std::uint64_t get(const std::uint8_t* in, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value = value << 8 | in[i];
  return value;
}

}  // namespace

std::uint64_t stamp_time(std::chrono::steady_clock::time_point t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

void write_stamp(const Stamp& stamp, std::span<std::uint8_t> payload) {
  assert(payload.size() >= k_stamp_size);
  put(stamp.sent_ns, 8, payload.data());
  put(stamp.publisher, 4, payload.data() + 8);
  put(stamp.run, 4, payload.data() + 12);
}

std::optional<Stamp> read_stamp(ByteView payload) {
  if (payload.size() < k_stamp_size) return std::nullopt;
  return Stamp{get(payload.data(), 8), static_cast<std::uint32_t>(get(payload.data() + 8, 4)),
               static_cast<std::uint32_t>(get(payload.data() + 12, 4))};
}

}  // namespace cs::bench
