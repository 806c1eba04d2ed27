#include "devbroker/dev_server.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/fs/atomic_file.h"
#include "common/log.h"
#include "common/version.h"
#include "devbroker/api/api_server.h"
#include "devbroker/api/routes.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/auth/provider_service.h"
#include "devbroker/auth/service_authorizer.h"
#include "devbroker/certs/dev_ca.h"
#include "devbroker/mqtt/authorizer.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/net/broker_host.h"
#include "devbroker/net/tls_renewal.h"
#include "devbroker/net/tls_stream.h"
#include "devbroker/net/ws_stream.h"
#include "devbroker/store/broker_persistence.h"
#include "devbroker/store/broker_restore.h"
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
  const auto path_or_null = [](const std::filesystem::path& path) {
    return path.empty() ? nlohmann::json(nullptr) : nlohmann::json(path.string());
  };
  nlohmann::json j = {{"pid", info.pid},
                      {"api_url", info.api_url},
                      {"mqtt_url", info.mqtt_url},
                      {"mqtts_url", info.mqtts_url},
                      {"ws_url", info.ws_url},
                      {"wss_url", info.wss_url},
                      {"ca_file", path_or_null(info.ca_file)},
                      {"admin_key_file", info.admin_key_file.string()},
                      {"org_id", info.org_id},
                      {"org_short_id", info.org_short_id}};
  return j.dump(2) + "\n";
}

namespace {

constexpr auto k_sweep_interval = std::chrono::milliseconds(500);
// How often the dev server certificate is checked; it is renewed certs::k_renew_before its end.
constexpr auto k_certificate_check_interval = std::chrono::hours(1);

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

std::string url(std::string_view scheme, const std::string& host, std::uint16_t port,
                std::string_view path = {}) {
  std::string out(scheme);
  out.append("://").append(url_host(host)).append(":").append(std::to_string(port)).append(path);
  return out;
}

// The names the dev server certificate covers: the loopback names, and `host` when it is a
// specific address clients may use.
std::vector<std::string> server_names(const std::string& host) {
  std::vector<std::string> names = {"localhost", "127.0.0.1", "::1"};
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec && !address.is_unspecified() && !address.is_loopback()) names.push_back(host);
  return names;
}

struct TlsSetup {
  net::TlsContextPtr context;
  net::TlsSettings settings;     // the files `context` was made from
  bool dev_certificate = false;  // issued by the dev CA, so renewed while running
  std::filesystem::path ca_file;
  std::filesystem::path client_ca_file;
};

// Certificates first (the dev CA and its server certificate, made or renewed as needed, unless
// the user brought a certificate), then the one TLS context MQTTS and WSS share.
Result<TlsSetup> prepare_tls(const DevOptions& options) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return fail(ErrorCode::usage, "--tls-cert and --tls-key go together");
  }
  const auto now = std::chrono::system_clock::now();
  const auto certs_dir = options.data_dir / "certs";
  const auto files = certs::dev_certificate_files(certs_dir);
  const bool own_cert = !options.tls_cert.empty();
  const bool dev_ca_verifies = options.require_client_cert && options.client_ca.empty();
  TlsSetup setup;
  net::TlsSettings tls{options.tls_cert, options.tls_key, std::nullopt};
  if (!own_cert || dev_ca_verifies) {
    certs::FileOutcome outcome = certs::FileOutcome::reused;
    auto ca = certs::ensure_dev_ca(certs_dir, now, &outcome);
    if (!ca) return fail(ca.error());
    if (outcome == certs::FileOutcome::created) {
      log::info("created a local CA for TLS: " + files.ca_cert.string());
    }
    if (!own_cert) {
      auto server =
          certs::ensure_server_certificate(certs_dir, *ca, server_names(options.host), now);
      if (!server) return fail(server.error());
      if (*server == certs::FileOutcome::renewed) {
        log::info("issued a new server certificate: " + files.server_cert.string());
      }
      tls.certificate_file = files.server_cert;
      tls.key_file = files.server_key;
      setup.ca_file = files.ca_cert;
      setup.dev_certificate = true;
    }
  }
  if (options.require_client_cert) {
    setup.client_ca_file = dev_ca_verifies ? files.ca_cert : options.client_ca;
    tls.client_ca_file = setup.client_ca_file;
  }
  auto context = net::make_server_tls_context(tls);
  if (!context) return fail(context.error());
  setup.context = std::move(*context);
  setup.settings = std::move(tls);
  return setup;
}

Result<std::vector<std::string>> normalized_origins(const std::vector<std::string>& origins) {
  std::vector<std::string> out;
  for (const auto& origin : origins) {
    auto normalized = net::normalize_origin(origin);
    if (!normalized) {
      return fail(ErrorCode::usage, "--ws-allowed-origin: " + normalized.error().message);
    }
    out.push_back(std::move(*normalized));
  }
  return out;
}

// The listener's error, with a hint naming the flag that sets its port.
Result<std::uint16_t> with_port_hint(Result<std::uint16_t> bound, std::string_view flag) {
  if (bound) return bound;
  Error error = bound.error();
  if (error.code == ErrorCode::unavailable) {
    error.hint = "choose another ";
    error.hint.append(flag).append(", or 0 for a free one");
  }
  return fail(std::move(error));
}

// Messages from the HTTP API reach the broker on its own loop; `done` runs there once routed
// and durable.
api::Publisher make_publisher(asio::io_context& io, mqtt::Broker*& broker, net::BrokerHost*& host) {
  return
      [&io, &broker, &host](api::PublishCommand command, std::function<void(Result<void>)> done) {
        asio::post(io, [&broker, &host, command = std::move(command), done = std::move(done)] {
          mqtt::Message message;
          message.topic = std::move(command.topic);
          message.payload.assign(command.payload.begin(), command.payload.end());
          message.qos = static_cast<mqtt::QoS>(command.qos);
          message.retain = command.retain;
          // Answered like a PUBACK: once what the message left in the store has committed.
          broker->publish(std::move(message), mqtt::Clock::now(), [done](bool saved) {
            if (saved) return done({});
            done(fail(ErrorCode::unavailable, "the broker could not save the message"));
          });
          host->flush();
        });
      };
}

}  // namespace

Result<void> DevServer::run(const std::function<void(const DevInfo&)>& on_ready) {
  if (auto ok = validate(m_options.limits); !ok) return ok;
  auto origins = normalized_origins(m_options.ws_allowed_origins);
  if (!origins) return fail(origins.error());
  if (auto ok = fs::make_private_dir(m_options.data_dir); !ok) return ok;
  auto tls = prepare_tls(m_options);
  if (!tls) return fail(tls.error());

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
    store::BrokerPersistence* persistence = nullptr;
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
  // Retained messages and persistent sessions commit on the store's writer thread; what waited
  // for a commit is released on the loop.
  auto persistence = store::BrokerPersistence::open(*store, wall_now, [&io, &loop] {
    asio::post(io, [&loop] {
      loop.broker->on_persisted(loop.persistence->take_progress(), mqtt::Clock::now());
      loop.host->flush();
    });
  });
  if (!persistence) return fail(persistence.error());
  mqtt::BrokerOptions broker_options{m_options.limits, std::chrono::seconds(5), k_version};
  mqtt::Broker broker(broker_options, authorizer, mqtt::Clock::now(), persistence->get());
  auto restored = store::restore_broker_state(*store, broker, auth_options.topic_limits, wall_now(),
                                              mqtt::Clock::now());
  if (!restored) return fail(restored.error());
  net::BrokerHost host(io, broker);
  loop = {&broker, &host, persistence->get()};

  const auto& address = m_options.host;
  auto ws_settings = std::make_shared<const net::WsSettings>(net::WsSettings{
      m_options.limits.max_packet_size + net::k_ws_message_slack, net::WsPolicy{*origins}});
  // MQTTS and WSS share one context, replaced when the dev server certificate is renewed.
  net::TlsContextHolder tls_context(tls->context);
  net::TlsRenewal renewal(io,
                          {m_options.data_dir / "certs", server_names(address), tls->settings,
                           k_certificate_check_interval},
                          tls_context, [] { return std::chrono::system_clock::now(); });
  auto* context = &tls_context;
  auto mqtt_port = with_port_hint(host.listen_tcp(address, m_options.mqtt_port), "--mqtt-port");
  if (!mqtt_port) return fail(mqtt_port.error());
  auto mqtts_port = with_port_hint(
      host.listen(address, m_options.mqtts_port,
                  [context](asio::ip::tcp::socket socket) -> std::unique_ptr<net::Stream> {
                    return std::make_unique<net::TlsStream>(std::move(socket), context->current());
                  }),
      "--mqtts-port");
  if (!mqtts_port) return fail(mqtts_port.error());
  auto ws_port = with_port_hint(
      host.listen(address, m_options.ws_port,
                  [ws_settings](asio::ip::tcp::socket socket) -> std::unique_ptr<net::Stream> {
                    return std::make_unique<net::WsStream>(std::move(socket), ws_settings);
                  }),
      "--ws-port");
  if (!ws_port) return fail(ws_port.error());
  auto wss_port = with_port_hint(
      host.listen(
          address, m_options.wss_port,
          [context, ws_settings](asio::ip::tcp::socket socket) -> std::unique_ptr<net::Stream> {
            return std::make_unique<net::WssStream>(std::move(socket), context->current(),
                                                    ws_settings);
          }),
      "--wss-port");
  if (!wss_port) return fail(wss_port.error());

  api::ApiDeps api_deps{auth, make_publisher(io, loop.broker, loop.host), wall_now, {}};
  api::ApiOptions api_options;
  const auto rate = api::RateLimit::per_second(m_options.api_rate_limit);
  api_options.router.per_principal = rate;
  api_options.router.per_address = rate;
  api::ApiServer api(std::move(api_deps), api_options);
  auto providers = auth::open_dev_provider_service(*store, auth, m_options.data_dir);
  if (!providers) return fail(providers.error());
  api::add_provider_routes(api, **providers);
  auto http_port = api.bind(address, m_options.http_port);
  if (!http_port) return fail(http_port.error());
  api.deps().urls = {url("http", address, *http_port), url("mqtt", address, *mqtt_port),
                     url("mqtts", address, *mqtts_port), url("ws", address, *ws_port, "/mqtt"),
                     url("wss", address, *wss_port, "/mqtt")};
  host.start();
  api.start();
  if (tls->dev_certificate) renewal.start();

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
  info.api_url = api.deps().urls.api;
  info.mqtt_url = url("mqtt", address, *mqtt_port);
  info.mqtts_url = url("mqtts", address, *mqtts_port);
  info.ws_url = url("ws", address, *ws_port, "/mqtt");
  info.wss_url = url("wss", address, *wss_port, "/mqtt");
  info.ca_file = tls->ca_file;
  info.client_ca_file = tls->client_ca_file;
  info.runtime_file = m_options.data_dir / "dev.json";
  info.admin_key_file = admin_key_file;
  info.org_id = boot->org.id;
  info.org_short_id = boot->org.short_id;
  info.admin_key_created = boot->created || m_options.ephemeral;

  asio::signal_set signals(io, SIGINT, SIGTERM);
  bool stopping = false;
  std::thread api_stopper;
  auto shut_down = [&] {
    if (stopping) return;
    stopping = true;
    log::info("stopping");
    sweeper.cancel();
    renewal.stop();
    // The API drains on a thread of its own: a request in progress may still need this loop.
    api_stopper = std::thread([&] {
      api.stop();
      asio::post(io, [&] { host.stop([&io] { io.stop(); }); });
    });
  };
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) shut_down();
  });
  m_state->shut_down = shut_down;
  // Before dev.json: what the caller does when ready (the CLI saves its `dev` profile) is done
  // by the time a script that waits for dev.json goes on.
  on_ready(info);
  // Written once the signals are handled: a script that signals as soon as dev.json appears
  // gets a clean stop, not the default action of SIGTERM.
  if (auto ok = fs::write_file_atomic(info.runtime_file, dev_json(info)); !ok) return ok;
  io.run();
  if (api_stopper.joinable()) api_stopper.join();
  m_state->shut_down = nullptr;
  (*persistence)->stop();  // commits what the last goodbyes saved

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
