#pragma once
// The dev identity provider as the dev broker keeps it: its signing keys saved in the data
// directory so tokens minted before a restart still verify after it, and the configuration of
// the `dev: true` provider made for each provider type when a token of that type is asked for.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "devbroker/auth/idp.h"
#include "devbroker/auth/provider.h"

namespace cs::auth {

/// The files inside the key directory: PKCS#8 PEM, mode 0600.
inline constexpr std::string_view k_dev_idp_rsa_file = "dev-rs256.pem";
inline constexpr std::string_view k_dev_idp_ec_file = "dev-es256.pem";

/// The dev identity provider whose keys are in `dir` (`<data-dir>/idp`); on first use `dir` is
/// created (0700) and fresh keys are written there. When one of the two files is missing both are
/// made again; a file that is not a key of the right type is an error naming it.
Result<DevIdentityProvider> load_or_create_dev_idp(const std::filesystem::path& dir);

/// The name of the provider made for dev tokens of `type`: `dev-<type>`.
std::string dev_provider_name(ProviderType type);

/// The configuration of that provider: a plausible config for `type` that
/// validate_provider_config accepts and that reads as a dev value. Supabase: project_url
/// https://dev-project.supabase.co; Firebase: project_id cloudsignal-dev; Auth0: domain
/// cloudsignal-dev.us.auth0.com, audience https://api.cloudsignal.dev; Clerk: frontend_api_dev
/// https://cloudsignal-dev.clerk.accounts.dev; OIDC: issuer https://idp.cloudsignal.dev, audience
/// cloudsignal-dev. Nothing is ever fetched from these URLs: a dev provider trusts only the dev
/// identity provider's keys.
nlohmann::json dev_provider_config(ProviderType type);

}  // namespace cs::auth
