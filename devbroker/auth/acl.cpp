#include "devbroker/auth/acl.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "devbroker/auth/acl_internal.h"
#include "devbroker/auth/filter_relations.h"
#include "devbroker/auth/names.h"

namespace cs::auth {
namespace {

constexpr std::string_view k_name_placeholder = "%u";
constexpr std::string_view k_client_placeholder = "%c";
constexpr std::string_view k_share_prefix = "$share/";

// The broker has already held a request to its own limits; the access list judges its shape only.
constexpr mqtt::TopicLimits k_unbounded{SIZE_MAX, SIZE_MAX};

bool is_placeholder(std::string_view level) {
  return level == k_name_placeholder || level == k_client_placeholder;
}

// Every level that holds a '%' must be a whole placeholder.
bool placeholders_well_formed(std::string_view topic) {
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(topic.find('/', start), topic.size());
    const std::string_view level = topic.substr(start, end - start);
    if (level.find('%') != std::string_view::npos && !is_placeholder(level)) return false;
    if (end == topic.size()) return true;
    start = end + 1;
  }
}

enum class Reach { nothing, filter, everything };

struct Resolved {
  Reach reach = Reach::nothing;
  std::string_view filter;  // when reach is filter
};

// The filter `rule` stands for once its placeholders are substituted. A value that cannot stand
// in makes an allow rule reach nothing and a deny rule reach every topic from the placeholder's
// level down, so that an odd name or client id never escapes a deny rule.
Resolved resolve(const AclRule& rule, std::string_view name, std::string_view client_id,
                 std::string& scratch) {
  const std::string_view topic = rule.topic;
  if (topic.find('%') == std::string_view::npos) return {Reach::filter, topic};
  scratch.clear();
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(topic.find('/', start), topic.size());
    const std::string_view level = topic.substr(start, end - start);
    if (is_placeholder(level)) {
      const std::string_view value = level == k_name_placeholder ? name : client_id;
      if (!substitutable(value)) {
        if (rule.effect == Effect::allow) return {};
        if (start == 0) return {Reach::everything, {}};
        scratch.push_back('#');
        return {Reach::filter, scratch};
      }
      scratch.append(value);
    } else {
      scratch.append(level);
    }
    if (end == topic.size()) return {Reach::filter, scratch};
    scratch.push_back('/');
    start = end + 1;
  }
}

bool filter_applies(const Resolved& resolved, Effect effect, std::string_view request,
                    Action action) {
  switch (resolved.reach) {
    case Reach::nothing:
      return false;
    case Reach::everything:
      return true;
    case Reach::filter:
      break;
  }
  if (action == Action::publish) return mqtt::topic_matches(resolved.filter, request);
  return effect == Effect::allow ? filter_covers(resolved.filter, request)
                                 : filters_overlap(resolved.filter, request);
}

Result<void> bad_rule(std::string_view what, std::string_view detail = {}) {
  std::string message(what);
  if (!detail.empty()) message.append(": ").append(detail);
  return fail(ErrorCode::invalid_request, std::move(message));
}

}  // namespace

namespace detail {

std::optional<std::string_view> acl_request(std::string_view topic_or_filter, Action action) {
  if (action == Action::publish) {
    if (mqtt::check_topic_name(topic_or_filter, k_unbounded)) return std::nullopt;
    return topic_or_filter;
  }
  if (mqtt::check_topic_filter(topic_or_filter, k_unbounded)) return std::nullopt;
  if (const auto shared = mqtt::parse_shared_filter(topic_or_filter)) return shared->filter;
  return topic_or_filter;
}

std::optional<Effect> verdict(const AclRule& rule, std::string_view name,
                              std::string_view client_id, std::string_view request, Action action,
                              std::string& scratch) {
  if (!permits(rule.permission, action)) return std::nullopt;
  if (rule.user_pattern != k_every_user && rule.user_pattern != name) return std::nullopt;
  const Resolved resolved = resolve(rule, name, client_id, scratch);
  if (!filter_applies(resolved, rule.effect, request, action)) return std::nullopt;
  return rule.effect;
}

}  // namespace detail

std::string_view permission_name(Permission permission) {
  switch (permission) {
    case Permission::pub:
      return "pub";
    case Permission::sub:
      return "sub";
    case Permission::pubsub:
      return "pubsub";
  }
  return "pubsub";
}

std::optional<Permission> parse_permission(std::string_view text) {
  if (text == "pub") return Permission::pub;
  if (text == "sub") return Permission::sub;
  if (text == "pubsub") return Permission::pubsub;
  return std::nullopt;
}

std::string_view effect_name(Effect effect) {
  return effect == Effect::allow ? "allow" : "deny";
}

std::optional<Effect> parse_effect(std::string_view text) {
  if (text == "allow") return Effect::allow;
  if (text == "deny") return Effect::deny;
  return std::nullopt;
}

bool permits(Permission permission, Action action) {
  if (permission == Permission::pubsub) return true;
  return (permission == Permission::pub) == (action == Action::publish);
}

bool substitutable(std::string_view value) {
  return !value.empty() && !value.starts_with('$') &&
         value.find_first_of(std::string_view("+#/\0", 4)) == std::string_view::npos;
}

Result<void> validate_rule(const AclRule& rule, const mqtt::TopicLimits& limits) {
  if (rule.user_pattern != k_every_user) {
    if (auto valid = validate_name(rule.user_pattern); !valid)
      return bad_rule("the user pattern of an ACL rule must be '%' or a name",
                      valid.error().message);
  }
  if (rule.topic.starts_with(k_share_prefix))
    return bad_rule("the topic of an ACL rule must not be a shared subscription ($share/...)");
  if (const auto reason = mqtt::check_topic_filter(rule.topic, limits))
    return bad_rule("the topic of an ACL rule must be a valid topic filter", *reason);
  if (!placeholders_well_formed(rule.topic))
    return bad_rule("in the topic of an ACL rule, '%' may only appear as a whole level %u or %c");
  return {};
}

std::optional<Effect> rule_verdict(const AclRule& rule, std::string_view name,
                                   std::string_view client_id, std::string_view topic_or_filter,
                                   Action action) {
  const auto request = detail::acl_request(topic_or_filter, action);
  if (!request) return std::nullopt;
  std::string scratch;
  return detail::verdict(rule, name, client_id, *request, action, scratch);
}

}  // namespace cs::auth
