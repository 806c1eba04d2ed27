#pragma once
// Base64url (RFC 4648 section 5) without padding, as JWS and PKCE use it.

#include <string>
#include <string_view>

#include "common/crypto/bytes.h"
#include "common/result.h"

namespace cs::crypto {

/// Encodes `data` as unpadded base64url.
std::string base64url_encode(ByteView data);

/// Encodes the bytes of `text` as unpadded base64url.
inline std::string base64url_encode(std::string_view text) {
  return base64url_encode(as_bytes(text));
}

/// Decodes `text` strictly: only `A-Z a-z 0-9 - _`, no padding, no whitespace, a length that is
/// not 1 mod 4, and zero trailing bits; anything else is an invalid_request error.
Result<Bytes> base64url_decode(std::string_view text);

/// Standard base64 (RFC 4648 section 4) with padding, for PEM bodies and HTTP Basic.
std::string base64_encode(ByteView data);

/// Decodes padded standard base64 strictly (no whitespace, canonical padding and trailing bits).
Result<Bytes> base64_decode(std::string_view text);

}  // namespace cs::crypto
