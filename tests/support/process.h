#pragma once
// Runs real processes for integration tests: the cloudsignal binary, MQTT clients, brokers.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cs::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed for exceeding the timeout
  std::string out;
  std::string err;
};

/// Runs `argv` to completion with `input` on stdin, capturing stdout and stderr; kills it after
/// `timeout`. `env` entries are added to (or replace) the inherited environment.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::string& input = {},
                          const std::map<std::string, std::string>& env = {});

/// The path of the built cloudsignal binary (set by CMake).
std::string cloudsignal_binary();

}  // namespace cs::test
