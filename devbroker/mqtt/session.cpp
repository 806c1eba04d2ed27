#include "devbroker/mqtt/session.h"

#include <algorithm>

namespace cs::mqtt {

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
