#pragma once
// Identity providers in and out of the HTTP API's JSON (API.md "Providers"): the bodies of
// POST and PATCH /v2/providers, and the two views of a provider, neither of which ever holds a
// secret. Pure.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "devbroker/auth/provider.h"
#include "devbroker/store/provider_repository.h"

namespace cs::auth {

/// The longest provider name, in bytes.
inline constexpr std::size_t k_max_provider_name_length = 64;
/// The largest provider config, in bytes of compact JSON.
inline constexpr std::size_t k_max_provider_config_bytes = 16 * 1024;

/// What POST /v2/providers creates.
struct NewProvider {
  std::string type;  // supabase, firebase, auth0, clerk, oidc
  std::string name;
  bool enabled = true;
  std::string username_claim = "email";  // or "sub"
  nlohmann::json config = nlohmann::json::object();
  bool dev = false;  // trusts the dev identity provider's keys

  /// The fields of the request body `body`: `type` and `name` required, `enabled`,
  /// `username_claim`, `config` and `dev` optional (JSON null = absent), `organization_id`
  /// ignored (the HTTP layer checks it); invalid_request naming the first wrong field.
  static Result<NewProvider> from_json(const nlohmann::json& body);
};

/// What PATCH /v2/providers/{id} changes: only the fields given.
struct ProviderPatch {
  std::optional<std::string> type;  // accepted only when it equals the provider's type
  std::optional<std::string> name;
  std::optional<bool> enabled;
  std::optional<std::string> username_claim;
  std::optional<nlohmann::json> config;  // an RFC 7396 merge patch of the config
  std::optional<bool> dev;

  /// The fields of the request body `body`, as NewProvider::from_json reads them but all
  /// optional; the read-only fields of the admin view (`id`, `created_at`, `updated_at`,
  /// `secrets_set`) and `organization_id` are ignored, so a GET body can be sent back.
  static Result<ProviderPatch> from_json(const nlohmann::json& body);
};

/// True when the config field `name` holds a secret (`jwt_secret`, and anything named like a
/// secret, password or private key), which no view of the provider shows.
bool is_secret_config_field(std::string_view name);

/// Checks everything a stored provider must satisfy: a known type, a valid name and
/// `username_claim`, a config within k_max_provider_config_bytes that validate_provider_config
/// accepts; returns the provider as the verifier takes it, or invalid_request naming the field.
Result<Provider> provider_from_record(const store::ProviderRecord& record);

/// The unauthenticated view (`GET /v2/providers`): `id`, `type`, `name`, `enabled`.
nlohmann::json to_public_json(const store::ProviderRecord& record);

/// The admin view: every field, with the config's secret fields left out and their names listed
/// in `secrets_set`; times as RFC 3339.
nlohmann::json to_admin_json(const store::ProviderRecord& record);

}  // namespace cs::auth
