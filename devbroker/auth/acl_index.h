#pragma once
// A set of access-list rules, indexed so that deciding one request looks only at the rules that
// can concern it, and the decision itself (API.md "Access lists"; placeholders as in acl.h).

#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "devbroker/auth/acl.h"
#include "devbroker/mqtt/topic.h"

namespace cs::auth {

/// An immutable rule set. Rules are bucketed by user pattern (`%`, or one bucket per name), and
/// each bucket holds one trie of topic levels per action (`%u` and `%c` levels as their own
/// branches), so a request walks only the branches its levels and values can reach. Copies share
/// the rules; a moved-from index may only be assigned to or destroyed.
class AclIndex {
 public:
  /// An index without rules: evaluate denies everything, evaluate_anonymous allows everything.
  AclIndex();

  /// Checks every rule of `rules` (validate_rule under `limits`, and a non-empty id unique in the
  /// set) and indexes them in their order; the first bad rule is an invalid_request error naming
  /// its id or position.
  static Result<AclIndex> build(std::vector<AclRule> rules, const mqtt::TopicLimits& limits);

  /// The rules, in the order given to build.
  const std::vector<AclRule>& rules() const;

 private:
  struct Impl;
  explicit AclIndex(std::shared_ptr<const Impl> impl);

  std::shared_ptr<const Impl> m_impl;

  friend AclDecision evaluate(const AclIndex&, std::string_view, std::string_view, std::string_view,
                              Action);
  friend AclDecision evaluate_anonymous(const AclIndex&, std::string_view, std::string_view,
                                        Action);
};

// Evaluation order, for the user `name` connected as `client_id`:
// 1. The request must be a valid topic name (publish) or topic filter (subscribe); otherwise it
//    is denied by no rule. A subscription's `$share/{group}/` prefix is set aside: rules judge
//    the filter behind it.
// 2. Only rules whose user pattern is `%` or exactly `name`, and whose permission covers the
//    action, take part.
// 3. Placeholders are substituted (acl.h): a value that cannot stand in makes an allow rule
//    grant nothing and a deny rule reach every topic from the placeholder's level down.
// 4. A deny rule applies when its filter matches the topic (publish) or shares a topic with the
//    requested filter (subscribe, filters_overlap). If any applies, the request is denied by the
//    first such rule in the rules' order, whatever allows it.
// 5. An allow rule applies when its filter matches the topic (publish) or covers every topic of
//    the requested filter on its own (subscribe, filter_covers). If any applies, the request is
//    allowed by the first such rule.
// 6. Otherwise the request is denied by no rule.
// Filters follow [MQTT-4.7.2-1]: a rule starting with `+` or `#` neither allows nor denies topics
// starting with `$`; only rules naming `$SYS/...` (or another `$` level) speak about those.

/// Decides whether `name` (before '@' of the username), connected as `client_id`, may do
/// `action` on `topic_or_filter` under `index`, in the order above.
AclDecision evaluate(const AclIndex& index, std::string_view name, std::string_view client_id,
                     std::string_view topic_or_filter, Action action);

/// Decides for an anonymous client (accepted only under --allow-anonymous), connected as
/// `client_id`: steps 1 to 4 above with only the `%` rules and no name (so a deny rule with `%u`
/// reaches every topic from that level down); when no deny rule applies, allowed by no rule.
AclDecision evaluate_anonymous(const AclIndex& index, std::string_view client_id,
                               std::string_view topic_or_filter, Action action);

}  // namespace cs::auth
