#pragma once
// Byte buffers used across the crypto and protocol code.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cs {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

/// Views the characters of `text` as bytes (no copy).
inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// Copies `bytes` into a std::string, byte for byte.
inline std::string to_string(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace cs
