#pragma once
// JWS algorithms (RFC 7518 section 3) and the kinds of key that fit them. `none` has no value
// here, so it cannot be configured, chosen or produced.

#include <optional>
#include <span>
#include <string_view>

#include "common/crypto/hash.h"

namespace cs::jwt {

enum class Alg { hs256, hs384, hs512, rs256, rs384, rs512, ps256, ps384, ps512, es256, es384 };

enum class KeyType {
  hmac,     // a shared secret
  rsa,      // an RSA key of at least 2048 bits
  ec_p256,  // an EC key on P-256
  ec_p384,  // an EC key on P-384
};

/// The algorithm named exactly `name` (`RS256`, case-sensitive); nullopt for `none`, for case
/// variants such as `rs256`, and for every other name.
std::optional<Alg> alg_from_name(std::string_view name);

/// The JWS name of `alg` (`HS256`, `PS384`, ...).
std::string_view alg_name(Alg alg);

/// Every supported algorithm, in the order of the enum.
std::span<const Alg> all_algs();

/// The one kind of key that signs and verifies `alg`: hmac for HS*, rsa for RS* and PS*,
/// ec_p256 for ES256 and ec_p384 for ES384.
KeyType key_type_for(Alg alg);

/// The digest that `alg` applies to the signing input.
crypto::HashAlg alg_hash(Alg alg);

/// OpenSSL's name of alg_hash(alg): `SHA256`, `SHA384` or `SHA512`.
const char* alg_digest_name(Alg alg);

/// Whether `alg` is RSASSA-PSS (PS256, PS384, PS512).
bool alg_is_pss(Alg alg);

/// A name for `type` in sentences: `an HMAC secret`, `an RSA key`, `an EC P-256 key`, ...
std::string_view key_type_phrase(KeyType type);

}  // namespace cs::jwt
