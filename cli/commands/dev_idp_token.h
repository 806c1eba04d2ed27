#pragma once
// `cloudsignal dev idp-token`: a token from the dev identity provider of a running
// `cloudsignal dev`, shaped like a Supabase, Firebase, Auth0, Clerk or OIDC token, to exchange
// for MQTT credentials with no network and no account at the real provider.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/commands/dev.h"

namespace cs::cli {

/// The life a dev identity token may be given, in seconds (as the API bounds it).
inline constexpr std::int64_t k_min_idp_token_ttl_seconds = 1;
inline constexpr std::int64_t k_max_idp_token_ttl_seconds = 24 * 3600;

struct DevIdpTokenOptions {
  std::string data_dir;  // as `dev --data-dir`: the broker whose dev.json and admin key are used
  std::string provider;  // a provider id, name or type
  std::string email;
  std::string subject;  // empty = the broker derives a stable one from the email
  std::optional<std::int64_t> ttl_seconds;
  bool json = false;
};

/// Registers `idp-token` under `dev`; it reads --data-dir from `dev_options`.
void add_dev_idp_token(CLI::App& dev, std::shared_ptr<const DevCommandOptions> dev_options,
                       Context& ctx, Action& action);

/// Asks the running dev broker for a token; prints it (or the whole answer with --json).
int run_dev_idp_token(const DevIdpTokenOptions& options, Context& ctx);

}  // namespace cs::cli
