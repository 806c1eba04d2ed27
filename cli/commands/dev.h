#pragma once
// `cloudsignal dev`: the local development broker, in-process.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "cli/command.h"

namespace cs::cli {

struct DevCommandOptions {
  std::string data_dir;  // empty = ~/.cloudsignal/dev
  std::string host = "127.0.0.1";
  std::uint16_t mqtt_port = 1883;
  bool allow_anonymous = false;
  bool ephemeral = false;
  std::string log_level = "info";
};

/// Registers `dev` and its flags on `app`; on selection, sets `action` to run it.
void add_dev(CLI::App& app, Context& ctx, Action& action);

/// Runs the dev broker with `options` until SIGINT/SIGTERM; returns the exit code.
int run_dev(const DevCommandOptions& options, Context& ctx);

}  // namespace cs::cli
