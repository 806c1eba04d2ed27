// DISCONNECT from a client.

#include "common/log.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/broker_internal.h"

namespace cs::mqtt {

void Broker::handle_disconnect(Connection& c, const Disconnect& packet, TimePoint now) {
  Session& s = *c.session;
  if (auto expiry = packet.properties.session_expiry_interval) {
    if (s.expiry_interval == 0 && *expiry != 0) {
      // [MQTT-3.14.2-2] a session that was to end at disconnect cannot be revived here.
      return fail(c, ReasonCode::protocol_error, "session expiry set on DISCONNECT after 0", now);
    }
    s.expiry_interval = std::min(*expiry, m_options.limits.max_session_expiry);
  }
  // [MQTT-3.1.2-10] only a DISCONNECT with reason 0x00 discards the will (0x04 and errors keep it).
  const bool with_will = packet.reason_code != ReasonCode::success;
  if (log::enabled(log::Level::info)) log::info("disconnected: " + describe(c));
  request_close(c);
  end_connection(c, with_will ? WillFate::publish : WillFate::discard, now);
}

}  // namespace cs::mqtt
