#pragma once
// What the management commands (providers, acl, users, keys, tokens) share: a connection to
// the API, secrets read from stdin, confirmation of destructive commands, complete listings and
// the output of their results.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/api_target.h"
#include "cli/command.h"
#include "cli/context.h"
#include "common/http/client.h"
#include "common/result.h"

namespace cs::cli {

/// A secret read from stdin is at most this long (passwords, JWTs, key material).
inline constexpr std::size_t k_max_stdin_secret_bytes = 64 * 1024;
/// A listing follows `next_cursor` at most this many times.
inline constexpr int k_max_list_pages = 100;

/// An API client with the credential it sends.
struct ApiSession {
  http::Client client;
  std::optional<std::string> bearer;

  /// Sends `body` (if any) as JSON with `method` to `target` with the session's credential.
  Result<nlohmann::json> call(std::string_view method, std::string_view target,
                              const std::optional<nlohmann::json>& body = std::nullopt) const;
};

/// A session for the target `flags` and the environment name; unauthorized when there is no
/// credential.
Result<ApiSession> open_session(const ApiFlags& flags, Context& ctx);

/// Like open_session, but without a credential when none is configured (routes that need none).
Result<ApiSession> open_session_without_credential(const ApiFlags& flags, Context& ctx);

/// Every item of the listing at `path` (an array under `field`), following `next_cursor`.
Result<nlohmann::json> list_all(const ApiSession& session, const std::string& path,
                                const std::string& field);

/// `path` with `segment` percent-encoded and appended after a '/'.
std::string path_with(std::string_view path, std::string_view segment);

/// The secret `value` of `flag`: "-" reads one line from stdin; any other value is refused so
/// that secrets stay out of argv (and shell history).
Result<std::string> secret_from_flag(const std::string& value, std::string_view flag, Context& ctx);

/// The first line of stdin without its line ending; usage error when empty or too long.
Result<std::string> read_stdin_line(Context& ctx, std::string_view what);

/// Asks "`question` [y/N]" on a terminal unless `yes`; without a terminal requires `yes`.
Result<void> confirm(Context& ctx, bool yes, std::string_view question);

/// Asks "`question` [y/N]" (see confirm), sends DELETE `path` to the API `flags` name, and says
/// `done` on success (see Context::status); returns the exit code.
int delete_confirmed(const ApiFlags& flags, Context& ctx, bool yes, const std::string& question,
                     const std::string& path, const std::string& done);

/// A token given as `value`, or read as the first line of stdin when `value` is "-".
Result<std::string> token_argument(const std::string& value, Context& ctx);

/// Adds `--json` to `command`, bound to `json`.
void add_json_flag(CLI::App& command, bool& json);

/// Adds `--yes` / `-y` to `command`, bound to `yes`.
void add_yes_flag(CLI::App& command, bool& yes);

/// Adds a management noun `name` to `app`: its subcommands are required and the top-level
/// API flags are accepted after them.
CLI::App* add_noun(CLI::App& app, const std::string& name, const std::string& description);

/// Writes `value` as JSON to stdout and returns 0.
int print_json(Context& ctx, const nlohmann::json& value);

/// Reports `result`'s error (returning its exit code), or 0 when it holds a value.
template <typename T>
int exit_status(const Result<T>& result, Context& ctx) {
  return result ? 0 : report_error(result.error(), ctx);
}

}  // namespace cs::cli
