#pragma once
// `cloudsignal dev`: wires configuration, the broker core and its listeners, writes the
// runtime file scripts read, and runs until told to stop.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "devbroker/limits.h"

namespace cs::devbroker {

struct DevOptions {
  std::filesystem::path data_dir;  // where dev.json, certs/ (and later the state) live
  std::string host = "127.0.0.1";
  std::uint16_t http_port = 18080;  // the HTTP API; each port: 0 = a free port
  std::uint16_t mqtt_port = 1883;
  std::uint16_t mqtts_port = 8883;  // MQTT over TLS
  std::uint16_t ws_port = 18884;    // MQTT over WebSocket
  std::uint16_t wss_port = 18885;   // MQTT over WebSocket over TLS
  bool allow_anonymous = false;
  bool ephemeral = false;            // state in memory; dev.json and admin.key are still written
  std::filesystem::path tls_cert;    // the server certificate (chain); empty = issued by the dev CA
  std::filesystem::path tls_key;     // its key; set exactly when tls_cert is
  bool require_client_cert = false;  // on MQTTS and WSS (mutual TLS)
  std::filesystem::path client_ca;   // verifies client certificates; empty = dev CA
  std::vector<std::string> ws_allowed_origins;  // WebSocket Origin allow list; empty = any
  std::uint32_t api_rate_limit = 100;  // HTTP API requests/s per key and per address; 0 = none
  Limits limits;
};

/// What a running dev server serves, as written to `<data-dir>/dev.json`.
struct DevInfo {
  int pid = 0;
  std::string api_url;
  std::string mqtt_url;
  std::string mqtts_url;
  std::string ws_url;
  std::string wss_url;
  std::filesystem::path ca_file;         // the dev CA that signed the server certificate; empty
                                         // when --tls-cert brought another one
  std::filesystem::path client_ca_file;  // verifies client certificates; empty when not required
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

  /// Binds every listener, calls `on_ready`, writes dev.json, then serves until SIGINT,
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
