#pragma once
// Verifying an identity provider's token end to end: the provider's rules (provider.h), its keys
// (key_cache.h, or the dev identity provider's), the JWS checks (common/jwt), then the identity
// checks each provider needs. Also the dev identity provider, which mints provider-shaped tokens
// offline.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/jwt/jws.h"
#include "common/jwt/keys.h"
#include "common/result.h"
#include "devbroker/auth/key_cache.h"
#include "devbroker/auth/provider.h"

namespace cs::auth {

struct VerifiedIdentity {
  std::string provider_id;
  ProviderType type = ProviderType::oidc;
  std::string subject;               // the stable id, with provider_id: (provider, sub)
  std::optional<std::string> email;  // only when the provider vouches for it
  nlohmann::json claims;             // every claim, verified
};

/// Signing keys held by the dev broker, and tokens shaped like each provider's.
class DevIdentityProvider {
 public:
  struct MintRequest {
    std::string email;
    std::string subject;  // empty: derived from the email
    std::chrono::seconds ttl{3600};
  };

  /// Fresh keys: RSA-2048 (kid "dev-rs256") and EC P-256 (kid "dev-es256").
  static Result<DevIdentityProvider> generate();
  /// Keys saved earlier with rsa_pem() and ec_pem().
  static Result<DevIdentityProvider> from_pem(std::string_view rsa_pem, std::string_view ec_pem);

  /// The private keys in PKCS#8 PEM, for saving (0600) beside the broker's state.
  Result<std::string> rsa_pem() const;
  Result<std::string> ec_pem() const;
  /// The keys a provider created with "dev": true trusts.
  std::vector<jwt::Key> keys() const { return {m_rsa, m_ec}; }

  /// A token with the issuer, audience and claims `provider` expects, for `request`, issued at
  /// `now`: HS256 with the provider's `jwt_secret` when it has one, else ES256 for Supabase and
  /// RS256 for the others.
  Result<std::string> mint(const Provider& provider, const MintRequest& request,
                           std::chrono::sys_seconds now) const;

 private:
  DevIdentityProvider(jwt::Key rsa, jwt::Key ec) : m_rsa(std::move(rsa)), m_ec(std::move(ec)) {}
  jwt::Key m_rsa;
  jwt::Key m_ec;
};

class IdpVerifier {
 public:
  /// Uses `cache` for real providers and `dev` (may be null) for dev ones; both outlive this.
  IdpVerifier(KeyCache& cache, const DevIdentityProvider* dev) : m_cache(cache), m_dev(dev) {}

  /// Verifies `token` as `provider`'s at wall time `now` (`steady_now` for key caching), or
  /// refuses it with invalid_token / token_expired and an IDENTITY.md reason; jwks_unavailable
  /// when the provider's keys cannot be had.
  Result<VerifiedIdentity> verify(const Provider& provider, std::string_view token,
                                  std::chrono::sys_seconds now, SteadyTime steady_now) const;
  /// The same with `rules`, which must be rules_for(`provider`), computed once by the caller.
  Result<VerifiedIdentity> verify(const Provider& provider, const ProviderRules& rules,
                                  std::string_view token, std::chrono::sys_seconds now,
                                  SteadyTime steady_now) const;
  /// The same for a token already parsed (jwt::parse_jws), so that it is decoded only once.
  Result<VerifiedIdentity> verify(const Provider& provider, const ProviderRules& rules,
                                  jwt::Jws jws, std::chrono::sys_seconds now,
                                  SteadyTime steady_now) const;

 private:
  KeyCache& m_cache;
  const DevIdentityProvider* m_dev;
};

/// The (unverified) `iss` of `token`: invalid_token with reason malformed (or too_large,
/// crit_unsupported) when the token cannot be read, missing_claim when it has no string `iss`.
Result<std::string> token_issuer(std::string_view token);
/// The same for a token already parsed.
Result<std::string> token_issuer(const jwt::Jws& jws);

/// The index of the enabled provider whose issuer equals the token's (unverified) `iss`;
/// provider_not_found when none does, token_issuer's errors when there is no `iss` to match.
Result<std::size_t> find_provider_for_token(const std::vector<Provider>& providers,
                                            std::string_view token);

}  // namespace cs::auth
