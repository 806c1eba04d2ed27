#include "cli/commands/bench.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/app.h"

using cs::cli::BenchCommandOptions;
using cs::cli::make_workload;

namespace {

std::string refusal(const BenchCommandOptions& o) {
  auto w = make_workload(o);
  REQUIRE_FALSE(w);
  CHECK(w.error().code == cs::ErrorCode::usage);
  return w.error().message;
}

}  // namespace

TEST_CASE("bench defaults: 1 -> 1 at QoS 0 on 127.0.0.1:1883 for 10 s", "[cli][bench]") {
  auto w = make_workload(BenchCommandOptions{});
  REQUIRE(w);
  CHECK(w->url == "mqtt://127.0.0.1:1883");
  CHECK(w->version == cs::mqtt::Version::v311);
  CHECK(w->publishers == 1);
  CHECK(w->subscribers == 1);
  CHECK(w->qos == cs::mqtt::QoS::at_most_once);
  CHECK(w->payload_size == 100);
  CHECK(w->rate == 0);
  CHECK(w->duration == std::chrono::seconds(10));
  CHECK(w->window == 64);
  CHECK_FALSE(w->idle);
  CHECK(w->total_clients() == 2);
}

TEST_CASE("bench takes the broker from --url or from --host and --port", "[cli][bench]") {
  BenchCommandOptions o;
  o.url = "mqtt://10.0.0.1:2883";
  auto w = make_workload(o);
  REQUIRE(w);
  CHECK(w->broker.host == "10.0.0.1");
  CHECK(w->broker.port == 2883);
  o.host_or_port_given = true;
  CHECK(refusal(o) == "give either --url or --host and --port, not both");

  BenchCommandOptions p;
  p.host = "::1";
  p.port = 1999;
  auto v = make_workload(p);
  REQUIRE(v);
  CHECK(v->url == "mqtt://[::1]:1999");
}

TEST_CASE("bench idle mode: --connections with --idle only", "[cli][bench]") {
  BenchCommandOptions o;
  o.connections = 5000;
  CHECK(refusal(o) == "--connections opens idle clients: add --idle");
  o.idle = true;
  auto w = make_workload(o);
  REQUIRE(w);
  CHECK(w->idle);
  CHECK(w->total_clients() == 5000);
  CHECK(w->publishers == 0);
  o.publishers_or_subscribers_given = true;
  CHECK(refusal(o) == "--idle opens only idle clients: drop --publishers and --subscribers");
  BenchCommandOptions none;
  none.idle = true;
  CHECK(refusal(none) == "--idle needs --connections N (at least 1)");
}

TEST_CASE("bench refuses values it cannot run, naming the flag", "[cli][bench]") {
  auto with = [](auto change) {
    BenchCommandOptions o;
    change(o);
    return refusal(o);
  };
  CHECK(with([](auto& o) { o.size = 15; }) == "--size must be from 16 to 268434432 bytes");
  CHECK(with([](auto& o) { o.publishers = 0; }) ==
        "--publishers must be at least 1 (or use --idle)");
  CHECK(with([](auto& o) { o.duration = 0; }) ==
        "--duration must be more than 0 and at most a week (604800 seconds)");
  CHECK(with([](auto& o) { o.rate = -1; }) == "--rate must be 0 (as fast as possible) or more");
  CHECK(with([](auto& o) { o.window = 0; }) == "--window must be from 1 to 65535");
  CHECK(with([](auto& o) { o.window = 65536; }) == "--window must be from 1 to 65535");
  CHECK(with([](auto& o) { o.threads = 0; }) == "--threads must be from 1 to 64");
  CHECK(with([](auto& o) { o.topic = "a/#"; }).starts_with("--topic: "));
  CHECK(with([](auto& o) { o.password = "secret"; }) ==
        "MQTT 3.1.1 sends a password only with a username: add -u");
  CHECK(with([](auto& o) { o.url = "http://h:80"; }) ==
        "cannot use broker URL 'http://h:80': bench speaks mqtt://, mqtts://, ws:// and wss://, "
        "not http://");
  CHECK(with([](auto& o) { o.ca_file = "ca.pem"; }) == "--cafile is for mqtts:// and wss:// URLs");
}

TEST_CASE("bench usage errors exit 2 before connecting anywhere", "[cli][bench]") {
  std::ostringstream out, err;
  cs::cli::Context ctx{out, err, [](std::string_view) { return std::optional<std::string>{}; }};
  CHECK(cs::cli::run_cli({"bench", "--size", "8"}, ctx) == 2);
  CHECK(out.str().empty());
  CHECK(err.str() ==
        "error: --size must be from 16 to 268434432 bytes\n"
        "hint: run 'cloudsignal bench --help' for usage\n");
}

TEST_CASE("bench --help lists its flags and ends with examples", "[cli][bench]") {
  std::ostringstream out, err;
  cs::cli::Context ctx{out, err, [](std::string_view) { return std::optional<std::string>{}; }};
  CHECK(cs::cli::run_cli({"bench", "--help"}, ctx) == 0);
  const std::string help = out.str();
  for (const char* flag :
       {"--url", "--host", "--port", "--mqtt-version", "--publishers", "--subscribers", "--rate",
        "--size", "--qos", "--duration", "--topic", "--window", "--connections", "--idle", "--json",
        "-u,--username", "-P,--password", "--threads", "--cafile"}) {
    INFO(flag);
    CHECK(help.find(flag) != std::string::npos);
  }
  const auto examples = help.find("Examples:");
  REQUIRE(examples != std::string::npos);
  CHECK(help.find("cloudsignal bench --connections 5000 --idle", examples) != std::string::npos);
}
