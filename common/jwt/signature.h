#pragma once
// JWS signatures (RFC 7515 and RFC 7518 section 3): creating and checking them with a Key. ECDSA
// signatures travel as raw r||s; OpenSSL speaks DER, so they are converted at this boundary.

#include <cstddef>
#include <optional>

#include "common/crypto/bytes.h"
#include "common/jwt/alg.h"
#include "common/jwt/keys.h"
#include "common/result.h"

namespace cs::jwt {

/// The JWS signature of `input` under `alg` with `key`, raw r||s for ES*; fails when `key` is not
/// the type `alg` needs or holds no private half.
Result<Bytes> create_signature(Alg alg, const Key& key, ByteView input);

/// True when `signature` is `alg`'s signature of `input` under `key`: HMAC compared in constant
/// time, RSA exactly the modulus size, ES* exactly r||s of the curve's size with neither zero;
/// false whenever `key` is not the type `alg` needs.
bool check_signature(Alg alg, const Key& key, ByteView input, ByteView signature);

/// The DER form of the raw ECDSA signature `raw` (r||s, each `size` bytes); nullopt when `raw` is
/// not 2 * `size` bytes or r or s is zero.
std::optional<Bytes> ecdsa_raw_to_der(ByteView raw, std::size_t size);

/// The raw r||s form, each `size` bytes, of the DER ECDSA signature `der`.
std::optional<Bytes> ecdsa_der_to_raw(ByteView der, std::size_t size);

}  // namespace cs::jwt
