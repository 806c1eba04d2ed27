#include "devbroker/dev_server.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "common/fs/atomic_file.h"
#include "common/log.h"
#include "common/version.h"
#include "devbroker/mqtt/authorizer.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/net/broker_host.h"

namespace cs::devbroker {

namespace asio = boost::asio;

struct DevServer::State {
  asio::io_context io{1};
  std::function<void()> shut_down;  // set while run() serves; used on the loop thread only
};

DevServer::DevServer(DevOptions options)
    : m_options(std::move(options)), m_state(std::make_unique<State>()) {}

DevServer::~DevServer() = default;

std::string dev_json(const DevInfo& info) {
  nlohmann::json j = {{"pid", info.pid}, {"mqtt_url", info.mqtt_url}};
  return j.dump(2) + "\n";
}

namespace {

std::string url_host(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

Result<void> DevServer::run(const std::function<void(const DevInfo&)>& on_ready) {
  if (auto ok = validate(m_options.limits); !ok) return ok;
  if (auto ok = fs::make_private_dir(m_options.data_dir); !ok) return ok;

  auto& io = m_state->io;
  mqtt::AnonymousAuthorizer authorizer(m_options.allow_anonymous);
  mqtt::BrokerOptions broker_options{m_options.limits, std::chrono::seconds(5), k_version};
  mqtt::Broker broker(broker_options, authorizer, mqtt::Clock::now());
  net::BrokerHost host(io, broker);

  auto mqtt_port = host.listen_tcp(m_options.host, m_options.mqtt_port);
  if (!mqtt_port) return fail(mqtt_port.error());
  host.start();

  DevInfo info;
  info.pid = static_cast<int>(::getpid());
  info.mqtt_url = "mqtt://" + url_host(m_options.host) + ":" + std::to_string(*mqtt_port);
  info.runtime_file = m_options.data_dir / "dev.json";
  if (auto ok = fs::write_file_atomic(info.runtime_file, dev_json(info)); !ok) return ok;

  bool stopping = false;
  auto shut_down = [&] {
    if (stopping) return;
    stopping = true;
    log::info("stopping");
    host.stop([&io] { io.stop(); });
  };
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) shut_down();
  });
  m_state->shut_down = shut_down;

  on_ready(info);
  io.run();
  m_state->shut_down = nullptr;

  std::error_code ignored;
  std::filesystem::remove(info.runtime_file, ignored);
  return {};
}

void DevServer::stop() {
  asio::post(m_state->io, [state = m_state.get()] {
    if (state->shut_down) state->shut_down();
  });
}

}  // namespace cs::devbroker
