#pragma once
// `cloudsignal bench`: a load generator for MQTT brokers (publishers, subscribers, idle
// connections) that reports throughput, loss, end-to-end latency and connection rate.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "cli/bench/workload.h"
#include "cli/command.h"
#include "common/result.h"

namespace cs::cli {

struct BenchCommandOptions {
  std::string url;      // empty = mqtt://host:port
  std::string ca_file;  // for mqtts:// and wss:// URLs; empty = the system's trust store
  std::string host = "127.0.0.1";
  std::uint16_t port = 1883;
  bool host_or_port_given = false;
  int mqtt_version = 3;
  std::optional<std::string> username;
  std::optional<std::string> password;

  std::size_t publishers = 1;
  std::size_t subscribers = 1;
  bool publishers_or_subscribers_given = false;
  double rate = 0;
  std::size_t size = 100;
  int qos = 0;
  double duration = 10;  // seconds
  std::string topic = "cloudsignal/bench/%i";
  std::size_t window = 64;

  std::size_t connections = 0;
  bool idle = false;

  std::size_t threads = 1;
  bool json = false;
};

/// Registers `bench` and its flags on `app`; on selection, sets `action` to run it.
void add_bench(CLI::App& app, Context& ctx, Action& action);

/// Checks `options` and resolves them into the load to generate; a usage error names the first
/// flag that is wrong.
Result<bench::Workload> make_workload(const BenchCommandOptions& options);

/// Runs the benchmark described by `options`; the result goes to stdout, progress to stderr.
/// Returns the exit code.
int run_bench(const BenchCommandOptions& options, Context& ctx);

}  // namespace cs::cli
