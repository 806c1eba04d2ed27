#pragma once
// The broker's one door to the auth stack: who may connect, publish and subscribe. The broker
// asks; an Authorizer decides. Decisions on CONNECT may take time (bcrypt), so they can arrive
// later through Broker::on_auth_result.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "devbroker/mqtt/packet.h"

namespace cs::mqtt {

using ConnectionId = std::uint64_t;

/// Who a connection authenticated as. Owned by the auth stack; the broker only holds it.
struct Identity {
  std::string name;      // the part of the MQTT username before '@' ("" when anonymous)
  std::string username;  // as presented ("" when anonymous)
  bool anonymous = false;
  std::string kind;           // "anonymous", "user", "token", "api_key", ...
  std::string credential_id;  // e.g. the token id a session is bound to
};

struct ConnectRequest {
  ConnectionId connection = 0;
  Version version = Version::v311;
  std::string client_id;
  std::optional<std::string> username;
  std::optional<Bytes> password;
  std::optional<std::string> authentication_method;  // 5.0 enhanced auth (unsupported)
  std::string peer;                                  // remote address, for logs and allowlists
  std::optional<std::string> certificate_name;       // CN of a verified client certificate (mTLS)
};

struct AuthDecision {
  bool accepted = false;
  ReasonCode reason = ReasonCode::not_authorized;  // 5.0 code when refused
  std::string message;                             // for the log; never a secret
  std::shared_ptr<const Identity> identity;        // set when accepted
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  /// Decides `request` now, or returns nullopt and later calls Broker::on_auth_result on the
  /// broker's event loop.
  virtual std::optional<AuthDecision> authenticate(const ConnectRequest& request) = 0;
  /// True when `identity`, connected as `client_id`, may publish to `topic`.
  virtual bool may_publish(const Identity& identity, std::string_view client_id,
                           std::string_view topic) = 0;
  /// True when `identity`, connected as `client_id`, may subscribe to `filter`.
  virtual bool may_subscribe(const Identity& identity, std::string_view client_id,
                             std::string_view filter) = 0;
  /// `identity` as text the store keeps beside a persistent session's will, so that the will
  /// can be checked after a restart; it never holds a secret.
  virtual std::string save_identity(const Identity& identity) = 0;
  /// The identity that `saved` (from save_identity) describes, or nullptr when it cannot be read.
  virtual std::shared_ptr<const Identity> restore_identity(std::string_view saved) = 0;
};

}  // namespace cs::mqtt
