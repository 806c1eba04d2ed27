#pragma once
// `cloudsignal tokens create|exchange|refresh|list|revoke`: short-lived MQTT credentials.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli/api_target.h"
#include "cli/command.h"

namespace cs::cli {

struct TokensOptions {
  std::string email;
  long ttl_seconds = 0;  // 0 = the server's default
  std::string integration_id;
  std::string provider;  // exchange: the provider type; empty = chosen by the token's issuer
  std::string token;     // exchange: the IdP JWT, or "-" to read it from stdin
  std::string id;
  std::string password;  // refresh: "-" reads the current token password from stdin
  bool json = false;
  bool yes = false;
};

/// Registers `tokens` and its subcommands on `app`; on selection, sets `action`.
void add_tokens(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags);

/// The lines a person reads for a token response `token`: id, username, password, expiry.
std::vector<std::pair<std::string, std::string>> token_fields(const nlohmann::json& token);

/// Creates a native token for `options.email`.
int run_tokens_create(const TokensOptions& options, const ApiFlags& flags, Context& ctx);

/// Exchanges an identity provider's token for MQTT credentials.
int run_tokens_exchange(const TokensOptions& options, const ApiFlags& flags, Context& ctx);

/// Replaces the password of token `options.id` (needs no API credential).
int run_tokens_refresh(const TokensOptions& options, const ApiFlags& flags, Context& ctx);

/// Prints the active tokens (never their passwords).
int run_tokens_list(const TokensOptions& options, const ApiFlags& flags, Context& ctx);

/// Revokes token `options.id` after confirmation.
int run_tokens_revoke(const TokensOptions& options, const ApiFlags& flags, Context& ctx);

}  // namespace cs::cli
