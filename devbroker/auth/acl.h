#pragma once
// Access-list rules (API.md "Access lists"): who may publish or subscribe to which topics, and
// what one rule says about one request. Deciding over a whole rule set is acl_index.h's job.
//
// A rule's topic is an MQTT topic filter in which the whole level `%u` stands for the user's
// name and the whole level `%c` for the client id. Placeholders are whole levels only, and `%`
// appears nowhere else in a rule's topic: `users/%u/#` is a rule, `users/x%u/#` and
// `stats/100%` are refused. A value stands in for a placeholder only when it is non-empty, free
// of `+`, `#`, `/` and U+0000, and does not start with `$`; otherwise an allow rule that needs
// it grants nothing, and a deny rule that needs it refuses every topic at and below the levels
// before the placeholder (all topics, `$` ones included, when the placeholder is the first
// level), so a strange name or client id can only lose access, never gain it.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "devbroker/mqtt/topic.h"

namespace cs::auth {

enum class Permission { pub, sub, pubsub };
enum class Effect { allow, deny };
enum class Action { publish, subscribe };

/// The user pattern of a rule that applies to every user (and to anonymous clients).
constexpr std::string_view k_every_user = "%";

struct AclRule {
  std::string id;
  std::string user_pattern;  // k_every_user or one name (the part of the username before '@')
  std::string topic;         // a topic filter; `%u` and `%c` as whole levels
  Permission permission = Permission::pubsub;
  Effect effect = Effect::allow;
};

/// The outcome of an access-list evaluation.
struct AclDecision {
  bool allowed = false;
  const AclRule* rule = nullptr;  // the deciding rule, owned by the index; nullptr when none
};

/// The API name of `permission`: `pub`, `sub` or `pubsub`.
std::string_view permission_name(Permission permission);

/// The permission named `text` (`pub`, `sub`, `pubsub`), or nullopt.
std::optional<Permission> parse_permission(std::string_view text);

/// The API name of `effect`: `allow` or `deny`.
std::string_view effect_name(Effect effect);

/// The effect named `text` (`allow`, `deny`), or nullopt.
std::optional<Effect> parse_effect(std::string_view text);

/// True when `permission` covers `action` (pubsub covers both).
bool permits(Permission permission, Action action);

/// True when `value` may stand in for `%u` or `%c`: non-empty, no `+ # /` or U+0000, and no
/// leading `$`.
bool substitutable(std::string_view value);

/// Checks `rule` (its id aside): a user pattern that is `%` or a valid name (names.h), and a
/// topic that is a valid filter under `limits`, not a `$share/` filter, with `%` only in whole
/// `%u` or `%c` levels; else an invalid_request error saying what is wrong.
Result<void> validate_rule(const AclRule& rule, const mqtt::TopicLimits& limits);

/// What the valid `rule` says when the user `name` ("" when anonymous) connected as `client_id`
/// asks for `action` on `topic_or_filter` (a topic name to publish, a topic filter to subscribe,
/// possibly `$share/{group}/{filter}`): its effect when it applies, nullopt when it does not or
/// when the request is not a valid topic name or filter. An allow rule applies to a publish when
/// its filter matches the topic and to a subscription when its filter covers the requested one
/// (filter_covers); a deny rule applies when its filter matches the topic or overlaps the
/// requested filter (filters_overlap).
std::optional<Effect> rule_verdict(const AclRule& rule, std::string_view name,
                                   std::string_view client_id, std::string_view topic_or_filter,
                                   Action action);

}  // namespace cs::auth
