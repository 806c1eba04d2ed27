#include "cli/commands/dev.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <ostream>

#include "cli/commands/dev_certs.h"
#include "cli/commands/dev_idp_token.h"
#include "cli/session.h"
#include "common/log.h"
#include "common/version.h"
#include "devbroker/dev_server.h"

namespace cs::cli {
namespace {

void add_port(CLI::App& dev, const char* flag, std::uint16_t& port, const char* what) {
  std::string help = what;
  help.append(" port, 0 = a free port");
  dev.add_option(flag, port, help)->capture_default_str();
}

// One line of the banner: a label padded to a column, then the value.
void banner_line(std::ostream& out, std::string_view label, std::string_view value) {
  std::string line = "  ";
  line.append(label);
  line.resize(13, ' ');
  out << line << value << '\n';
}

// Points the `dev` profile at this broker, so that `--profile dev` reaches it; a failure costs
// only that convenience. The profile holds no secret (it names the admin key file), so it always
// lives in the file.
std::string save_dev_profile(const devbroker::DevInfo& info, Context& ctx) {
  auto store = open_store(ctx, credentials::StoreChoice::file);
  if (!store) return "not saved: " + store.error().message;
  credentials::Session session;
  session.profile.api_url = info.api_url;
  session.profile.org_id = info.org_id;
  session.profile.org_short_id = info.org_short_id;
  // Absolute, as the profile is read from any working directory.
  std::error_code ec;
  session.profile.api_key_file = std::filesystem::absolute(info.admin_key_file, ec).string();
  if (!info.ca_file.empty()) {
    session.profile.ca_file = std::filesystem::absolute(info.ca_file, ec).string();
  }
  auto saved = store->save(k_dev_profile, session);
  if (!saved) return "not saved: " + saved.error().message;
  return std::string(k_dev_profile) + " (use `--profile dev` with any command)";
}

// A path as a shell word: quoted unless it is made of characters that need no quoting.
std::string shell_word(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789/._-+:@%=,") == std::string::npos) {
    return text;
  }
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted.append("'\\''");
    } else {
      quoted.push_back(c);
    }
  }
  return quoted.append("'");
}

// How a person names this binary in a command: "cloudsignal" when that is what their PATH
// finds, else its full path (as when scripts/dev runs it from the build directory).
std::string program_name(Context& ctx) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "cloudsignal";
  const std::string path = ctx.getenv("PATH").value_or("");
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const std::string dir = path.substr(start, end - start);
    std::error_code same_ec;
    if (!dir.empty() &&
        std::filesystem::equivalent(std::filesystem::path(dir) / "cloudsignal", self, same_ec)) {
      return "cloudsignal";
    }
    start = end + 1;
  }
  return shell_word(self.string());
}

// Three commands that work against this broker as they are printed (another data directory is
// named in them, and the binary by its path when PATH does not find it).
void print_try_commands(std::ostream& out, const std::string& data_dir, const std::string& cs) {
  std::string dev = "--dev";
  std::string dev_command = cs + " dev";
  if (!data_dir.empty()) {
    std::error_code ec;
    const std::string dir = shell_word(std::filesystem::absolute(data_dir, ec).string());
    dev.append(" --dev-dir ").append(dir);
    dev_command.append(" --data-dir ").append(dir);
  }
  out << "Try, in another terminal:\n"
      << "  " << cs << " sub " << dev << " -t 'demo/#'\n"
      << "  " << cs << " pub " << dev << " -t demo/hello -m 'hello'\n"
      << "  " << dev_command << " idp-token --provider supabase --email ada@example.com \\\n"
      << "      | " << cs << " tokens exchange " << dev << " --token -\n";
}

}  // namespace

void add_dev(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<DevCommandOptions>();
  CLI::App* dev = app.add_subcommand("dev", "Run the local development broker");
  dev->add_option("--data-dir", options->data_dir,
                  "Directory for state, certificates and dev.json (default ~/.cloudsignal/dev)");
  dev->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  add_port(*dev, "--http-port", options->http_port, "HTTP API");
  add_port(*dev, "--mqtt-port", options->mqtt_port, "MQTT over TCP");
  add_port(*dev, "--mqtts-port", options->mqtts_port, "MQTT over TLS");
  add_port(*dev, "--ws-port", options->ws_port, "MQTT over WebSocket");
  add_port(*dev, "--wss-port", options->wss_port, "MQTT over WebSocket over TLS");
  dev->add_flag("--allow-anonymous", options->allow_anonymous,
                "Let clients in without credentials (for conformance runs and quick tests)");
  dev->add_flag("--ephemeral", options->ephemeral,
                "Keep the broker's state in memory (dev.json and admin.key are still written)");
  auto* tls_cert = dev->add_option(
      "--tls-cert", options->tls_cert,
      "Server certificate (PEM chain) for MQTTS and WSS instead of one from the dev CA");
  auto* tls_key = dev->add_option("--tls-key", options->tls_key, "Private key of --tls-cert");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  auto* require = dev->add_flag("--require-client-cert", options->require_client_cert,
                                "MQTTS and WSS clients must present a certificate (mutual TLS)");
  dev->add_option("--client-ca", options->client_ca,
                  "CA file that verifies client certificates (default: the dev CA)")
      ->needs(require);
  dev->add_option("--ws-allowed-origin", options->ws_allowed_origins,
                  "Origin allowed to open a WebSocket (repeatable; default: any)")
      ->allow_extra_args(false);
  dev->add_option("--api-rate-limit", options->api_rate_limit,
                  "HTTP API requests per second per key and per client address, in bursts of "
                  "twice that; 0 = no limit (benchmarks)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  dev->add_option("--log-level", options->log_level, "error, warn, info or debug")
      ->capture_default_str()
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  dev->footer(
      "Examples:\n"
      "  cloudsignal dev\n"
      "  cloudsignal dev --mqtt-port 0 --data-dir /tmp/cs-dev --allow-anonymous\n"
      "  cloudsignal dev --host 0.0.0.0 --log-level debug\n"
      "  cloudsignal dev --require-client-cert --ws-allowed-origin http://localhost:5173\n"
      "  cloudsignal dev ca\n"
      "  cloudsignal dev idp-token --provider clerk --email ada@example.com\n"
      "  cloudsignal dev issue-client-cert sensor-01 --out ./certs");
  add_dev_certs(*dev, options, ctx, action);
  add_dev_idp_token(*dev, options, ctx, action);
  dev->callback([options, dev, &ctx, &action] {
    if (!dev->get_subcommands().empty()) return;  // `dev ca` and the like chose their action
    action = [options, &ctx] { return run_dev(*options, ctx); };
  });
}

Result<std::filesystem::path> dev_data_dir(const std::string& flag, Context& ctx) {
  if (!flag.empty()) return std::filesystem::path(flag);
  const auto home = ctx.getenv("HOME");
  if (!home || home->empty()) {
    return fail(ErrorCode::usage, "HOME is not set, so there is no default data directory",
                "pass --data-dir DIR");
  }
  return std::filesystem::path(*home) / ".cloudsignal" / "dev";
}

int run_dev(const DevCommandOptions& options, Context& ctx) {
  log::Level level = log::Level::info;
  log::parse_level(options.log_level, level);
  log::set_level(level);

  auto data_dir = dev_data_dir(options.data_dir, ctx);
  if (!data_dir) return report_error(data_dir.error(), ctx);
  devbroker::DevOptions dev;
  dev.data_dir = *data_dir;
  dev.host = options.host;
  dev.http_port = options.http_port;
  dev.mqtt_port = options.mqtt_port;
  dev.mqtts_port = options.mqtts_port;
  dev.ws_port = options.ws_port;
  dev.wss_port = options.wss_port;
  dev.allow_anonymous = options.allow_anonymous;
  dev.ephemeral = options.ephemeral;
  dev.tls_cert = options.tls_cert;
  dev.tls_key = options.tls_key;
  dev.require_client_cert = options.require_client_cert;
  dev.client_ca = options.client_ca;
  dev.ws_allowed_origins = options.ws_allowed_origins;
  dev.api_rate_limit = options.api_rate_limit;

  devbroker::DevServer server(std::move(dev));
  auto result = server.run([&](const devbroker::DevInfo& info) {
    const std::string profile = save_dev_profile(info, ctx);
    ctx.out << "cloudsignal dev " << k_version << " is running\n";
    banner_line(ctx.out, "API", info.api_url);
    banner_line(ctx.out, "MQTT", info.mqtt_url);
    banner_line(ctx.out, "MQTTS", info.mqtts_url);
    banner_line(ctx.out, "WS", info.ws_url);
    banner_line(ctx.out, "WSS", info.wss_url);
    banner_line(ctx.out, "CA",
                info.ca_file.empty() ? "none: the server certificate comes from --tls-cert"
                                     : info.ca_file.string());
    std::string client_certs = "off";
    if (!info.client_ca_file.empty()) {
      client_certs = "client certificates required, verified by ";
      client_certs.append(info.client_ca_file.string());
    }
    banner_line(ctx.out, "mTLS", client_certs);
    banner_line(ctx.out, "org", info.org_short_id + " (" + info.org_id + ")");
    banner_line(ctx.out, "admin key",
                info.admin_key_file.string() + (info.admin_key_created ? " (new)" : ""));
    banner_line(ctx.out, "runtime", info.runtime_file.string());
    banner_line(ctx.out, "profile", profile);
    banner_line(ctx.out, "anonymous", options.allow_anonymous ? "allowed" : "refused");
    banner_line(ctx.out, "state",
                options.ephemeral ? "in memory" : "state.db in the data directory");
    print_try_commands(ctx.out, options.data_dir, program_name(ctx));
    ctx.out << "Press Ctrl-C to stop.\n";
    ctx.out.flush();
  });
  if (!result) return report_error(result.error(), ctx);
  return 0;
}

}  // namespace cs::cli
