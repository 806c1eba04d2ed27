#pragma once
// `cloudsignal login`, `logout`, `whoami` and `auth token`: signing in to an API, seeing who is
// signed in, and handing scripts a valid token. Profiles and sessions are in cli/session.h.

#include <CLI/CLI.hpp>

#include "cli/api_target.h"
#include "cli/command.h"

namespace cs::cli {

/// The most `login --with-token` reads from stdin.
inline constexpr std::size_t k_max_token_input = 16 * 1024;

struct LoginOptions {
  bool with_token = false;
  bool no_browser = false;  // print the sign-in URL without opening a browser
};

struct LogoutOptions {
  bool all = false;
};

struct WhoamiOptions {
  bool json = false;
};

/// Registers login, logout, whoami and auth on `app`, reading the shared `flags`; on selection,
/// sets `action`.
void add_auth(CLI::App& app, const ApiFlags& flags, Context& ctx, Action& action);

/// Signs in with what `options` and `flags` say; returns the exit code.
int run_login(const LoginOptions& options, const ApiFlags& flags, Context& ctx);

/// Signs out of the profile `flags` names, or of every profile; returns the exit code.
int run_logout(const LogoutOptions& options, const ApiFlags& flags, Context& ctx);

/// Shows who the resolved credential belongs to; returns the exit code.
int run_whoami(const WhoamiOptions& options, const ApiFlags& flags, Context& ctx);

/// Prints the resolved credential (refreshing a session first); returns the exit code.
int run_auth_token(const ApiFlags& flags, Context& ctx);

}  // namespace cs::cli
