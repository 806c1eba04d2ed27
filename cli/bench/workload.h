#pragma once
// What `cloudsignal bench` is asked to do, resolved from its flags, and the pure rules that turn
// it into topics, filters and a send schedule.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "devbroker/mqtt/packet.h"

namespace cs::bench {

/// How bench reaches the broker: mqtt://, mqtts://, ws:// or wss://.
enum class Transport { tcp, tls, ws, wss };

struct BrokerAddress {
  Transport transport = Transport::tcp;
  std::string host;  // as written, without IPv6 brackets
  std::uint16_t port = 1883;
  std::string path;  // WebSocket request target ("/mqtt" unless the URL names one); else empty

  bool tls() const { return transport == Transport::tls || transport == Transport::wss; }
};

/// The load of one run. Either publishers and subscribers exchanging messages, or (`idle`)
/// `connections` clients that only connect and stay.
struct Workload {
  BrokerAddress broker;
  std::string url;                               // for reports: "mqtt://host:port"
  std::optional<std::filesystem::path> ca_file;  // trusted for mqtts and wss; else the system's
  mqtt::Version version = mqtt::Version::v311;
  std::optional<std::string> username;
  std::optional<std::string> password;

  std::size_t publishers = 1;
  std::size_t subscribers = 1;
  double rate = 0;  // messages per second across publishers; 0 = as fast as the window allows
  std::size_t payload_size = 100;
  mqtt::QoS qos = mqtt::QoS::at_most_once;
  std::chrono::milliseconds duration{10000};  // publishing time, or holding time when idle
  std::string topic_pattern = "cloudsignal/bench/%i";
  std::size_t window = 64;  // messages a publisher may have on their way at once

  bool idle = false;
  std::size_t connections = 0;  // idle clients

  std::size_t threads = 1;  // threads running the clients' event loop

  /// Every client this workload opens.
  std::size_t total_clients() const { return idle ? connections : publishers + subscribers; }
};

/// Parses "scheme://host[:port][/path]": mqtt:// (or tcp://), mqtts:// (or ssl://), ws:// or
/// wss://, the port defaulting to 1883, 8883, 80 and 443; an IPv6 host is written in brackets;
/// a path only on ws:// and wss:// (default "/mqtt"). Returns a usage error naming what is wrong.
Result<BrokerAddress> parse_broker_url(std::string_view url);

/// The URL of `address` with every part spelled out ("wss://[::1]:443/mqtt").
std::string broker_url(const BrokerAddress& address);

/// `pattern` with every "%i" replaced by `index`.
std::string topic_for(std::string_view pattern, std::size_t index);

/// The topic filter that matches topic_for(`pattern`, i) for every i: each level that contains
/// "%i" becomes "+". A pattern without "%i" is its own filter.
std::string subscription_filter(std::string_view pattern);

/// Checks a topic pattern: every topic it yields must be a valid topic name without wildcards,
/// and so must its filter be a valid filter. Returns a sentence saying why not, or nullopt.
std::optional<std::string> check_topic_pattern(std::string_view pattern);

/// When a publisher sending `rate` (> 0) messages per second should send its message number `n`
/// (counting from 0), measured from its start.
std::chrono::nanoseconds due_after(std::uint64_t n, double rate);

/// How many messages a publisher sending `rate` (> 0) per second should have sent `elapsed` after
/// its start: message 0 is due at once, message n at due_after(n, rate).
std::uint64_t due_by(std::chrono::nanoseconds elapsed, double rate);

}  // namespace cs::bench
