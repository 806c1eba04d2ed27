#pragma once
// Runs `cloudsignal dev` as a real process on free loopback ports for integration tests, and
// stops it when the test ends.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace cs::test {

class DevBroker {
 public:
  /// Starts `cloudsignal dev` with every port 0 (free), a fresh data directory (or `data_dir`),
  /// `extra_args`, HOME set to a fresh directory (where it writes its `dev` profile, never the
  /// user's ~/.cloudsignal) and `env` added to its environment; returns once dev.json names the
  /// ports. Throws if it does not start.
  explicit DevBroker(std::vector<std::string> extra_args = {"--allow-anonymous"},
                     std::string data_dir = {}, const std::map<std::string, std::string>& env = {});
  ~DevBroker();

  int mqtt_port() const { return m_mqtt_port; }
  /// The port of dev.json's api_url (the HTTP API).
  int http_port() const { return m_http_port; }
  const std::string& org_short_id() const { return m_org_short_id; }
  /// The admin sk_ key from `admin_key_file`.
  std::string admin_key() const;
  int mqtts_port() const { return m_mqtts_port; }
  int ws_port() const { return m_ws_port; }
  int wss_port() const { return m_wss_port; }
  /// dev.json's ca_file: the CA that signed the server certificate (empty when null).
  const std::string& ca_file() const { return m_ca_file; }
  const std::string& data_dir() const { return m_data_dir; }
  /// The HOME the broker runs with: its `dev` profile is in `<home>/.cloudsignal`.
  const std::string& home() const { return m_home.path(); }
  BackgroundProcess& process() { return *m_process; }

  /// Sends SIGTERM and returns the exit code (-1 if it did not exit within 10 s).
  int stop();

 private:
  TempDir m_home;
  std::unique_ptr<TempDir> m_temp;
  std::string m_data_dir;
  std::unique_ptr<BackgroundProcess> m_process;
  int m_mqtt_port = 0;
  int m_http_port = 0;
  std::string m_org_short_id;
  std::string m_admin_key_file;
  int m_mqtts_port = 0;
  int m_ws_port = 0;
  int m_wss_port = 0;
  std::string m_ca_file;
};

/// Publishes one QoS 1 message with mosquitto_pub (MQTT 5) to `broker` as `username` /
/// `password`; the exit code tells whether the broker accepted the credentials and the topic.
int mqtt_publish(const DevBroker& broker, const std::string& username, const std::string& password,
                 const std::string& topic);

/// The port of a URL such as "mqtt://127.0.0.1:1883" or "ws://127.0.0.1:80/mqtt"; 0 when there
/// is none.
int url_port(const std::string& url);

}  // namespace cs::test
