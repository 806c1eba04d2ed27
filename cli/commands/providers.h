#pragma once
// `cloudsignal providers list|add|get|update|remove|test`: the organization's identity
// providers (Supabase, Firebase, Auth0, Clerk, any OIDC issuer).

#include <CLI/CLI.hpp>
#include <string>

#include "cli/api_target.h"
#include "cli/command.h"
#include "cli/commands/provider_request.h"

namespace cs::cli {

/// A JWT secret file holds at most this many bytes.
inline constexpr std::size_t k_max_jwt_secret_file_bytes = 16 * 1024;
/// Exit code of `providers test` when the provider refuses the token (0 when it accepts it).
inline constexpr int k_provider_refused_exit_code = 1;

struct ProvidersOptions {
  std::string id;
  ProviderFlags provider;
  std::string token;  // test: a JWT, or "-" to read it from stdin
  bool json = false;
  bool yes = false;
};

/// Registers `providers` and its subcommands on `app`; on selection, sets `action`.
void add_providers(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags);

/// Prints every provider as a table, or the API's listing with `options.json`.
int run_providers_list(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx);

/// Creates a provider from the flags; prints its id on stdout.
int run_providers_add(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx);

/// Prints provider `options.id` (never its secrets).
int run_providers_get(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx);

/// Changes the fields of provider `options.id` that the flags give.
int run_providers_update(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx);

/// Deletes provider `options.id` after confirmation.
int run_providers_remove(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx);

/// Checks a token against provider `options.id`: 0 when valid, k_provider_refused_exit_code not.
int run_providers_test(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx);

}  // namespace cs::cli
