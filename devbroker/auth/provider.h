#pragma once
// Identity providers as configured (API.md "Providers") and the verification rules
// docs/IDENTITY.md gives for each kind. Pure: nothing here fetches or reads the clock.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/jwt/verify.h"
#include "common/result.h"
#include "devbroker/auth/names.h"

namespace cs::auth {

enum class ProviderType { supabase, firebase, auth0, clerk, oidc };

/// The type named `name` ("supabase", ...), exactly; nullopt for anything else.
std::optional<ProviderType> provider_type_from_name(std::string_view name);

/// The API name of `type`.
std::string_view provider_type_name(ProviderType type);

struct Provider {
  std::string id;
  ProviderType type = ProviderType::oidc;
  std::string name;
  bool enabled = true;
  UsernameClaim username_claim = UsernameClaim::email;
  nlohmann::json config = nlohmann::json::object();  // per-type fields; may hold secrets
  bool dev = false;  // trusts the dev identity provider's keys instead of the real ones
};

/// Checks `config` for `type`: required fields present and non-empty strings, URLs https (http
/// only for loopback), no unknown fields; an invalid_request error names the first problem.
Result<void> validate_provider_config(ProviderType type, const nlohmann::json& config);

enum class KeyFormat {
  jwks,       // a JWK Set
  x509_map,   // Google's {kid: certificate PEM} map (Firebase)
  discovery,  // an OpenID configuration document whose jwks_uri names the JWK Set
};

struct KeyLocation {
  std::string url;
  KeyFormat format = KeyFormat::jwks;
  std::string expected_issuer;  // for discovery: the document's `issuer` must equal it
  bool operator==(const KeyLocation&) const = default;
};

struct IssuerRule {
  std::string issuer;
  KeyLocation keys;
};

struct ProviderRules {
  std::vector<IssuerRule> issuers;         // one; two for Clerk with dev and prod
  std::vector<jwt::Alg> algs;              // asymmetric algorithms verified with fetched keys
  std::optional<std::string> hmac_secret;  // adds HS256 (Supabase legacy, Auth0 with a secret)
  jwt::AudienceRule audience;
  std::chrono::seconds leeway = jwt::k_default_leeway;
  jwt::KidRule kid_rule = jwt::KidRule::optional;
  std::optional<std::vector<std::string>> authorized_parties;
  bool allow_anonymous_users = false;  // Supabase `is_anonymous` tokens
};

/// The rules IDENTITY.md gives for `provider` (its config already validated).
Result<ProviderRules> rules_for(const Provider& provider);

}  // namespace cs::auth
