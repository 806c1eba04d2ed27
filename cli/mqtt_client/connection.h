#pragma once
// The connection flags `pub` and `sub` share, and their resolution into ConnectSettings.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "cli/context.h"
#include "cli/mqtt_client/client.h"
#include "common/result.h"

namespace cs::cli::mqtt_client {

/// The longest password `-P -` reads from stdin (MQTT's limit on the field).
inline constexpr std::size_t k_max_password_bytes = 65535;

struct ConnectionOptions {
  std::optional<std::string> url;       // else CLOUDSIGNAL_MQTT_URL, else k_default_url
  std::optional<std::string> username;  // else CLOUDSIGNAL_MQTT_USERNAME
  std::optional<std::string> password;  // "-" = stdin's first line; else CLOUDSIGNAL_MQTT_PASSWORD
  std::string ca_file;
  int mqtt_version = 5;
  std::string client_id;  // empty = "cs-cli-" and 8 random characters
  int keepalive = 60;
};

/// Registers --url, --mqtt-version, -u, -P, --cafile, -i and --keepalive on `cmd`.
void add_connection_flags(CLI::App& cmd, ConnectionOptions& options);

/// The MQTT version `options` asks for; a usage error unless it is 3 or 5.
Result<mqtt::Version> connection_version(const ConnectionOptions& options);

/// Checks `options` without touching the outside world: version, keep-alive, client identifier.
Result<void> check_connection(const ConnectionOptions& options);

/// Resolves `options` into what to connect with: reads the password from `ctx.in` for `-P -`,
/// falls back to `ctx.getenv`, checks that --cafile can be read, and picks a random client
/// identifier when none was given.
Result<ConnectSettings> resolve_connection(const ConnectionOptions& options, Context& ctx);

}  // namespace cs::cli::mqtt_client
