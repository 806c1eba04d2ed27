#include "cli/commands/dev.h"

#include <memory>
#include <ostream>

#include "common/log.h"
#include "common/version.h"
#include "devbroker/dev_server.h"

namespace cs::cli {

void add_dev(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<DevCommandOptions>();
  CLI::App* dev = app.add_subcommand("dev", "Run the local development broker");
  dev->add_option("--data-dir", options->data_dir,
                  "Directory for state and dev.json (default ~/.cloudsignal/dev)");
  dev->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  dev->add_option("--mqtt-port", options->mqtt_port, "MQTT over TCP port, 0 = a free port")
      ->capture_default_str();
  dev->add_flag("--allow-anonymous", options->allow_anonymous,
                "Let clients in without credentials (for conformance runs and quick tests)");
  dev->add_flag("--ephemeral", options->ephemeral,
                "Keep the broker's state in memory (dev.json and admin.key are still written)");
  dev->add_option("--log-level", options->log_level, "error, warn, info or debug")
      ->capture_default_str()
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  dev->footer(
      "Examples:\n"
      "  cloudsignal dev\n"
      "  cloudsignal dev --mqtt-port 0 --data-dir /tmp/cs-dev --allow-anonymous\n"
      "  cloudsignal dev --host 0.0.0.0 --log-level debug");
  dev->callback(
      [options, &ctx, &action] { action = [options, &ctx] { return run_dev(*options, ctx); }; });
}

int run_dev(const DevCommandOptions& options, Context& ctx) {
  log::Level level = log::Level::info;
  log::parse_level(options.log_level, level);
  log::set_level(level);

  devbroker::DevOptions dev;
  if (!options.data_dir.empty()) {
    dev.data_dir = options.data_dir;
  } else {
    const auto home = ctx.getenv("HOME");
    if (!home || home->empty()) {
      return report_error(
          Error{ErrorCode::usage, "HOME is not set, so there is no default data directory",
                "pass --data-dir DIR"},
          ctx);
    }
    dev.data_dir = std::filesystem::path(*home) / ".cloudsignal" / "dev";
  }
  dev.host = options.host;
  dev.mqtt_port = options.mqtt_port;
  dev.allow_anonymous = options.allow_anonymous;
  dev.ephemeral = options.ephemeral;

  devbroker::DevServer server(std::move(dev));
  auto result = server.run([&](const devbroker::DevInfo& info) {
    ctx.out << "cloudsignal dev " << k_version << " is running\n"
            << "  MQTT       " << info.mqtt_url << '\n'
            << "  org        " << info.org_short_id << " (" << info.org_id << ")\n"
            << "  admin key  " << info.admin_key_file.string()
            << (info.admin_key_created ? " (new)" : "") << '\n'
            << "  runtime    " << info.runtime_file.string() << '\n'
            << "  anonymous  " << (options.allow_anonymous ? "allowed" : "refused") << '\n'
            << "  state      "
            << (options.ephemeral ? "in memory" : "state.db in the data directory") << '\n'
            << "Try:\n"
            << "  mosquitto_sub -h 127.0.0.1 -p "
            << info.mqtt_url.substr(info.mqtt_url.rfind(':') + 1) << " -u app@" << info.org_short_id
            << " -P \"$(cat " << info.admin_key_file.string() << ")\" -t 'users/#' -v\n"
            << "Press Ctrl-C to stop.\n";
    ctx.out.flush();
  });
  if (!result) return report_error(result.error(), ctx);
  return 0;
}

}  // namespace cs::cli
