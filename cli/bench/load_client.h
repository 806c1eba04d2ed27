#pragma once
// One MQTT connection of a bench run, on Boost.Asio and the project's codec: it connects, then
// publishes on a schedule or as fast as its window allows, or subscribes and measures what
// arrives, or just stays connected. Every method may be called from any thread; the work runs
// on the client's own strand.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/bench/client_stream.h"
#include "cli/bench/run_context.h"
#include "cli/bench/stats.h"
#include "cli/bench/workload.h"
#include "common/error.h"
#include "devbroker/mqtt/packet.h"

namespace cs::bench {

class LoadClient : public std::enable_shared_from_this<LoadClient> {
 public:
  /// Client number `index` of its `role` in `run`, on `executor` (a strand when the event loop
  /// has several threads).
  LoadClient(boost::asio::any_io_executor executor, RunContext& run, Role role, std::size_t index);
  ~LoadClient();

  /// Connects and sends CONNECT; a subscriber subscribes once accepted.
  void start();
  /// Publisher: starts sending, counting its schedule from `start`.
  void begin_publishing(Clock::time_point start);
  /// Publisher: sends nothing more; notes "stopped" once the write under way is done.
  void stop_publishing();
  /// Sends DISCONNECT, then closes; notes "closed".
  void disconnect();
  /// Closes at once.
  void abort();
  /// Publisher: subscribers received its messages up to `received`; called by subscribers.
  void on_delivered(std::uint64_t received);

  Role role() const { return m_role; }
  std::uint32_t index() const { return static_cast<std::uint32_t>(m_index); }

  // Read only once the event loop has stopped.
  const LatencyHistogram& latency() const { return m_latency; }
  std::uint64_t received() const { return m_received; }
  std::optional<Clock::time_point> last_received() const { return m_last_received; }

 private:
  enum class State { idle, connecting, awaiting_connack, subscribing, ready, closing, closed };

  void on_connected(boost::system::error_code ec);
  void read();
  void on_read(boost::system::error_code ec, std::size_t size);
  void handle(mqtt::Packet&& packet, Clock::time_point now);
  void on_connack(const mqtt::Connack& ack);
  void on_suback(const mqtt::Suback& ack);
  void on_publish(const mqtt::Publish& publish, Clock::time_point now);
  void on_acknowledged(std::uint16_t packet_id, mqtt::ReasonCode reason, const char* what);

  void queue(const mqtt::Packet& packet);
  void flush();
  void on_written(boost::system::error_code ec);
  void schedule_ping();

  void pump();
  std::uint64_t window_room() const;
  void wait_for_subscribers();
  void arm_timer(Clock::time_point at, std::function<void()> then);
  void on_stall_check(std::uint64_t delivered_before);
  std::uint16_t allocate_packet_id();

  void fail(Error error);
  void on_lost(boost::system::error_code ec);
  void close_socket();
  std::string name() const;

  boost::asio::any_io_executor m_executor;
  RunContext& m_run;
  Role m_role;
  std::size_t m_index;
  mqtt::Version m_version;
  std::unique_ptr<ClientStream> m_stream;
  boost::asio::steady_timer m_timer;       // publisher: the schedule, or a stalled window
  boost::asio::steady_timer m_ping_timer;  // keep alive
  std::uint64_t m_timer_generation = 0;
  State m_state = State::idle;
  std::chrono::seconds m_keep_alive;

  Bytes m_read_buffer;
  Bytes m_input;    // the start of a packet not yet complete
  Bytes m_pending;  // encoded, waiting for the write under way
  Bytes m_writing;  // being written
  std::uint64_t m_pending_publishes = 0;
  std::uint64_t m_writing_publishes = 0;
  bool m_write_busy = false;

  // Publisher.
  mqtt::Publish m_publish;
  bool m_publishing = false;
  bool m_stop_noted = false;
  Clock::time_point m_start{};
  double m_rate = 0;  // this publisher's share of the run's rate
  std::size_t m_window = 0;
  std::uint64_t m_issued = 0;               // PUBLISH packets encoded
  std::uint64_t m_acked = 0;                // completed by PUBACK / PUBCOMP
  std::uint64_t m_written_off = 0;          // given up as lost when the window stalled
  std::atomic<std::uint64_t> m_wake_at{0};  // received_from() that reopens the window
  std::atomic<bool> m_waiting{false};       // blocked until subscribers catch up
  std::vector<bool> m_ids_in_use;
  std::uint16_t m_next_id = 1;

  // Subscriber.
  LatencyHistogram m_latency;
  std::uint64_t m_received = 0;
  std::optional<Clock::time_point> m_last_received;
};

}  // namespace cs::bench
