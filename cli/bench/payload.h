#pragma once
// The header bench writes at the start of every payload: when the message was sent (on the
// steady clock of the process that also receives it), by which publisher, in which run.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/crypto/bytes.h"

namespace cs::bench {

/// Bytes the stamp takes; payloads are at least this long.
inline constexpr std::size_t k_stamp_size = 16;

struct Stamp {
  std::uint64_t sent_ns = 0;    // steady clock, nanoseconds since its epoch
  std::uint32_t publisher = 0;  // index of the publisher
  std::uint32_t run = 0;        // tag of the run, so stray messages are not counted
  bool operator==(const Stamp&) const = default;
};

/// `t` as a stamp's sent_ns: nanoseconds since the steady clock's epoch.
std::uint64_t stamp_time(std::chrono::steady_clock::time_point t);

/// Writes `stamp` big-endian into the first k_stamp_size bytes of `payload`, which must be at
/// least that long.
void write_stamp(const Stamp& stamp, std::span<std::uint8_t> payload);

/// Reads the stamp at the start of `payload`; nullopt when it is shorter than k_stamp_size.
std::optional<Stamp> read_stamp(ByteView payload);

}  // namespace cs::bench
