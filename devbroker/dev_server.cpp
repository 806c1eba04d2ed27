#include "devbroker/dev_server.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "common/fs/atomic_file.h"
#include "common/log.h"
#include "common/version.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/auth/service_authorizer.h"
#include "devbroker/mqtt/authorizer.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/net/broker_host.h"
#include "devbroker/store/store.h"

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
  nlohmann::json j = {{"pid", info.pid},
                      {"mqtt_url", info.mqtt_url},
                      {"admin_key_file", info.admin_key_file.string()},
                      {"org_id", info.org_id},
                      {"org_short_id", info.org_short_id}};
  return j.dump(2) + "\n";
}

namespace {

constexpr auto k_sweep_interval = std::chrono::milliseconds(500);

SysSeconds wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// On first start (and on every --ephemeral start) the organization gets a full-access key, kept
// in `path` (0600) so that the local CLI and scripts work at once. It is never printed.
Result<void> ensure_admin_key(auth::AuthService& auth, bool first_start,
                              const std::filesystem::path& path) {
  std::error_code ec;
  if (!first_start) {
    if (!std::filesystem::exists(path, ec)) {
      log::warn("the admin key file " + path.string() +
                " is missing; create a key with the API or start with a new --data-dir");
    }
    return {};
  }
  auto key = auth.create_key("admin", auth::KeyType::secret, {}, {}, wall_now());
  if (!key) return fail(key.error());
  return fs::write_file_atomic(path, key->secret + "\n", 0600);
}

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
  auto store = store::open_store(
      m_options.data_dir, m_options.ephemeral ? store::Ephemeral::yes : store::Ephemeral::no);
  if (!store) return fail(store.error());
  auto boot = store->bootstrap(wall_now());
  if (!boot) return fail(boot.error());

  auth::AuthOptions auth_options;
  auth_options.allow_anonymous = m_options.allow_anonymous;
  auth_options.topic_limits = {m_options.limits.max_topic_length,
                               m_options.limits.max_topic_levels};
  auth::AuthService auth(*store, boot->org, auth_options);
  if (auto ok = auth.load(); !ok) return ok;
  const auto admin_key_file = m_options.data_dir / "admin.key";
  if (auto ok = ensure_admin_key(auth, boot->created || m_options.ephemeral, admin_key_file); !ok) {
    return ok;
  }

  // Decisions and revocations arrive from other threads; the loop alone touches the broker.
  struct Loop {
    mqtt::Broker* broker = nullptr;
    net::BrokerHost* host = nullptr;
  } loop;
  auth::ServiceAuthorizer authorizer(
      auth, wall_now, [&io, &loop](mqtt::ConnectionId id, mqtt::AuthDecision d) {
        asio::post(io, [&loop, id, d = std::move(d)]() mutable {
          loop.broker->on_auth_result(id, std::move(d), mqtt::Clock::now());
          loop.host->flush();
        });
      });
  auth.set_revoke_hook([&io, &loop](const std::string& credential, mqtt::ReasonCode reason) {
    asio::post(io, [&loop, credential, reason] {
      loop.broker->disconnect_if(
          [&](const mqtt::Identity& i) { return i.credential_id == credential; }, reason,
          mqtt::Clock::now());
      loop.host->flush();
    });
  });
  mqtt::BrokerOptions broker_options{m_options.limits, std::chrono::seconds(5), k_version};
  mqtt::Broker broker(broker_options, authorizer, mqtt::Clock::now());
  net::BrokerHost host(io, broker);
  loop = {&broker, &host};

  auto mqtt_port = host.listen_tcp(m_options.host, m_options.mqtt_port);
  if (!mqtt_port) return fail(mqtt_port.error());
  host.start();

  // Expired tokens end their sessions within a second.
  asio::steady_timer sweeper(io);
  std::function<void()> sweep = [&] {
    auth.sweep(wall_now());
    sweeper.expires_after(k_sweep_interval);
    sweeper.async_wait([&](boost::system::error_code ec) {
      if (!ec) sweep();
    });
  };
  sweep();

  DevInfo info;
  info.pid = static_cast<int>(::getpid());
  info.mqtt_url = "mqtt://" + url_host(m_options.host) + ":" + std::to_string(*mqtt_port);
  info.runtime_file = m_options.data_dir / "dev.json";
  info.admin_key_file = admin_key_file;
  info.org_id = boot->org.id;
  info.org_short_id = boot->org.short_id;
  info.admin_key_created = boot->created || m_options.ephemeral;
  if (auto ok = fs::write_file_atomic(info.runtime_file, dev_json(info)); !ok) return ok;

  bool stopping = false;
  auto shut_down = [&] {
    if (stopping) return;
    stopping = true;
    log::info("stopping");
    sweeper.cancel();
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
