#pragma once
// `cloudsignal pub` and `cloudsignal sub`: publish and subscribe from a terminal or a script,
// over mqtt, mqtts, ws and wss, MQTT 3.1.1 and 5.0.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/api_target.h"
#include "cli/command.h"
#include "cli/mqtt_client/client.h"
#include "cli/mqtt_client/connection.h"
#include "common/result.h"

namespace cs::cli {

/// The largest payload `pub` sends: MQTT's packet limit less room for the topic and properties.
inline constexpr std::size_t k_max_payload_bytes = 268'435'455 - 131'072;
/// At most this many -t filters in one `sub`.
inline constexpr std::size_t k_max_filters = 64;
/// The longest -W: a week.
inline constexpr double k_max_wait_seconds = 7 * 24 * 3600;

struct PubCommandOptions {
  mqtt_client::ConnectionOptions connection;
  ApiFlags api;  // whose credentials to use when the connection names none
  std::string topic;
  std::optional<std::string> message;  // -m
  std::string file;                    // -f
  bool lines = false;                  // -l
  bool null_message = false;           // -n
  int qos = 0;
  bool retain = false;
  std::vector<std::string> user_properties;  // KEY=VALUE
};

enum class PayloadSource { message, file, lines };

/// What `pub` will do, checked.
struct PubPlan {
  PayloadSource source = PayloadSource::message;
  mqtt_client::OutgoingMessage message;  // the payload is set for PayloadSource::message
  std::string file;
};

struct SubCommandOptions {
  mqtt_client::ConnectionOptions connection;
  ApiFlags api;  // whose credentials to use when the connection names none
  std::vector<std::string> filters;
  int qos = 0;
  std::optional<std::size_t> count;  // -C
  std::optional<double> wait;        // -W, seconds
  bool json = false;
};

/// What `sub` will do, checked.
struct SubPlan {
  std::vector<std::string> filters;
  int qos = 0;
  std::optional<std::size_t> count;
  std::optional<std::chrono::milliseconds> wait;
  bool json = false;
};

/// Registers `pub` and its flags on `app`; on selection, sets `action` to run it over Paho with
/// the top-level API flags `api`.
void add_pub(CLI::App& app, Context& ctx, Action& action, const ApiFlags& api);

/// Registers `sub` and its flags on `app`; on selection, sets `action` to run it over Paho with
/// the top-level API flags `api`.
void add_sub(CLI::App& app, Context& ctx, Action& action, const ApiFlags& api);

/// Checks `options` (no I/O); a usage error names the first flag that is wrong.
Result<PubPlan> make_pub_plan(const PubCommandOptions& options);

/// Checks `options` (no I/O); a usage error names the first flag that is wrong.
Result<SubPlan> make_sub_plan(const SubCommandOptions& options);

/// Publishes as `options` say through `client`; returns the exit code.
int run_pub(const PubCommandOptions& options, Context& ctx, mqtt_client::MqttClient& client);

/// Subscribes as `options` say through `client` and prints each message to `ctx.out` until -C,
/// -W or an interrupt; returns the exit code.
int run_sub(const SubCommandOptions& options, Context& ctx, mqtt_client::MqttClient& client);

}  // namespace cs::cli
