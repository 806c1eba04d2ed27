#include "cli/bench/load_run.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <thread>

#include "cli/bench/load_client.h"
#include "common/crypto/random.h"

namespace cs::bench {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t k_connects_at_once = 100;
constexpr auto k_connect_timeout = std::chrono::seconds(60);
constexpr auto k_subscribe_timeout = std::chrono::seconds(10);
constexpr auto k_drain_timeout = std::chrono::seconds(5);
constexpr auto k_close_timeout = std::chrono::seconds(5);

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::uint32_t random_tag() {
  const Bytes bytes = crypto::random_bytes(4);
  std::uint32_t tag = 0;
  std::memcpy(&tag, bytes.data(), sizeof tag);
  return tag;
}

Result<tcp::endpoint> resolve(asio::io_context& io, const BrokerAddress& address) {
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(address.host, std::to_string(address.port), ec);
  if (ec || results.empty()) {
    std::string message = "cannot resolve '";
    message.append(address.host).append("'");
    if (ec) message.append(": ").append(ec.message());
    return fail(ErrorCode::unreachable, std::move(message));
  }
  return results.begin()->endpoint();
}

// Runs the event loop on `count` threads for as long as it lives.
class LoopThreads {
 public:
  LoopThreads(asio::io_context& io, std::size_t count)
      : m_io(io), m_guard(asio::make_work_guard(io)) {
    for (std::size_t i = 0; i < count; ++i) m_threads.emplace_back([&io] { io.run(); });
  }
  ~LoopThreads() { stop(); }
  void stop() {
    m_guard.reset();
    m_io.stop();
    for (auto& t : m_threads) {
      if (t.joinable()) t.join();
    }
  }

 private:
  asio::io_context& m_io;
  asio::executor_work_guard<asio::io_context::executor_type> m_guard;
  std::vector<std::thread> m_threads;
};

std::string milliseconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", seconds * 1000.0);
  return buffer;
}

std::string count_text(std::size_t n, const char* what) {
  std::string out = std::to_string(n);
  out.append(" ").append(what);
  if (n != 1) out.append("s");
  return out;
}

void add_clients(RunContext& run, asio::io_context& io, const Workload& w) {
  auto executor = [&]() -> asio::any_io_executor {
    if (w.threads > 1) return asio::make_strand(io);
    return io.get_executor();
  };
  if (w.idle) {
    for (std::size_t i = 0; i < w.connections; ++i) {
      run.add(std::make_shared<LoadClient>(executor(), run, Role::idle, i), Role::idle);
    }
    return;
  }
  // Subscribers first, so every one listens before the first message is sent.
  for (std::size_t i = 0; i < w.subscribers; ++i) {
    run.add(std::make_shared<LoadClient>(executor(), run, Role::subscriber, i), Role::subscriber);
  }
  for (std::size_t i = 0; i < w.publishers; ++i) {
    run.add(std::make_shared<LoadClient>(executor(), run, Role::publisher, i), Role::publisher);
  }
}

// Connects every client, a bounded number at a time, and waits for the subscriptions.
Result<void> connect_all(RunContext& run, LoadReport& report, std::ostream& status) {
  const Workload& w = run.workload();
  const std::size_t total = run.clients().size();
  status << "connecting " << count_text(total, "client") << " to " << w.url << " (MQTT "
         << version_name(w.version) << ")\n";
  status.flush();
  const auto start = Clock::now();
  for (std::size_t i = 0; i < std::min(k_connects_at_once, total); ++i) run.start_next();
  const bool connected = run.wait_until([&](const auto& p) { return p.connected == total; },
                                        start + k_connect_timeout);
  const auto end = Clock::now();
  if (auto failure = run.progress().failure) return fail(std::move(*failure));
  if (!connected) {
    std::string message = "only ";
    message.append(std::to_string(run.progress().connected)).append(" of ");
    message.append(count_text(total, "client")).append(" connected within ");
    message.append(std::to_string(k_connect_timeout.count())).append(" s");
    return fail(ErrorCode::timeout, std::move(message));
  }
  report.connected = total;
  report.connect_seconds = seconds_between(start, end);
  const bool subscribed =
      run.wait_until([&](const auto& p) { return p.subscribed == w.subscribers; },
                     Clock::now() + k_subscribe_timeout);
  if (auto failure = run.progress().failure) return fail(std::move(*failure));
  if (!subscribed) {
    return fail(ErrorCode::timeout, "the broker did not answer every SUBSCRIBE in time");
  }
  status << "connected " << count_text(total, "client") << " in "
         << milliseconds_text(report.connect_seconds) << " ms\n";
  return {};
}

// Keeps the idle connections open for the workload's duration.
Result<void> hold(RunContext& run, std::ostream& status) {
  const Workload& w = run.workload();
  status << "holding " << count_text(run.clients().size(), "connection") << " for "
         << static_cast<double>(w.duration.count()) / 1000.0 << " s\n";
  status.flush();
  run.wait_until([](const auto&) { return false; }, Clock::now() + w.duration);
  if (auto failure = run.progress().failure) return fail(std::move(*failure));
  return {};
}

// Publishes for the workload's duration, then waits for the last messages to arrive and be
// acknowledged; returns when publishing started.
Result<Clock::time_point> publish(RunContext& run, LoadReport& report, std::ostream& status) {
  const Workload& w = run.workload();
  status << "publishing for " << static_cast<double>(w.duration.count()) / 1000.0 << " s\n";
  status.flush();
  const auto start = Clock::now();
  for (const auto& client : run.clients()) {
    if (client->role() == Role::publisher) client->begin_publishing(start);
  }
  run.wait_until([](const auto&) { return false; }, start + w.duration);
  const auto stop = Clock::now();
  for (const auto& client : run.clients()) {
    if (client->role() == Role::publisher) client->stop_publishing();
  }
  report.publish_seconds = seconds_between(start, stop);
  if (auto failure = run.progress().failure) return fail(std::move(*failure));
  run.wait_until(
      [&](const auto& p) {
        const std::uint64_t sent = run.sent.load();
        return p.stopped == w.publishers &&
               (w.qos == mqtt::QoS::at_most_once || run.acknowledged.load() == sent) &&
               run.received_total() >= sent * w.subscribers;
      },
      stop + k_drain_timeout);
  if (auto failure = run.progress().failure) return fail(std::move(*failure));
  return start;
}

// Adds up what the clients measured; only once the event loop has stopped.
void collect(const RunContext& run, Clock::time_point publish_start, LoadReport& report) {
  report.sent = run.sent.load();
  report.acknowledged = run.acknowledged.load();
  report.receive_seconds = report.publish_seconds;
  for (const auto& client : run.clients()) {
    report.received += client->received();
    report.latency.merge(client->latency());
    if (auto last = client->last_received()) {
      report.receive_seconds =
          std::max(report.receive_seconds, seconds_between(publish_start, *last));
    }
  }
}

}  // namespace

Result<LoadReport> run_load(const Workload& w, std::ostream& status) {
  asio::io_context io(static_cast<int>(w.threads));
  auto endpoint = resolve(io, w.broker);
  if (!endpoint) return fail(endpoint.error());
  TlsClientContext tls;
  if (w.broker.tls()) {
    auto context = make_client_tls_context(w.ca_file);
    if (!context) return fail(context.error());
    tls = std::move(*context);
  }
  RunContext run(w, *endpoint, random_tag(), std::move(tls));
  add_clients(run, io, w);
  LoopThreads loop(io, w.threads);

  LoadReport report;
  report.workload = w;
  Clock::time_point publish_start{};
  Result<void> ok = connect_all(run, report, status);
  if (ok && w.idle) ok = hold(run, status);
  if (ok && !w.idle) {
    auto started = publish(run, report, status);
    if (started) publish_start = *started;
    if (!started) ok = fail(started.error());
  }
  if (!ok) {
    for (const auto& client : run.clients()) client->abort();
    loop.stop();
    return fail(ok.error());
  }
  for (const auto& client : run.clients()) client->disconnect();
  const std::size_t total = run.clients().size();
  run.wait_until([&](const auto& p) { return p.closed == total; }, Clock::now() + k_close_timeout);
  loop.stop();
  collect(run, publish_start, report);
  return report;
}

}  // namespace cs::bench
