#include "cli/bench/report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace cs::bench {
namespace {

double micros(std::uint64_t nanoseconds) {
  return static_cast<double>(nanoseconds) / 1000.0;
}

// Rounds to `decimals` places; dividing by a power of ten keeps the shortest decimal form
// (386.4, not 386.40000000000003) in the JSON.
double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  std::string out = std::to_string(n);
  out.append(" ").append(n == 1 ? one : many);
  return out;
}

nlohmann::ordered_json latency_json(const LatencyHistogram& h) {
  return {{"samples", h.count()},
          {"p50", round_to(micros(h.percentile(0.50)), 3)},
          {"p90", round_to(micros(h.percentile(0.90)), 3)},
          {"p99", round_to(micros(h.percentile(0.99)), 3)},
          {"max", round_to(micros(h.max()), 3)},
          {"mean", round_to(micros(static_cast<std::uint64_t>(h.mean())), 3)}};
}

}  // namespace

std::string version_name(mqtt::Version version) {
  return version == mqtt::Version::v5 ? "5.0" : "3.1.1";
}

std::string report_json(const LoadReport& r) {
  const Workload& w = r.workload;
  nlohmann::ordered_json j;
  j["url"] = w.url;
  j["mqtt_version"] = version_name(w.version);
  j["mode"] = w.idle ? "idle" : "pubsub";
  j["threads"] = w.threads;
  nlohmann::ordered_json connect = {
      {"connections", r.connected},
      {"seconds", round_to(r.connect_seconds, 6)},
      {"per_second", round_to(per_second(r.connected, r.connect_seconds), 1)}};
  if (w.idle) {
    j["connections"] = w.connections;
    j["hold_seconds"] = static_cast<double>(w.duration.count()) / 1000.0;
    j["connect"] = std::move(connect);
    return j.dump();
  }
  j["publishers"] = w.publishers;
  j["subscribers"] = w.subscribers;
  j["qos"] = static_cast<int>(w.qos);
  j["payload_bytes"] = w.payload_size;
  j["rate"] = w.rate;
  j["window"] = w.window;
  j["topic"] = w.topic_pattern;
  j["duration_seconds"] = static_cast<double>(w.duration.count()) / 1000.0;
  j["connect"] = std::move(connect);
  const double loss =
      r.expected() == 0 ? 0.0 : static_cast<double>(r.lost()) / static_cast<double>(r.expected());
  j["messages"] = {{"sent", r.sent},
                   {"acknowledged", r.acknowledged},
                   {"received", r.received},
                   {"expected", r.expected()},
                   {"lost", r.lost()},
                   {"loss_ratio", loss},
                   {"sent_per_second", round_to(per_second(r.sent, r.publish_seconds), 1)},
                   {"received_per_second", round_to(per_second(r.received, r.receive_seconds), 1)},
                   {"publish_seconds", round_to(r.publish_seconds, 6)},
                   {"receive_seconds", round_to(r.receive_seconds, 6)}};
  j["latency_us"] = latency_json(r.latency);
  return j.dump();
}

std::string report_text(const LoadReport& r) {
  const Workload& w = r.workload;
  std::string out;
  out.append("broker     ").append(w.url).append(" (MQTT ").append(version_name(w.version));
  out.append(")\n");
  out.append("connect    ").append(plural(r.connected, "connection", "connections"));
  out.append(" in ").append(fixed(r.connect_seconds, 3)).append(" s (");
  out.append(fixed(per_second(r.connected, r.connect_seconds), 0)).append(" per second)\n");
  if (w.idle) {
    out.append("held       ").append(plural(w.connections, "connection", "connections"));
    out.append(" for ").append(fixed(static_cast<double>(w.duration.count()) / 1000.0, 1));
    out.append(" s\n");
    return out;
  }
  out.append("load       ").append(plural(w.publishers, "publisher", "publishers"));
  out.append(" -> ").append(plural(w.subscribers, "subscriber", "subscribers"));
  out.append(", QoS ").append(std::to_string(static_cast<int>(w.qos)));
  out.append(", ").append(std::to_string(w.payload_size)).append("-byte payloads, ");
  out.append(w.rate > 0 ? fixed(w.rate, 0) + " msg/s" : "window " + std::to_string(w.window));
  out.append("\n");
  out.append("sent       ").append(std::to_string(r.sent)).append(" in ");
  out.append(fixed(r.publish_seconds, 3)).append(" s (");
  out.append(fixed(per_second(r.sent, r.publish_seconds), 0)).append(" msg/s)\n");
  out.append("received   ").append(std::to_string(r.received)).append(" of ");
  out.append(std::to_string(r.expected())).append(" (");
  out.append(fixed(per_second(r.received, r.receive_seconds), 0)).append(" msg/s), lost ");
  out.append(std::to_string(r.lost())).append("\n");
  if (r.latency.count() > 0) {
    const LatencyHistogram& h = r.latency;
    out.append("latency    p50 ").append(fixed(micros(h.percentile(0.50)) / 1000.0, 3));
    out.append(" ms, p90 ").append(fixed(micros(h.percentile(0.90)) / 1000.0, 3));
    out.append(" ms, p99 ").append(fixed(micros(h.percentile(0.99)) / 1000.0, 3));
    out.append(" ms, max ").append(fixed(micros(h.max()) / 1000.0, 3)).append(" ms\n");
  }
  return out;
}

}  // namespace cs::bench
