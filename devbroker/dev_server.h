#pragma once
// `cloudsignal dev`: wires configuration, the broker core and its listeners, writes the
// runtime file scripts read, and runs until told to stop.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "devbroker/limits.h"

namespace cs::devbroker {

struct DevOptions {
  std::filesystem::path data_dir;  // where dev.json (and later the state) lives
  std::string host = "127.0.0.1";
  std::uint16_t mqtt_port = 1883;  // 0 = a free port
  bool allow_anonymous = false;
  bool ephemeral = false;  // state in memory; dev.json and admin.key are still written
  Limits limits;
};

/// What a running dev server serves, as written to `<data-dir>/dev.json`.
struct DevInfo {
  int pid = 0;
  std::string mqtt_url;
  std::filesystem::path runtime_file;
  std::filesystem::path admin_key_file;
  std::string org_id;
  std::string org_short_id;
  bool admin_key_created = false;  // this start created the admin key
};

class DevServer {
 public:
  explicit DevServer(DevOptions options);
  ~DevServer();

  /// Binds every listener, writes dev.json, calls `on_ready`, then serves until SIGINT,
  /// SIGTERM or stop(); removes dev.json on the way out.
  Result<void> run(const std::function<void(const DevInfo&)>& on_ready);

  /// Asks a running server to stop; safe from any thread.
  void stop();

 private:
  struct State;
  DevOptions m_options;
  std::unique_ptr<State> m_state;
};

/// The JSON text of dev.json for `info`.
std::string dev_json(const DevInfo& info);

}  // namespace cs::devbroker
