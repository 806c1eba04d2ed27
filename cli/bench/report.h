#pragma once
// What a bench run measured, and its two renderings: a few lines for a person and a JSON object
// for scripts (bench/run reads it).

#include <cstdint>
#include <string>

#include "cli/bench/stats.h"
#include "cli/bench/workload.h"

namespace cs::bench {

struct LoadReport {
  Workload workload;

  // Connecting: TCP connect, CONNECT and CONNACK of every client, at most a fixed number at once.
  std::uint64_t connected = 0;
  double connect_seconds = 0;

  // Publishing (not in idle mode).
  std::uint64_t sent = 0;          // PUBLISH packets written to the broker
  std::uint64_t acknowledged = 0;  // of those, PUBACK (QoS 1) or PUBCOMP (QoS 2) received
  std::uint64_t received = 0;      // PUBLISH packets of this run received by subscribers
  double publish_seconds = 0;      // from the first send until publishers were told to stop
  double receive_seconds = 0;      // from the first send until the last message arrived
  LatencyHistogram latency;        // nanoseconds from send to receipt, every received message

  /// Messages the subscribers should have received: every message sent, once per subscriber.
  std::uint64_t expected() const { return sent * workload.subscribers; }
  /// Expected messages that never arrived (0 when more arrived).
  std::uint64_t lost() const { return received >= expected() ? 0 : expected() - received; }
};

/// The report as a JSON object (one line, keys in a fixed order); times in seconds, latencies
/// in microseconds.
std::string report_json(const LoadReport& report);

/// The report as a few aligned lines for a terminal.
std::string report_text(const LoadReport& report);

/// "3.1.1" or "5.0".
std::string version_name(mqtt::Version version);

}  // namespace cs::bench
