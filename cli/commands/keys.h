#pragma once
// `cloudsignal keys list|create|rotate|revoke`: the organization's API keys.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/api_target.h"
#include "cli/command.h"

namespace cs::cli {

struct KeysOptions {
  std::string id;
  std::string name;
  std::string type;
  std::vector<std::string> scopes;
  std::vector<std::string> allowed_ips;
  bool json = false;
  bool yes = false;
};

/// Registers `keys` and its subcommands on `app`; on selection, sets `action`.
void add_keys(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags);

/// Prints every live key as a table (never a secret), or the API's listing with `options.json`.
int run_keys_list(const KeysOptions& options, const ApiFlags& flags, Context& ctx);

/// Creates a key: its secret alone on stdout, the rest on stderr (all as JSON with `json`).
int run_keys_create(const KeysOptions& options, const ApiFlags& flags, Context& ctx);

/// Replaces the secret of key `options.id`; prints the new one as create does.
int run_keys_rotate(const KeysOptions& options, const ApiFlags& flags, Context& ctx);

/// Revokes key `options.id` after confirmation.
int run_keys_revoke(const KeysOptions& options, const ApiFlags& flags, Context& ctx);

}  // namespace cs::cli
