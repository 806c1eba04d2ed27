#include "cli/commands/bench.h"

#include <sys/resource.h>

#include <memory>
#include <ostream>

#include "cli/bench/load_run.h"
#include "cli/bench/payload.h"
#include "cli/bench/report.h"

namespace cs::cli {
namespace {

constexpr std::size_t k_max_payload = 256 * 1024 * 1024 - 1024;
constexpr std::size_t k_max_threads = 64;
constexpr std::size_t k_spare_files = 64;  // descriptors besides the connections
constexpr double k_max_duration = 7 * 24 * 3600;

tl::unexpected<Error> usage(std::string message) {
  return fail(ErrorCode::usage, std::move(message), "run 'cloudsignal bench --help' for usage");
}

// Raises the soft limit on open files to the hard limit, so thousands of connections fit.
Result<void> ensure_open_files(std::size_t connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  const rlim_t needed = connections + k_spare_files;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    std::string message = std::to_string(connections);
    message.append(" connections need ").append(std::to_string(needed));
    message.append(" open files, but this process may open only ");
    message.append(std::to_string(limit.rlim_cur));
    return fail(ErrorCode::usage, std::move(message),
                "raise the limit (ulimit -n, or LimitNOFILE for a service) or open fewer");
  }
  return {};
}

}  // namespace

void add_bench(CLI::App& app, Context& ctx, Action& action) {
  auto o = std::make_shared<BenchCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Load an MQTT broker: throughput, loss, latency, connection rate and idle clients");
  cmd->add_option("--url", o->url,
                  "Broker to load: mqtt://, mqtts://, ws:// or wss://HOST:PORT[/PATH] (default "
                  "mqtt:// from --host and --port)");
  cmd->add_option("--cafile", o->ca_file,
                  "CA certificate (PEM) that signed an mqtts:// or wss:// broker's certificate; "
                  "default: the system's trust store");
  auto* host = cmd->add_option("--host", o->host, "Broker address")->capture_default_str();
  auto* port = cmd->add_option("--port", o->port, "Broker port")->capture_default_str();
  cmd->add_option("--mqtt-version", o->mqtt_version, "MQTT version: 3 (3.1.1) or 5 (5.0)")
      ->capture_default_str()
      ->check(CLI::IsMember({3, 5}));
  cmd->add_option("-u,--username", o->username, "Username for CONNECT");
  cmd->add_option("-P,--password", o->password, "Password for CONNECT");
  auto* pubs =
      cmd->add_option("--publishers", o->publishers, "Publishing clients")->capture_default_str();
  auto* subs = cmd->add_option("--subscribers", o->subscribers,
                               "Subscribing clients; each receives every message")
                   ->capture_default_str();
  cmd->add_option("--rate", o->rate,
                  "Messages per second across all publishers; 0 = as fast as the window allows")
      ->capture_default_str();
  cmd->add_option("--size", o->size, "Payload bytes (at least 16: send time, publisher, run)")
      ->capture_default_str();
  cmd->add_option("--qos", o->qos, "QoS of every PUBLISH and subscription")
      ->capture_default_str()
      ->check(CLI::IsMember({0, 1, 2}));
  cmd->add_option("--duration", o->duration, "Seconds to publish, or to hold idle connections")
      ->capture_default_str();
  cmd->add_option("--topic", o->topic,
                  "Topic pattern, %i = publisher index; subscribers use it with '+' for %i")
      ->capture_default_str();
  cmd->add_option("--window", o->window,
                  "Messages a publisher may have unacknowledged or undelivered at once")
      ->capture_default_str();
  cmd->add_option("--connections", o->connections, "Idle connections to open (with --idle)");
  cmd->add_flag("--idle", o->idle,
                "Only open --connections clients and hold them for --duration seconds");
  cmd->add_option("--threads", o->threads, "Threads running the clients")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the result as one JSON object");
  cmd->footer(
      "Latency is measured end to end: payloads carry their send time and the subscribers run\n"
      "in the same process. Results go to stdout, progress to stderr.\n"
      "\n"
      "Examples:\n"
      "  cloudsignal bench --qos 1 --duration 10\n"
      "  cloudsignal bench --url mqtt://127.0.0.1:1883 --publishers 100 --subscribers 1\n"
      "  cloudsignal bench --url wss://localhost:18885/mqtt --cafile "
      "~/.cloudsignal/dev/certs/ca.pem\n"
      "  cloudsignal bench --publishers 1 --subscribers 100 --rate 2000 --json\n"
      "  cloudsignal bench --connections 5000 --idle --duration 30");
  cmd->callback([o, host, port, pubs, subs, &ctx, &action] {
    o->host_or_port_given = host->count() > 0 || port->count() > 0;
    o->publishers_or_subscribers_given = pubs->count() > 0 || subs->count() > 0;
    action = [o, &ctx] { return run_bench(*o, ctx); };
  });
}

Result<bench::Workload> make_workload(const BenchCommandOptions& o) {
  bench::Workload w;
  if (!o.url.empty()) {
    if (o.host_or_port_given) return usage("give either --url or --host and --port, not both");
    auto address = bench::parse_broker_url(o.url);
    if (!address) return fail(address.error());
    w.broker = std::move(*address);
  } else {
    w.broker = {bench::Transport::tcp, o.host, o.port, {}};
    if (o.host.empty()) return usage("--host is empty");
    if (o.port == 0) return usage("--port must be from 1 to 65535");
  }
  w.url = bench::broker_url(w.broker);
  if (!o.ca_file.empty()) {
    if (!w.broker.tls()) return usage("--cafile is for mqtts:// and wss:// URLs");
    w.ca_file = o.ca_file;
  }
  w.version = o.mqtt_version == 5 ? mqtt::Version::v5 : mqtt::Version::v311;
  if (o.password && !o.username && w.version == mqtt::Version::v311) {
    return usage("MQTT 3.1.1 sends a password only with a username: add -u");
  }
  w.username = o.username;
  w.password = o.password;

  if (!(o.duration > 0 && o.duration <= k_max_duration)) {
    return usage("--duration must be more than 0 and at most a week (604800 seconds)");
  }
  w.duration = std::chrono::milliseconds(static_cast<std::int64_t>(o.duration * 1000.0 + 0.5));
  if (w.duration.count() == 0) w.duration = std::chrono::milliseconds(1);
  if (o.threads == 0 || o.threads > k_max_threads) return usage("--threads must be from 1 to 64");
  w.threads = o.threads;

  if (o.idle || o.connections > 0) {
    if (!o.idle) return usage("--connections opens idle clients: add --idle");
    if (o.connections == 0) return usage("--idle needs --connections N (at least 1)");
    if (o.publishers_or_subscribers_given) {
      return usage("--idle opens only idle clients: drop --publishers and --subscribers");
    }
    w.idle = true;
    w.connections = o.connections;
    w.publishers = 0;
    w.subscribers = 0;
    return w;
  }

  if (o.publishers == 0) return usage("--publishers must be at least 1 (or use --idle)");
  w.publishers = o.publishers;
  w.subscribers = o.subscribers;
  if (!(o.rate >= 0)) return usage("--rate must be 0 (as fast as possible) or more");
  w.rate = o.rate;
  if (o.size < bench::k_stamp_size || o.size > k_max_payload) {
    return usage("--size must be from 16 to 268434432 bytes");
  }
  w.payload_size = o.size;
  w.qos = static_cast<mqtt::QoS>(o.qos);
  if (auto why = bench::check_topic_pattern(o.topic)) return usage("--topic: " + *why);
  w.topic_pattern = o.topic;
  if (o.window == 0 || o.window > 65535) return usage("--window must be from 1 to 65535");
  w.window = o.window;
  return w;
}

int run_bench(const BenchCommandOptions& options, Context& ctx) {
  auto workload = make_workload(options);
  if (!workload) return report_error(workload.error(), ctx);
  if (auto ok = ensure_open_files(workload->total_clients()); !ok) {
    return report_error(ok.error(), ctx);
  }
  auto report = bench::run_load(*workload, ctx.err);
  if (!report) return report_error(report.error(), ctx);
  if (options.json) {
    ctx.out << bench::report_json(*report) << '\n';
  } else {
    ctx.out << bench::report_text(*report);
  }
  if (report->lost() > 0 && workload->qos != mqtt::QoS::at_most_once) {
    ctx.err << "warning: " << report->lost() << " messages were lost at QoS "
            << static_cast<int>(workload->qos) << '\n';
  }
  return 0;
}

}  // namespace cs::cli
