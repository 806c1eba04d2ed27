#pragma once
// Lowercase hexadecimal encoding.

#include <string>
#include <string_view>

#include "common/crypto/bytes.h"
#include "common/result.h"

namespace cs::crypto {

/// Lowercase hex of `data`.
std::string hex_encode(ByteView data);

/// Decodes `text` (upper or lower case, even length, nothing else) into bytes.
Result<Bytes> hex_decode(std::string_view text);

}  // namespace cs::crypto
