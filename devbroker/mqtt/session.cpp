#include "devbroker/mqtt/session.h"

#include <algorithm>

namespace cs::mqtt {

std::uint16_t Session::allocate_packet_id() {
  if (inflight.size() >= 65535) return 0;
  for (;;) {
    last_packet_id = static_cast<std::uint16_t>(last_packet_id == 65535 ? 1 : last_packet_id + 1);
    if (find_inflight(last_packet_id) == nullptr) return last_packet_id;
  }
}

Inflight* Session::find_inflight(std::uint16_t packet_id) {
  auto it = std::find_if(inflight.begin(), inflight.end(),
                         [&](const Inflight& f) { return f.packet_id == packet_id; });
  return it == inflight.end() ? nullptr : &*it;
}

bool Session::erase_inflight(std::uint16_t packet_id) {
  auto it = std::find_if(inflight.begin(), inflight.end(),
                         [&](const Inflight& f) { return f.packet_id == packet_id; });
  if (it == inflight.end()) return false;
  inflight.erase(it);
  return true;
}

}  // namespace cs::mqtt
