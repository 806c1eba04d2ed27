#pragma once
// What the clients of one bench run share with each other and with the thread driving the run:
// the client list, counters the clients update from any thread, and the events the driver
// waits for.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "cli/bench/client_stream.h"
#include "cli/bench/workload.h"
#include "common/error.h"

namespace cs::bench {

using Clock = std::chrono::steady_clock;

enum class Role { publisher, subscriber, idle };

class LoadClient;

/// What the clients of one run share with each other and with the thread driving the run. The
/// client list is fixed before any client starts; counters are atomic because clients may run
/// on several threads; events the driver waits for go through one mutex.
class RunContext {
 public:
  /// A run of `workload` (which must outlive this) against `endpoint`, tagging its messages with
  /// `run_tag`; `tls` is the client context of mqtts and wss runs.
  RunContext(const Workload& workload, boost::asio::ip::tcp::endpoint endpoint,
             std::uint32_t run_tag, TlsClientContext tls = nullptr);

  const Workload& workload() const { return m_workload; }
  const boost::asio::ip::tcp::endpoint& endpoint() const { return m_endpoint; }
  const TlsClientContext& tls() const { return m_tls; }
  std::uint32_t run_tag() const { return m_run_tag; }

  /// Adds `client`; the first publishers added get indexes 0, 1, ... in order.
  void add(std::shared_ptr<LoadClient> client, Role role);
  const std::vector<std::shared_ptr<LoadClient>>& clients() const { return m_clients; }

  /// Starts the next client that has not been started, if any: clients connect a bounded number
  /// at a time, each one that finishes connecting starting the next.
  void start_next();

  /// A subscriber received a message of this run from publisher `publisher`.
  void count_received(std::uint32_t publisher);
  /// Messages of publisher `publisher` received so far, by all subscribers together.
  std::uint64_t received_from(std::uint32_t publisher) const;
  /// All messages of this run received so far.
  std::uint64_t received_total() const;
  std::size_t publisher_count() const { return m_publishers.size(); }

  std::atomic<std::uint64_t> sent{0};          // PUBLISH packets written
  std::atomic<std::uint64_t> acknowledged{0};  // PUBACK / PUBCOMP received

  // Events for the driving thread.
  void note_connected();
  void note_subscribed();
  void note_stopped();
  void note_closed();
  /// Records the first failure of the run; later ones are dropped.
  void note_failure(Error error);

  struct Progress {
    std::size_t connected = 0;
    std::size_t subscribed = 0;
    std::size_t stopped = 0;  // publishers that finished their last write after being stopped
    std::size_t closed = 0;
    std::optional<Error> failure;
  };
  /// Waits until `done(progress)` holds or a failure is recorded (true), or until `deadline`
  /// (false). Polls every few milliseconds as well, so `done` may read the atomic counters.
  bool wait_until(const std::function<bool(const Progress&)>& done, Clock::time_point deadline);
  /// A copy of the progress so far.
  Progress progress() const;

 private:
  const Workload& m_workload;
  boost::asio::ip::tcp::endpoint m_endpoint;
  std::uint32_t m_run_tag;
  TlsClientContext m_tls;
  std::vector<std::shared_ptr<LoadClient>> m_clients;
  std::vector<LoadClient*> m_publishers;
  std::unique_ptr<std::atomic<std::uint64_t>[]> m_received_from;
  std::atomic<std::size_t> m_next_start{0};

  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  Progress m_progress;
};

}  // namespace cs::bench
