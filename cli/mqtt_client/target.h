#pragma once
// Which broker `pub` and `sub` talk to and as whom, resolved from flags, then the environment,
// then the default. Profiles will slot in between the environment and the default.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cli/mqtt_client/url.h"
#include "common/result.h"
#include "devbroker/mqtt/packet.h"

namespace cs::cli::mqtt_client {

inline constexpr std::string_view k_default_url = "mqtt://127.0.0.1:1883";
inline constexpr std::string_view k_url_env = "CLOUDSIGNAL_MQTT_URL";
inline constexpr std::string_view k_username_env = "CLOUDSIGNAL_MQTT_USERNAME";
inline constexpr std::string_view k_password_env = "CLOUDSIGNAL_MQTT_PASSWORD";

/// The broker and credentials of one connection, fully resolved.
struct MqttTarget {
  MqttUrl url;
  std::optional<std::string> username;
  std::optional<std::string> password;  // a secret: never printed
  std::string ca_file;                  // empty = the system's trusted CAs
};

/// What the command line said; unset fields fall through to the environment.
struct TargetFlags {
  std::optional<std::string> url;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string ca_file;
};

using Getenv = std::function<std::optional<std::string>(std::string_view)>;

/// Resolves `flags` over `getenv` (an empty variable counts as unset) and k_default_url, for
/// MQTT `version`; usage errors for a bad URL (naming where it came from), a CA file on a
/// plain-text URL, and a password without a username under MQTT 3.1.1.
Result<MqttTarget> resolve_target(const TargetFlags& flags, const Getenv& getenv,
                                  mqtt::Version version);

}  // namespace cs::cli::mqtt_client
