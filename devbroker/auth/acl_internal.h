#pragma once
// Pieces of rule evaluation shared by acl.cpp (one rule) and acl_index.cpp (a rule set), so both
// decide with the same code. Not part of the auth stack's interface.

#include <optional>
#include <string>
#include <string_view>

#include "devbroker/auth/acl.h"

namespace cs::auth::detail {

/// The part of `topic_or_filter` that rules are compared with: the topic name, or the filter
/// behind a `$share/{group}/` prefix; nullopt when it is not a valid name (publish) or filter
/// (subscribe).
std::optional<std::string_view> acl_request(std::string_view topic_or_filter, Action action);

/// The verdict of the valid `rule` on the prepared `request` (acl_request), for `name` and
/// `client_id`; `scratch` holds the rule's filter when placeholders are substituted.
std::optional<Effect> verdict(const AclRule& rule, std::string_view name,
                              std::string_view client_id, std::string_view request, Action action,
                              std::string& scratch);

}  // namespace cs::auth::detail
