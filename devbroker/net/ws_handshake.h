#pragma once
// Whether to upgrade an HTTP request to MQTT over WebSocket, and with which subprotocol. Pure:
// the transport reads the request and carries out the decision.
//
// Evaluation order (the first that applies decides):
//   1. the path, without its query, is not "/" or "/mqtt"          -> 404
//   2. the request is not a WebSocket upgrade (plain HTTP)           -> 426 Upgrade Required
//   3. allowed origins are configured, and an Origin header is sent
//      that is not one of them                                      -> 403
//   4. subprotocols are offered, but neither "mqtt" nor "mqttv3.1"   -> 400
//   5. otherwise upgrade, answering "mqtt" when offered, else "mqttv3.1", else no subprotocol.
// A request without an Origin header passes step 3: browsers always send one, and any other
// client could send whatever it likes. A client offering no subprotocol is served (as
// mosquitto does), although MQTT 5.0 section 6.0 asks clients to offer "mqtt".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cs::net {

/// The subprotocol the MQTT specification names, and the one MQTT 3.1 clients used.
inline constexpr std::string_view k_ws_subprotocol = "mqtt";
inline constexpr std::string_view k_ws_legacy_subprotocol = "mqttv3.1";

struct WsPolicy {
  std::vector<std::string> allowed_origins;  // normalized (normalize_origin); empty = any
};

/// The parts of an HTTP request the decision reads.
struct WsRequest {
  std::string_view target;                       // "/mqtt?x=1"
  bool is_upgrade = false;                       // GET with Upgrade: websocket, Connection: upgrade
  std::optional<std::string_view> origin;        // the Origin header, when sent
  std::optional<std::string_view> subprotocols;  // Sec-WebSocket-Protocol values, comma-joined
};

struct WsDecision {
  unsigned status = 101;    // 101 to upgrade, else the HTTP status of the refusal
  std::string subprotocol;  // to answer with when upgrading; empty = none
  std::string reason;       // for a refusal: one sentence for the body and the log
  bool upgrade() const { return status == 101; }
};

/// Decides `request` under `policy`, in the order written at the top of this file.
WsDecision decide_ws_handshake(const WsRequest& request, const WsPolicy& policy);

/// The origin `text` ("HTTPS://App.example.com:443/") in the form browsers send and
/// decide_ws_handshake() compares ("https://app.example.com"): scheme and host in lower case,
/// the scheme's default port and a trailing "/" dropped. An invalid_request error for anything
/// that is not scheme://host[:port] (the opaque origin "null" included).
Result<std::string> normalize_origin(std::string_view text);

}  // namespace cs::net
