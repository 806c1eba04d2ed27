#include "cli/mqtt_client/target.h"

namespace cs::cli::mqtt_client {
namespace {

std::optional<std::string> from_env(const Getenv& getenv, std::string_view name) {
  auto value = getenv(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace

Result<MqttTarget> resolve_target(const TargetFlags& flags, const Getenv& getenv,
                                  mqtt::Version version) {
  MqttTarget target;
  std::string source = "--url";
  std::optional<std::string> url_text = flags.url;
  if (!url_text) {
    url_text = from_env(getenv, k_url_env);
    source = k_url_env;
  }
  if (!url_text) url_text = std::string(k_default_url);
  auto url = parse_mqtt_url(*url_text);
  if (!url) {
    Error error = url.error();
    error.message.insert(0, source + ": ");
    return fail(std::move(error));
  }
  target.url = std::move(*url);

  target.username = flags.username ? flags.username : from_env(getenv, k_username_env);
  target.password = flags.password ? flags.password : from_env(getenv, k_password_env);
  if (target.password && !target.username && version == mqtt::Version::v311) {
    return fail(ErrorCode::usage, "MQTT 3.1.1 sends a password only with a username",
                "add -u USERNAME, or use --mqtt-version 5");
  }
  if (!flags.ca_file.empty() && !target.url.tls()) {
    std::string message = "--cafile needs a TLS URL (mqtts:// or wss://), not ";
    message.append(target.url.text());
    return fail(ErrorCode::usage, std::move(message));
  }
  target.ca_file = flags.ca_file;
  return target;
}

}  // namespace cs::cli::mqtt_client
