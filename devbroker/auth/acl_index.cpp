#include "devbroker/auth/acl_index.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "devbroker/auth/acl_internal.h"

namespace cs::auth {
namespace {

using Position = std::uint32_t;
constexpr Position k_no_rule = std::numeric_limits<Position>::max();

// Hashes std::string keys and std::string_view probes alike, so lookups do not allocate.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

template <class Value>
using TextMap = std::unordered_map<std::string, Value, TextHash, std::equal_to<>>;

// One node per rule topic level. Rules are stored by position in the rule list.
struct Node {
  std::vector<Position> ends;    // rules whose topic ends at this node
  std::vector<Position> multi;   // rules whose topic has '#' right below this node
  std::unique_ptr<Node> single;  // the '+' child
  std::unique_ptr<Node> name;    // the '%u' child
  std::unique_ptr<Node> client;  // the '%c' child
  TextMap<std::unique_ptr<Node>> children;
};

struct Bucket {
  Node publish;
  Node subscribe;

  const Node& trie(Action action) const { return action == Action::publish ? publish : subscribe; }
};

Node& child(std::unique_ptr<Node>& slot) {
  if (!slot) slot = std::make_unique<Node>();
  return *slot;
}

Node& child(Node& node, std::string_view level) {
  if (level == "+") return child(node.single);
  if (level == "%u") return child(node.name);
  if (level == "%c") return child(node.client);
  auto it = node.children.find(level);
  if (it == node.children.end())
    it = node.children.emplace(std::string(level), std::make_unique<Node>()).first;
  return *it->second;
}

void insert(Node& root, std::string_view topic, Position position) {
  Node* node = &root;
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(topic.find('/', start), topic.size());
    const std::string_view level = topic.substr(start, end - start);
    if (level == "#") {
      node->multi.push_back(position);
      return;
    }
    node = &child(*node, level);
    if (end == topic.size()) {
      node->ends.push_back(position);
      return;
    }
    start = end + 1;
  }
}

// A request on its way through a trie, with what its placeholders stand for.
struct Query {
  std::string_view request;  // a topic name, or a filter without a `$share/` prefix
  std::string_view name;
  std::string_view client_id;
  bool name_fits;    // substitutable(name)
  bool client_fits;  // substitutable(client_id)
};

template <class Visit>
void visit_all(const std::vector<Position>& positions, Visit& visit) {
  for (Position p : positions) visit(p);
}

// Every rule at or below `node`.
template <class Visit>
void collect(const Node& node, Visit& visit) {
  visit_all(node.ends, visit);
  visit_all(node.multi, visit);
  for (const auto& [level, next] : node.children) collect(*next, visit);
  for (const Node* next : {node.single.get(), node.name.get(), node.client.get()})
    if (next) collect(*next, visit);
}

// A placeholder whose value cannot stand in turns a deny rule into one that reaches everything
// below the placeholder's level, so every rule behind it is a candidate.
template <class Visit>
void collect_unfit(const Node& node, const Query& query, Visit& visit) {
  if (node.name && !query.name_fits) collect(*node.name, visit);
  if (node.client && !query.client_fits) collect(*node.client, visit);
}

// Visits every rule below `node` whose topic may share a topic with the request's levels from
// `start` on (`start` past the end: no levels left). The set may hold more rules than apply (a
// '+' request level meets every placeholder; the `$` rule is left to the verdict) but never
// fewer.
template <class Visit>
void walk(const Node& node, const Query& query, std::size_t start, Visit& visit) {
  const std::string_view request = query.request;
  if (start > request.size()) {
    visit_all(node.ends, visit);
    visit_all(node.multi, visit);  // `a/#` matches `a`
    collect_unfit(node, query, visit);
    return;
  }
  const std::size_t end = std::min(request.find('/', start), request.size());
  const std::string_view level = request.substr(start, end - start);
  if (level == "#") {
    collect(node, visit);
    return;
  }
  visit_all(node.multi, visit);
  collect_unfit(node, query, visit);
  const std::size_t next = end + 1;
  if (level == "+") {
    for (const auto& [text, below] : node.children) walk(*below, query, next, visit);
  } else if (const auto it = node.children.find(level); it != node.children.end()) {
    walk(*it->second, query, next, visit);
  }
  if (node.single) walk(*node.single, query, next, visit);
  if (node.name && query.name_fits && (level == "+" || level == query.name))
    walk(*node.name, query, next, visit);
  if (node.client && query.client_fits && (level == "+" || level == query.client_id))
    walk(*node.client, query, next, visit);
}

// What happens when no deny rule applies: named users still need an allow rule, anonymous
// clients do not.
enum class Otherwise { need_allow, allow };

}  // namespace

struct AclIndex::Impl {
  std::vector<AclRule> rules;
  Bucket every_user;
  TextMap<Bucket> by_name;
};

AclIndex::AclIndex() : m_impl(std::make_shared<const Impl>()) {}

AclIndex::AclIndex(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}

const std::vector<AclRule>& AclIndex::rules() const {
  return m_impl->rules;
}

Result<AclIndex> AclIndex::build(std::vector<AclRule> rules, const mqtt::TopicLimits& limits) {
  if (rules.size() >= k_no_rule)
    return fail(ErrorCode::invalid_request, "an access list may hold at most 4294967294 rules");
  std::unordered_set<std::string_view> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const AclRule& rule = rules[i];
    if (rule.id.empty()) {
      std::string message = "the ACL rule at position ";
      message.append(std::to_string(i)).append(" has no id");
      return fail(ErrorCode::invalid_request, std::move(message));
    }
    std::string prefix = "ACL rule '";
    prefix.append(rule.id).append("'");
    if (!ids.insert(rule.id).second)
      return fail(ErrorCode::invalid_request, prefix.append(" appears more than once"));
    if (auto valid = validate_rule(rule, limits); !valid)
      return fail(ErrorCode::invalid_request, prefix.append(": ").append(valid.error().message));
  }
  auto impl = std::make_shared<Impl>();
  impl->rules = std::move(rules);
  for (Position p = 0; p < impl->rules.size(); ++p) {
    const AclRule& rule = impl->rules[p];
    Bucket& bucket = rule.user_pattern == k_every_user
                         ? impl->every_user
                         : impl->by_name.try_emplace(rule.user_pattern).first->second;
    if (permits(rule.permission, Action::publish)) insert(bucket.publish, rule.topic, p);
    if (permits(rule.permission, Action::subscribe)) insert(bucket.subscribe, rule.topic, p);
  }
  return AclIndex(std::move(impl));
}

namespace {

AclDecision decide(const std::vector<AclRule>& rules, const Bucket& every_user, const Bucket* named,
                   std::string_view name, std::string_view client_id,
                   std::string_view topic_or_filter, Action action, Otherwise otherwise) {
  const auto request = detail::acl_request(topic_or_filter, action);
  if (!request) return {};
  const Query query{*request, name, client_id, substitutable(name), substitutable(client_id)};
  Position first_deny = k_no_rule;
  Position first_allow = k_no_rule;
  std::string scratch;
  auto visit = [&](Position p) {
    const AclRule& rule = rules[p];
    if (rule.effect == Effect::allow &&
        (otherwise == Otherwise::allow || first_deny != k_no_rule || p > first_allow))
      return;  // cannot change the decision
    if (rule.effect == Effect::deny && p > first_deny) return;
    if (!detail::verdict(rule, name, client_id, *request, action, scratch)) return;
    (rule.effect == Effect::deny ? first_deny : first_allow) = p;
  };
  walk(every_user.trie(action), query, 0, visit);
  if (named) walk(named->trie(action), query, 0, visit);
  if (first_deny != k_no_rule) return {false, &rules[first_deny]};
  if (otherwise == Otherwise::allow) return {true, nullptr};
  if (first_allow != k_no_rule) return {true, &rules[first_allow]};
  return {};
}

}  // namespace

AclDecision evaluate(const AclIndex& index, std::string_view name, std::string_view client_id,
                     std::string_view topic_or_filter, Action action) {
  const AclIndex::Impl& impl = *index.m_impl;
  const auto it = impl.by_name.find(name);
  const Bucket* named = it == impl.by_name.end() ? nullptr : &it->second;
  return decide(impl.rules, impl.every_user, named, name, client_id, topic_or_filter, action,
                Otherwise::need_allow);
}

AclDecision evaluate_anonymous(const AclIndex& index, std::string_view client_id,
                               std::string_view topic_or_filter, Action action) {
  const AclIndex::Impl& impl = *index.m_impl;
  return decide(impl.rules, impl.every_user, nullptr, {}, client_id, topic_or_filter, action,
                Otherwise::allow);
}

}  // namespace cs::auth
