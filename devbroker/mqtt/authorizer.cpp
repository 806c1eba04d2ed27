#include "devbroker/mqtt/authorizer.h"

namespace cs::mqtt {

std::optional<AuthDecision> AnonymousAuthorizer::authenticate(const ConnectRequest& request) {
  AuthDecision d;
  if (request.username || request.password) {
    d.reason = ReasonCode::bad_username_or_password;
    d.message = "no credential store is configured, so credentials cannot be checked";
    return d;
  }
  if (!m_allow_anonymous) {
    d.reason = ReasonCode::not_authorized;
    d.message = "anonymous clients are not allowed (start with --allow-anonymous)";
    return d;
  }
  auto identity = std::make_shared<Identity>();
  identity->anonymous = true;
  identity->kind = "anonymous";
  d.accepted = true;
  d.reason = ReasonCode::success;
  d.identity = std::move(identity);
  return d;
}

}  // namespace cs::mqtt
