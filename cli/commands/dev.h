#pragma once
// `cloudsignal dev`: the local development broker, in-process.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/result.h"

namespace cs::cli {

struct DevCommandOptions {
  std::string data_dir;  // empty = ~/.cloudsignal/dev
  std::string host = "127.0.0.1";
  std::uint16_t http_port = 18080;
  std::uint16_t mqtt_port = 1883;
  std::uint16_t mqtts_port = 8883;
  std::uint16_t ws_port = 18884;
  std::uint16_t wss_port = 18885;
  bool allow_anonymous = false;
  bool ephemeral = false;
  std::string tls_cert;  // empty = a certificate from the dev CA
  std::string tls_key;
  bool require_client_cert = false;
  std::string client_ca;  // empty = the dev CA
  std::vector<std::string> ws_allowed_origins;
  std::uint32_t api_rate_limit = 100;  // requests/s per key and per address; 0 = no limit
  std::string log_level = "info";
};

/// Registers `dev`, its flags and its subcommands on `app`; on selection, sets `action`.
void add_dev(CLI::App& app, Context& ctx, Action& action);

/// Runs the dev broker with `options` until SIGINT/SIGTERM; returns the exit code.
int run_dev(const DevCommandOptions& options, Context& ctx);

/// The data directory `flag` names, or ~/.cloudsignal/dev when it is empty.
Result<std::filesystem::path> dev_data_dir(const std::string& flag, Context& ctx);

}  // namespace cs::cli
