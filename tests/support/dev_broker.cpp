#include "tests/support/dev_broker.h"

#include <csignal>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

namespace cs::test {

int url_port(const std::string& url) {
  const auto colon = url.rfind(':');
  if (colon == std::string::npos || colon + 1 >= url.size()) return 0;
  try {
    return std::stoi(url.substr(colon + 1));
  } catch (...) {
    return 0;
  }
}

DevBroker::DevBroker(std::vector<std::string> extra_args, std::string data_dir,
                     const std::map<std::string, std::string>& env) {
  if (data_dir.empty()) {
    m_temp = std::make_unique<TempDir>();
    data_dir = m_temp->path();
  }
  m_data_dir = data_dir;
  std::vector<std::string> argv = {cloudsignal_binary(), "dev",     "--http-port",  "0",
                                   "--mqtt-port",        "0",       "--mqtts-port", "0",
                                   "--ws-port",          "0",       "--wss-port",   "0",
                                   "--data-dir",         m_data_dir};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::map<std::string, std::string> environment = {{"HOME", m_home.path()}};
  for (const auto& [name, value] : env) environment[name] = value;
  m_process = std::make_unique<BackgroundProcess>(argv, environment);

  const std::string runtime = m_data_dir + "/dev.json";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (m_process->wait(std::chrono::milliseconds(0))) {
      throw std::runtime_error("cloudsignal dev exited early: " + m_process->err());
    }
    const std::string text = read_file(runtime);
    if (!text.empty()) {
      const auto j = nlohmann::json::parse(text, nullptr, false);
      if (!j.is_discarded() && j.contains("mqtt_url") && j.value("pid", 0) == m_process->pid()) {
        m_mqtt_port = url_port(j["mqtt_url"].get<std::string>());
        m_http_port = url_port(j.value("api_url", ""));
        m_org_short_id = j.value("org_short_id", "");
        m_admin_key_file = j.value("admin_key_file", "");
        m_mqtts_port = url_port(j.value("mqtts_url", ""));
        m_ws_port = url_port(j.value("ws_url", ""));
        m_wss_port = url_port(j.value("wss_url", ""));
        if (j.contains("ca_file") && j["ca_file"].is_string()) m_ca_file = j["ca_file"];
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("cloudsignal dev did not write dev.json: " + m_process->err());
}

DevBroker::~DevBroker() {
  if (m_process && !m_process->wait(std::chrono::milliseconds(0))) stop();
}

std::string DevBroker::admin_key() const {
  std::string key = read_file(m_admin_key_file);
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
}

int mqtt_publish(const DevBroker& broker, const std::string& username, const std::string& password,
                 const std::string& topic) {
  return run_process(
             {"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(broker.mqtt_port()), "-V",
              "5", "-u", username, "-P", password, "-t", topic, "-m", "hi", "-q", "1"},
             std::chrono::seconds(10))
      .exit_code;
}

int DevBroker::stop() {
  m_process->signal(SIGTERM);
  return m_process->wait(std::chrono::seconds(10)).value_or(-1);
}

}  // namespace cs::test
