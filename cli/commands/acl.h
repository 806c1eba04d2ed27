#pragma once
// `cloudsignal acl list|add|remove|check`: the organization's access-list rules.

#include <CLI/CLI.hpp>
#include <string>

#include "cli/api_target.h"
#include "cli/command.h"

namespace cs::cli {

struct AclOptions {
  std::string id;
  std::string user_pattern;
  std::string topic;
  std::string permission;
  bool deny = false;
  std::string username;
  std::string client_id;
  std::string action;
  bool json = false;
  bool yes = false;
};

/// Exit code of `acl check` when the rule set denies the access (0 when it allows it).
inline constexpr int k_acl_denied_exit_code = 1;

/// Registers `acl` and its subcommands on `app`; on selection, sets `action`.
void add_acl(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags);

/// Prints every rule as a table, or the API's listing with `options.json`.
int run_acl_list(const AclOptions& options, const ApiFlags& flags, Context& ctx);

/// Adds a rule; prints its id on stdout (the created rule with `options.json`).
int run_acl_add(const AclOptions& options, const ApiFlags& flags, Context& ctx);

/// Deletes rule `options.id` after confirmation.
int run_acl_remove(const AclOptions& options, const ApiFlags& flags, Context& ctx);

/// Asks whether a user may publish or subscribe to a topic: prints "allowed" or "denied" (the
/// API's answer with `options.json`) and returns 0 or k_acl_denied_exit_code.
int run_acl_check(const AclOptions& options, const ApiFlags& flags, Context& ctx);

}  // namespace cs::cli
