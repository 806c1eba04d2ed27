#pragma once
// Comparison of secrets in time that depends only on their lengths, never on their contents.

#include <string_view>

#include "common/crypto/bytes.h"

namespace cs::crypto {

/// True when `a` and `b` are equal; the time taken does not depend on where they differ.
bool constant_time_equal(ByteView a, ByteView b);

/// As above, for text secrets.
inline bool constant_time_equal(std::string_view a, std::string_view b) {
  return constant_time_equal(as_bytes(a), as_bytes(b));
}

}  // namespace cs::crypto
