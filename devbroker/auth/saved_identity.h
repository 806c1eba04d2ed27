#pragma once
// A client's identity as the store keeps it beside a persistent session's will: what the access
// checks need (name, kind, credential id, anonymity, full access, an rk_ key's scopes) as
// compact JSON, and never a secret. After a restart the will is checked with this identity, as
// it would have been had the connection dropped while the broker ran.

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/mqtt/topic.h"

namespace cs::auth {

/// `identity` as compact JSON text.
std::string save_identity(const ClientIdentity& identity);

/// The identity `text` (from save_identity) describes; an io error (damaged data) when it is
/// not such JSON or holds a scope that does not parse under `limits`.
Result<std::shared_ptr<const ClientIdentity>> restore_identity(std::string_view text,
                                                               const mqtt::TopicLimits& limits);

}  // namespace cs::auth
