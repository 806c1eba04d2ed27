#pragma once
// The scopes of a restricted API key (`rk_…`, API.md "MQTT users and API keys"): what the key
// may do at all. A key's scopes narrow what the access list allows; both must allow a publish or
// a subscription.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "devbroker/auth/acl.h"
#include "devbroker/mqtt/topic.h"

namespace cs::auth {

enum class ScopeKind { publish, subscribe, tokens_create, tokens_exchange, read };

struct Scope {
  ScopeKind kind = ScopeKind::read;
  std::string filter;  // publish and subscribe only: a topic filter, without placeholders

  bool operator==(const Scope&) const = default;
};

/// Parses one scope: `publish:<filter>`, `subscribe:<filter>`, `tokens:create`,
/// `tokens:exchange` or `read`, exact and case-sensitive. The filter must be valid under
/// `limits`, not a `$share/` filter, and free of `%` (scopes substitute nothing). Anything else
/// is an invalid_request error naming the scope.
Result<Scope> parse_scope(std::string_view text, const mqtt::TopicLimits& limits);

/// Parses every scope of `texts` with parse_scope; the first bad one is the error.
Result<std::vector<Scope>> parse_scopes(const std::vector<std::string>& texts,
                                        const mqtt::TopicLimits& limits);

/// The text form of `scope`, which parse_scope reads back.
std::string scope_text(const Scope& scope);

/// True when `scopes` hold a scope of `kind` (meant for tokens_create, tokens_exchange, read).
bool has_scope(const std::vector<Scope>& scopes, ScopeKind kind);

/// True when `scopes` let a key do `action` on `topic_or_filter`: a publish scope's filter
/// matches the topic name, or a subscribe scope's filter covers the requested filter (after any
/// `$share/{group}/` prefix; filter_covers). An invalid topic or filter is never allowed.
bool scope_allows(const std::vector<Scope>& scopes, Action action,
                  std::string_view topic_or_filter);

}  // namespace cs::auth
