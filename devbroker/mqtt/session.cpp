#include "devbroker/mqtt/session.h"

#include <algorithm>

namespace cs::mqtt {

std::vector<SubscriptionMap::Entry>::iterator SubscriptionMap::lower_bound(
    std::string_view filter) {
  return std::lower_bound(m_entries.begin(), m_entries.end(), filter,
                          [](const Entry& e, std::string_view f) { return e.first < f; });
}

bool SubscriptionMap::contains(std::string_view filter) const {
  auto it = std::lower_bound(m_entries.begin(), m_entries.end(), filter,
                             [](const Entry& e, std::string_view f) { return e.first < f; });
  return it != m_entries.end() && it->first == filter;
}

SubscriptionOptions& SubscriptionMap::operator[](const std::string& filter) {
  auto it = lower_bound(filter);
  if (it == m_entries.end() || it->first != filter) it = m_entries.insert(it, {filter, {}});
  return it->second;
}

std::size_t SubscriptionMap::erase(std::string_view filter) {
  auto it = lower_bound(filter);
  if (it == m_entries.end() || it->first != filter) return 0;
  m_entries.erase(it);
  return 1;
}

bool PacketIdSet::contains(std::uint16_t id) const {
  return std::binary_search(m_ids.begin(), m_ids.end(), id);
}

void PacketIdSet::insert(std::uint16_t id) {
  auto it = std::lower_bound(m_ids.begin(), m_ids.end(), id);
  if (it == m_ids.end() || *it != id) m_ids.insert(it, id);
}

std::size_t PacketIdSet::erase(std::uint16_t id) {
  auto it = std::lower_bound(m_ids.begin(), m_ids.end(), id);
  if (it == m_ids.end() || *it != id) return 0;
  m_ids.erase(it);
  return 1;
}

std::uint16_t Session::allocate_packet_id() {
  if (inflight_count() >= 65535) return 0;
  for (;;) {
    last_packet_id = static_cast<std::uint16_t>(last_packet_id == 65535 ? 1 : last_packet_id + 1);
    if (find_inflight(last_packet_id) == nullptr) return last_packet_id;
  }
}

Inflight* Session::find_inflight(std::uint16_t packet_id) {
  auto live = live_inflight();
  auto it = std::find_if(live.begin(), live.end(),
                         [&](const Inflight& f) { return f.packet_id == packet_id; });
  return it == live.end() ? nullptr : &*it;
}

bool Session::erase_inflight(std::uint16_t packet_id) {
  const auto first = inflight.begin() + inflight_acked;
  auto it = std::find_if(first, inflight.end(),
                         [&](const Inflight& f) { return f.packet_id == packet_id; });
  if (it == inflight.end()) return false;
  if (it != first) {
    inflight.erase(it);
    return true;
  }
  // Acknowledged in order, the usual case: the entry is emptied where it stands and the emptied
  // front goes in one erase once it is half the vector. Erasing each one at once shifted the
  // whole window per PUBACK, most of the broker's time with a large window.
  *it = Inflight{};
  ++inflight_acked;
  if (inflight_acked * 2u >= inflight.size()) {
    inflight.erase(inflight.begin(), inflight.begin() + inflight_acked);
    inflight_acked = 0;
  }
  return true;
}

}  // namespace cs::mqtt
