#pragma once
// Runs real processes for integration tests: the cloudsignal binary, MQTT clients, brokers.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

/// A process running in the background while a test talks to it; killed when destroyed.
class BackgroundProcess {
 public:
  /// Starts `argv` with `env` added to the environment; stdout and stderr are collected.
  explicit BackgroundProcess(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& env = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  /// Sends `signal` to the process.
  void signal(int signal);
  /// Waits up to `timeout` for the process to exit; returns its exit code (128 + signal when
  /// killed), or nullopt if it is still running.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// Everything written to stdout / stderr so far.
  std::string out() const;
  std::string err() const;
  int pid() const { return m_pid; }

 private:
  void pump();
  int m_pid = -1;
  int m_out = -1;
  int m_err = -1;
  std::optional<int> m_status;
  mutable std::mutex m_mutex;
  std::string m_out_text;
  std::string m_err_text;
  std::thread m_reader;
  std::atomic<bool> m_stop{false};
};

/// The path of the built cloudsignal binary (set by CMake).
std::string cloudsignal_binary();

/// A fresh directory under the system temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

/// Reads the whole file at `path`; empty when it does not exist.
std::string read_file(const std::string& path);

}  // namespace cs::test
