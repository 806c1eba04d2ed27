// The publishing half of LoadClient: the send schedule, the window and its wake-ups.

#include <algorithm>
#include <boost/asio/post.hpp>

#include "cli/bench/load_client.h"
#include "cli/bench/payload.h"
#include "devbroker/mqtt/codec.h"

namespace cs::bench {

namespace asio = boost::asio;

namespace {

constexpr std::size_t k_write_batch = 64 * 1024;  // bytes of PUBLISH packets per write
constexpr auto k_stall = std::chrono::seconds(1);

}  // namespace

void LoadClient::begin_publishing(Clock::time_point start) {
  asio::post(m_executor, [self = shared_from_this(), start] {
    if (self->m_state != State::ready) return;
    self->m_start = start;
    self->m_publishing = true;
    self->pump();
  });
}

void LoadClient::stop_publishing() {
  asio::post(m_executor, [self = shared_from_this()] {
    if (!self->m_publishing) return;
    self->m_publishing = false;
    ++self->m_timer_generation;
    self->m_timer.cancel();
    if (!self->m_write_busy && !self->m_stop_noted) {
      self->m_stop_noted = true;
      self->m_run.note_stopped();
    }
  });
}

std::uint64_t LoadClient::window_room() const {
  std::uint64_t outstanding = 0;
  if (m_publish.qos != mqtt::QoS::at_most_once) outstanding = m_issued - m_acked;
  const std::size_t subscribers = m_run.workload().subscribers;
  if (subscribers != 0) {
    // Messages count as delivered once every subscriber has them; the window is end to end,
    // so neither the broker's queues nor the socket buffers fill up behind it.
    const std::uint64_t delivered = m_run.received_from(index()) / subscribers + m_written_off;
    outstanding = std::max(outstanding, m_issued - std::min(m_issued, delivered));
  } else if (m_publish.qos == mqtt::QoS::at_most_once) {
    return k_write_batch;  // only the socket holds a publisher back
  }
  return outstanding >= m_window ? 0 : m_window - outstanding;
}

void LoadClient::pump() {
  if (!m_publishing || m_write_busy || m_state != State::ready) return;
  const auto now = Clock::now();
  const std::uint64_t room = window_room();
  const std::uint64_t packet_size = mqtt::encoded_size(mqtt::view_of(m_publish), m_version);
  std::uint64_t count =
      std::min<std::uint64_t>(room, std::max<std::uint64_t>(1, k_write_batch / packet_size));
  if (m_rate > 0) {
    const std::uint64_t due = due_by(now - m_start, m_rate);
    count = std::min(count, due > m_issued ? due - m_issued : 0);
    if (count == 0 && room > 0) {
      arm_timer(m_start + std::chrono::duration_cast<Clock::duration>(due_after(m_issued, m_rate)),
                [this] { pump(); });
      return;
    }
  } else if (room < std::max<std::uint64_t>(1, m_window / 2)) {
    // Refill in half-window batches rather than one message per acknowledgement.
    count = 0;
  }
  if (count == 0) return wait_for_subscribers();

  Stamp stamp{stamp_time(now), index(), m_run.run_tag()};
  write_stamp(stamp, m_publish.payload);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (m_publish.qos != mqtt::QoS::at_most_once) m_publish.packet_id = allocate_packet_id();
    mqtt::encode(mqtt::view_of(m_publish), m_version, m_pending);
  }
  m_issued += count;
  m_pending_publishes += count;
  flush();
}

// When the subscribers are what holds the window closed, arms the wake-up they trigger and a
// stall check. Otherwise the broker's acknowledgements hold it, and those arrive on this
// connection's own reads, which pump again.
void LoadClient::wait_for_subscribers() {
  const std::size_t subscribers = m_run.workload().subscribers;
  if (subscribers == 0) return;
  const std::uint64_t low_water = m_rate > 0 ? 1 : std::max<std::uint64_t>(1, m_window / 2);
  // Delivered messages that leave `low_water` of room: issued - delivered <= window - low_water.
  const std::uint64_t target_delivered =
      m_issued + low_water > m_window ? m_issued + low_water - m_window : 0;
  if (target_delivered <= m_written_off) return;
  const std::uint64_t target = (target_delivered - m_written_off) * subscribers;
  const std::uint64_t delivered_now = m_run.received_from(index());
  if (delivered_now >= target) return;
  m_wake_at.store(target);
  m_waiting.store(true);
  if (m_run.received_from(index()) >= target && m_waiting.exchange(false)) {
    asio::post(m_executor, [self = shared_from_this()] { self->pump(); });
    return;
  }
  arm_timer(Clock::now() + k_stall, [this, delivered_now] { on_stall_check(delivered_now); });
}

void LoadClient::on_delivered(std::uint64_t received) {
  if (!m_waiting.load() || received < m_wake_at.load()) return;
  if (m_waiting.exchange(false)) {
    asio::post(m_executor, [self = shared_from_this()] { self->pump(); });
  }
}

void LoadClient::on_stall_check(std::uint64_t delivered_before) {
  if (!m_waiting.load()) return;
  const std::uint64_t delivered = m_run.received_from(index());
  if (delivered == delivered_before) {
    // Nothing arrived for a second: what is still on its way is lost (QoS 0 under overload).
    // Write it off so the run goes on; the report counts it as lost.
    const std::size_t subscribers = m_run.workload().subscribers;
    m_written_off = m_issued - std::min(m_issued, delivered / subscribers);
  }
  if (m_waiting.exchange(false)) pump();
}

void LoadClient::arm_timer(Clock::time_point at, std::function<void()> then) {
  const std::uint64_t generation = ++m_timer_generation;
  m_timer.expires_at(at);
  m_timer.async_wait([self = shared_from_this(), generation,
                      then = std::move(then)](boost::system::error_code ec) {
    if (ec || generation != self->m_timer_generation) return;
    then();
  });
}

std::uint16_t LoadClient::allocate_packet_id() {
  while (m_ids_in_use[m_next_id]) m_next_id = static_cast<std::uint16_t>(m_next_id % 65535 + 1);
  const std::uint16_t id = m_next_id;
  m_ids_in_use[id] = true;
  m_next_id = static_cast<std::uint16_t>(m_next_id % 65535 + 1);
  return id;
}

}  // namespace cs::bench
