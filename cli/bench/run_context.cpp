#include "cli/bench/run_context.h"

#include "cli/bench/load_client.h"

namespace cs::bench {

namespace {

constexpr auto k_poll = std::chrono::milliseconds(5);

}  // namespace

RunContext::RunContext(const Workload& workload, boost::asio::ip::tcp::endpoint endpoint,
                       std::uint32_t run_tag, TlsClientContext tls)
    : m_workload(workload),
      m_endpoint(std::move(endpoint)),
      m_run_tag(run_tag),
      m_tls(std::move(tls)),
      m_received_from(std::make_unique<std::atomic<std::uint64_t>[]>(workload.publishers)) {}

void RunContext::add(std::shared_ptr<LoadClient> client, Role role) {
  if (role == Role::publisher) m_publishers.push_back(client.get());
  m_clients.push_back(std::move(client));
}

void RunContext::start_next() {
  const std::size_t i = m_next_start.fetch_add(1);
  if (i < m_clients.size()) m_clients[i]->start();
}

void RunContext::count_received(std::uint32_t publisher) {
  const std::uint64_t now = m_received_from[publisher].fetch_add(1) + 1;
  m_publishers[publisher]->on_delivered(now);
}

std::uint64_t RunContext::received_from(std::uint32_t publisher) const {
  return m_received_from[publisher].load();
}

std::uint64_t RunContext::received_total() const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < m_publishers.size(); ++i) total += m_received_from[i].load();
  return total;
}

void RunContext::note_connected() {
  std::lock_guard lock(m_mutex);
  ++m_progress.connected;
  m_changed.notify_all();
}

void RunContext::note_subscribed() {
  std::lock_guard lock(m_mutex);
  ++m_progress.subscribed;
  m_changed.notify_all();
}

void RunContext::note_stopped() {
  std::lock_guard lock(m_mutex);
  ++m_progress.stopped;
  m_changed.notify_all();
}

void RunContext::note_closed() {
  std::lock_guard lock(m_mutex);
  ++m_progress.closed;
  m_changed.notify_all();
}

void RunContext::note_failure(Error error) {
  std::lock_guard lock(m_mutex);
  if (!m_progress.failure) m_progress.failure = std::move(error);
  m_changed.notify_all();
}

bool RunContext::wait_until(const std::function<bool(const Progress&)>& done,
                            Clock::time_point deadline) {
  std::unique_lock lock(m_mutex);
  while (true) {
    if (m_progress.failure || done(m_progress)) return true;
    const auto now = Clock::now();
    if (now >= deadline) return false;
    m_changed.wait_until(lock, std::min(deadline, now + k_poll));
  }
}

RunContext::Progress RunContext::progress() const {
  std::lock_guard lock(m_mutex);
  return m_progress;
}

}  // namespace cs::bench
