#pragma once
// The request bodies of `providers add` and `providers update`, from their flags: pure
// functions, so that each flag's mapping onto API.md's per-type config table is testable.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cs::cli {

/// The per-type config flags (API.md's provider table); empty = not given.
struct ProviderConfigFlags {
  std::string project_url;
  std::string jwt_secret;       // only "-": read from stdin
  std::string jwt_secret_file;  // a file holding the secret
  std::string project_id;
  std::string domain;
  std::string audience;
  std::string frontend_api_dev;
  std::string frontend_api_prod;
  std::vector<std::string> authorized_parties;
  std::string issuer;
  std::string jwks_uri;
};

struct ProviderFlags {
  std::string type;  // add only; a PATCH cannot change it
  std::string name;
  bool disabled = false;
  bool enabled = false;  // update only: turn a disabled provider back on
  std::string username_claim;
  ProviderConfigFlags config;
};

/// `config` as a provider config object with `jwt_secret` (already read) when given; usage
/// error when a flag does not apply to `type` (no check when `type` is empty: an update).
Result<nlohmann::json> provider_config_from_flags(const ProviderConfigFlags& config,
                                                  std::string_view type,
                                                  const std::optional<std::string>& jwt_secret);

/// The body of POST /v2/providers for `flags` and `jwt_secret`.
Result<nlohmann::json> provider_create_body(const ProviderFlags& flags,
                                            const std::optional<std::string>& jwt_secret);

/// The body of PATCH /v2/providers/{id}: only what `flags` gives; usage error when nothing.
Result<nlohmann::json> provider_update_body(const ProviderFlags& flags,
                                            const std::optional<std::string>& jwt_secret);

}  // namespace cs::cli
