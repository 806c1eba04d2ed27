#include "cli/bench/workload.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using cs::bench::due_after;
using cs::bench::due_by;
using cs::bench::parse_broker_url;
using cs::bench::subscription_filter;
using cs::bench::topic_for;

TEST_CASE("broker URLs: mqtt:// and tcp://, default port, IPv6 in brackets", "[bench]") {
  auto a = parse_broker_url("mqtt://127.0.0.1:1884");
  REQUIRE(a);
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 1884);
  auto b = parse_broker_url("tcp://broker.local");
  REQUIRE(b);
  CHECK(b->host == "broker.local");
  CHECK(b->port == 1883);
  auto c = parse_broker_url("mqtt://[::1]:2000/");
  REQUIRE(c);
  CHECK(c->host == "::1");
  CHECK(c->port == 2000);
  CHECK(cs::bench::broker_url(*c) == "mqtt://[::1]:2000");
  CHECK(cs::bench::broker_url(*a) == "mqtt://127.0.0.1:1884");
  CHECK(a->transport == cs::bench::Transport::tcp);
  CHECK(a->path.empty());
}

TEST_CASE("broker URLs: mqtts://, ws:// and wss://, their default ports and paths", "[bench]") {
  using cs::bench::Transport;
  const struct {
    const char* url;
    Transport transport;
    std::uint16_t port;
    const char* path;
    const char* canonical;
  } table[] = {
      {"mqtts://localhost", Transport::tls, 8883, "", "mqtts://localhost:8883"},
      {"ssl://localhost:9883/", Transport::tls, 9883, "", "mqtts://localhost:9883"},
      {"ws://127.0.0.1", Transport::ws, 80, "/mqtt", "ws://127.0.0.1:80/mqtt"},
      {"ws://127.0.0.1:18884/", Transport::ws, 18884, "/", "ws://127.0.0.1:18884/"},
      {"wss://[::1]:18885/mqtt?x=1", Transport::wss, 18885, "/mqtt?x=1",
       "wss://[::1]:18885/mqtt?x=1"},
      {"wss://broker.example", Transport::wss, 443, "/mqtt", "wss://broker.example:443/mqtt"},
  };
  for (const auto& row : table) {
    INFO(row.url);
    auto a = parse_broker_url(row.url);
    REQUIRE(a);
    CHECK(a->transport == row.transport);
    CHECK(a->port == row.port);
    CHECK(a->path == row.path);
    CHECK(a->tls() == (row.transport == Transport::tls || row.transport == Transport::wss));
    CHECK(cs::bench::broker_url(*a) == row.canonical);
  }
}

TEST_CASE("broker URLs bench cannot use are usage errors saying why", "[bench]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"127.0.0.1:1883", "cannot use broker URL '127.0.0.1:1883': it has no scheme"},
      {"http://h:80",
       "cannot use broker URL 'http://h:80': bench speaks mqtt://, mqtts://, ws:// and wss://, "
       "not http://"},
      {"mqtts://h:1/topic", "cannot use broker URL 'mqtts://h:1/topic': it has a path"},
      {"wss://:443/mqtt", "cannot use broker URL 'wss://:443/mqtt': it has no host"},
      {"mqtt://:1883", "cannot use broker URL 'mqtt://:1883': it has no host"},
      {"mqtt://h:0",
       "cannot use broker URL 'mqtt://h:0': the port is not a number from 1 to 65535"},
      {"mqtt://h:65536",
       "cannot use broker URL 'mqtt://h:65536': the port is not a number from 1 to 65535"},
      {"mqtt://h:x",
       "cannot use broker URL 'mqtt://h:x': the port is not a number from 1 to 65535"},
      {"mqtt://h:", "cannot use broker URL 'mqtt://h:': the port is not a number from 1 to 65535"},
      {"mqtt://h:1/topic", "cannot use broker URL 'mqtt://h:1/topic': it has a path"},
      {"mqtt://::1",
       "cannot use broker URL 'mqtt://::1': an IPv6 address must be written in brackets"},
      {"mqtt://[::1", "cannot use broker URL 'mqtt://[::1': the IPv6 address has no ']'"},
  };
  for (const auto& [url, message] : cases) {
    INFO(url);
    auto r = parse_broker_url(url);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == cs::ErrorCode::usage);
    CHECK(r.error().message == message);
    CHECK(r.error().hint == "write it as mqtt://, mqtts://, ws:// or wss://HOST:PORT");
  }
}

TEST_CASE("topic patterns: %i is the publisher index, a '+' level in the filter", "[bench]") {
  CHECK(topic_for("bench/%i", 7) == "bench/7");
  CHECK(topic_for("a/%i/b/%i", 12) == "a/12/b/12");
  CHECK(topic_for("fixed/topic", 3) == "fixed/topic");
  CHECK(topic_for("p-%i-x", 0) == "p-0-x");
  CHECK(subscription_filter("bench/%i") == "bench/+");
  CHECK(subscription_filter("a/pub-%i/data") == "a/+/data");
  CHECK(subscription_filter("%i") == "+");
  CHECK(subscription_filter("fixed/topic") == "fixed/topic");
  CHECK(subscription_filter("a//%i/") == "a//+/");
}

TEST_CASE("topic patterns that would yield invalid topics are refused", "[bench]") {
  using cs::bench::check_topic_pattern;
  CHECK_FALSE(check_topic_pattern("cloudsignal/bench/%i"));
  CHECK_FALSE(check_topic_pattern("plain"));
  CHECK(check_topic_pattern("") == "the topic pattern is empty");
  CHECK(check_topic_pattern("$SYS/%i") == "topics starting with '$' belong to the broker");
  CHECK(check_topic_pattern("a/+/%i"));
  CHECK(check_topic_pattern("a/#"));
}

TEST_CASE("a paced publisher's schedule: message n is due at n / rate", "[bench]") {
  CHECK(due_after(0, 100) == 0ns);
  CHECK(due_after(1, 100) == 10ms);
  CHECK(due_after(250, 100) == 2500ms);
  CHECK(due_after(1, 3) == 333333334ns);  // rounded up, never early
  CHECK(due_by(0ns, 100) == 1);           // message 0 at once
  CHECK(due_by(9999999ns, 100) == 1);
  CHECK(due_by(10ms, 100) == 2);
  CHECK(due_by(1s, 100) == 101);
  CHECK(due_by(-1ns, 100) == 0);
  // The two agree: due_by counts the messages whose due time has come.
  for (std::uint64_t n : {1ULL, 7ULL, 1000ULL, 123457ULL}) {
    for (double rate : {3.0, 20.0, 2000.0, 7919.0}) {
      INFO(n << " at " << rate);
      CHECK(due_by(due_after(n, rate), rate) == n + 1);
      CHECK(due_by(due_after(n, rate) - 1ns, rate) == n);
    }
  }
}
