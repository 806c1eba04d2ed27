#include "devbroker/auth/service_authorizer.h"

#include <memory>
#include <mutex>

namespace cs::auth {

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
