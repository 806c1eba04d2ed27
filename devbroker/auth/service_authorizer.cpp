#include "devbroker/auth/service_authorizer.h"

#include <memory>
#include <mutex>

#include "common/log.h"
#include "devbroker/auth/saved_identity.h"

namespace cs::auth {

std::string ServiceAuthorizer::save_identity(const mqtt::Identity& identity) {
  // Every identity the broker holds came from the service's authenticate.
  return auth::save_identity(static_cast<const ClientIdentity&>(identity));
}

std::shared_ptr<const mqtt::Identity> ServiceAuthorizer::restore_identity(std::string_view saved) {
  auto identity = auth::restore_identity(saved, m_service.topic_limits());
  if (!identity) {
    log::warn(identity.error().message);
    return nullptr;
  }
  return *identity;
}

std::optional<mqtt::AuthDecision> ServiceAuthorizer::authenticate(
    const mqtt::ConnectRequest& request) {
  // The service may answer before authenticate() returns (tokens, refusals) or later from a
  // bcrypt worker; whichever side comes second takes the decision.
  struct Rendezvous {
    std::mutex mutex;
    bool returned = false;
    std::optional<mqtt::AuthDecision> early;
  };
  auto meeting = std::make_shared<Rendezvous>();
  const mqtt::ConnectionId id = request.connection;
  m_service.authenticate(request, m_clock(),
                         [meeting, id, deliver = m_deliver](mqtt::AuthDecision d) {
                           {
                             std::lock_guard lock(meeting->mutex);
                             if (!meeting->returned) {
                               meeting->early = std::move(d);
                               return;
                             }
                           }
                           deliver(id, std::move(d));
                         });
  std::lock_guard lock(meeting->mutex);
  meeting->returned = true;
  return std::move(meeting->early);
}

}  // namespace cs::auth
