#include "cli/mqtt_client/connection.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/line_reader.h"
#include "common/crypto/random.h"
#include "devbroker/mqtt/codec.h"

namespace cs::cli::mqtt_client {
namespace {

constexpr std::string_view k_client_id_prefix = "cs-cli-";
constexpr std::size_t k_client_id_random = 8;

Result<std::string> password_from_stdin(Context& ctx) {
  std::istringstream empty;
  std::istream& in = ctx.in != nullptr ? *ctx.in : empty;
  auto line = read_line(in, k_max_password_bytes, "the password on stdin");
  if (!line) return fail(line.error());
  if (!*line) {
    return fail(ErrorCode::usage, "-P - reads the password from stdin, but stdin is empty",
                "e.g. cloudsignal sub -u USER -P - -t TOPIC < password-file");
  }
  return std::move(**line);
}

}  // namespace

void add_connection_flags(CLI::App& cmd, ConnectionOptions& o) {
  cmd.add_option("--url", o.url,
                 "Broker: mqtt://, mqtts://, ws:// or wss://HOST[:PORT][/PATH] (default "
                 "$CLOUDSIGNAL_MQTT_URL, else the signed-in account's broker, else "
                 "mqtt://127.0.0.1:1883)");
  cmd.add_option("--mqtt-version", o.mqtt_version, "MQTT version: 5 (5.0) or 3 (3.1.1)")
      ->capture_default_str()
      ->check(CLI::IsMember({3, 5}));
  cmd.add_option("-u,--username", o.username,
                 "Username (default $CLOUDSIGNAL_MQTT_USERNAME, else the signed-in account), "
                 "e.g. backend@org_xxxxxxxxxxxx");
  cmd.add_option("-P,--password", o.password,
                 "Password, key or token; '-' reads it from the first line of stdin (default "
                 "$CLOUDSIGNAL_MQTT_PASSWORD)");
  cmd.add_option("--cafile", o.ca_file,
                 "Trust the CA certificates in this PEM file for mqtts:// and wss:// (default: "
                 "the system's)");
  cmd.add_option("-i,--id", o.client_id,
                 "Client identifier (default cs-cli- and 8 random characters)");
  cmd.add_option("--keepalive", o.keepalive, "Keep-alive interval in seconds, 0 = off")
      ->capture_default_str();
}

Result<mqtt::Version> connection_version(const ConnectionOptions& o) {
  if (o.mqtt_version == 5) return mqtt::Version::v5;
  if (o.mqtt_version == 3) return mqtt::Version::v311;
  return fail(ErrorCode::usage, "--mqtt-version must be 3 (3.1.1) or 5 (5.0)");
}

Result<void> check_connection(const ConnectionOptions& o) {
  if (auto version = connection_version(o); !version) return fail(version.error());
  if (o.keepalive < 0 || o.keepalive > 65535) {
    return fail(ErrorCode::usage, "--keepalive must be from 0 to 65535 seconds");
  }
  if (!o.client_id.empty() && !mqtt::valid_utf8_string(o.client_id)) {
    return fail(ErrorCode::usage, "-i must be UTF-8 text without U+0000, at most 65535 bytes");
  }
  return {};
}

Result<ConnectSettings> resolve_connection(const ConnectionOptions& o, Context& ctx) {
  if (auto ok = check_connection(o); !ok) return fail(ok.error());
  ConnectSettings settings;
  settings.version = *connection_version(o);
  TargetFlags flags{o.url, o.username, o.password, o.ca_file};
  if (flags.password && *flags.password == "-") {
    auto password = password_from_stdin(ctx);
    if (!password) return fail(password.error());
    flags.password = std::move(*password);
  }
  auto target = resolve_target(flags, ctx.getenv, settings.version);
  if (!target) return fail(target.error());
  if (!target->ca_file.empty() && !std::ifstream(target->ca_file)) {
    return fail(ErrorCode::io,
                "cannot read --cafile " + target->ca_file + ": " + std::strerror(errno));
  }
  settings.target = std::move(*target);
  settings.client_id = o.client_id;
  if (settings.client_id.empty()) {
    settings.client_id =
        std::string(k_client_id_prefix)
            .append(crypto::random_string(crypto::k_lowercase_alnum, k_client_id_random));
  }
  settings.keepalive = static_cast<std::uint16_t>(o.keepalive);
  return settings;
}

}  // namespace cs::cli::mqtt_client
