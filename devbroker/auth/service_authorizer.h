#pragma once
// The broker's Authorizer backed by the AuthService: decisions that need bcrypt finish on a
// worker thread and are handed back to the broker's event loop.

#include <functional>

#include "devbroker/auth/auth_service.h"
#include "devbroker/mqtt/authorizer.h"

namespace cs::auth {

class ServiceAuthorizer final : public mqtt::Authorizer {
 public:
  using Deliver = std::function<void(mqtt::ConnectionId, mqtt::AuthDecision)>;
  using WallClock = std::function<SysSeconds()>;

  /// Asks `service`; `deliver_later` (called on any thread) must pass a late decision to the
  /// broker's loop (Broker::on_auth_result). Both must outlive this object.
  ServiceAuthorizer(AuthService& service, WallClock clock, Deliver deliver_later)
      : m_service(service), m_clock(std::move(clock)), m_deliver(std::move(deliver_later)) {}

  std::optional<mqtt::AuthDecision> authenticate(const mqtt::ConnectRequest& request) override;
  bool may_publish(const mqtt::Identity& identity, std::string_view client_id,
                   std::string_view topic) override {
    return m_service.may(identity, client_id, topic, Action::publish);
  }
  bool may_subscribe(const mqtt::Identity& identity, std::string_view client_id,
                     std::string_view filter) override {
    return m_service.may(identity, client_id, filter, Action::subscribe);
  }
  std::string save_identity(const mqtt::Identity& identity) override;
  std::shared_ptr<const mqtt::Identity> restore_identity(std::string_view saved) override;

 private:
  AuthService& m_service;
  WallClock m_clock;
  Deliver m_deliver;
};

}  // namespace cs::auth
