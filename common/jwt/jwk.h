#pragma once
// JSON Web Keys (RFC 7517) and the key documents identity providers publish: JWK Sets and
// Google's map of key ids to X.509 certificates.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/jwt/keys.h"
#include "common/result.h"

namespace cs::jwt {

/// The usable keys of a published document, and one sentence for each key that was skipped.
struct KeySet {
  std::vector<Key> keys;
  std::vector<std::string> skipped;
};

/// The public key in `jwk`: RSA (`n`, `e`), EC on P-256 or P-384 (`crv`, `x`, `y`) or `oct` (`k`),
/// labelled with its `kid`, `alg` and `use`; private members are ignored, RSA keys under 2048 bits
/// and points off the curve are refused.
Result<Key> parse_jwk(const nlohmann::json& jwk);

/// The usable keys of the JWK Set `document` (`{"keys": [...]}`); unusable keys (unknown `kty`,
/// bad members, weak RSA, and `oct` keys, which must never be published) are skipped, and only a
/// document that is not a JWK Set fails.
Result<KeySet> parse_jwks(std::string_view document);

/// The keys of the certificate map `document` (`{"<kid>": "-----BEGIN CERTIFICATE-----..."}`, as
/// Firebase publishes), skipping entries that are not usable certificates.
Result<KeySet> parse_x509_map(std::string_view document);

/// The public JWK of `key` (RSA or EC) with its `kid`, `alg` and `use` when set; fails for an HMAC
/// secret, which is never published.
Result<nlohmann::json> public_jwk(const Key& key);

/// The JWK Set `{"keys": [...]}` of the public halves of `keys`.
Result<nlohmann::json> public_jwks(const std::vector<Key>& keys);

}  // namespace cs::jwt
