#include "devbroker/auth/acl_index.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using cs::auth::AclDecision;
using cs::auth::AclIndex;
using cs::auth::AclRule;
using cs::auth::Action;
using cs::auth::Effect;
using cs::auth::Permission;

namespace {

constexpr cs::mqtt::TopicLimits k_limits{1024, 32};

// The decision by definition: a valid request, then every rule in order through rule_verdict.
AclDecision linear(const std::vector<AclRule>& rules, std::string_view name,
                   std::string_view client_id, std::string_view topic, Action action,
                   bool anonymous) {
  const bool valid = action == Action::publish ? !cs::mqtt::check_topic_name(topic, k_limits)
                                               : !cs::mqtt::check_topic_filter(topic, k_limits);
  if (!valid) return {};
  const AclRule* first_deny = nullptr;
  const AclRule* first_allow = nullptr;
  for (const AclRule& rule : rules) {
    if (anonymous && rule.user_pattern != cs::auth::k_every_user) continue;
    const auto verdict = rule_verdict(rule, anonymous ? "" : name, client_id, topic, action);
    if (!verdict) continue;
    const AclRule*& first = *verdict == Effect::deny ? first_deny : first_allow;
    if (!first) first = &rule;
  }
  if (first_deny) return {false, first_deny};
  if (anonymous) return {true, nullptr};
  return {first_allow != nullptr, first_allow};
}

class Generator {
 public:
  explicit Generator(unsigned seed) : m_rng(seed) {}

  std::size_t below(std::size_t n) { return m_rng() % n; }
  bool one_in(std::size_t n) { return below(n) == 0; }

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  AclRule rule(std::size_t i) {
    while (true) {
      AclRule r;
      r.id = "r" + std::to_string(i);
      r.user_pattern = one_in(3) ? std::string("%") : pick(m_users);
      r.topic = rule_topic();
      r.permission = pick(std::vector{Permission::pub, Permission::sub, Permission::pubsub});
      r.effect = one_in(30) ? Effect::deny : Effect::allow;
      if (validate_rule(r, k_limits)) return r;
    }
  }

  // Mostly under one of 60 top-level topics, like a real deployment's areas; sometimes a
  // wildcard, a placeholder or a `$` topic first.
  std::string rule_topic() {
    static const std::vector<std::string> firsts = {"+", "%u", "%c", "$s"};
    static const std::vector<std::string> levels = {"a", "b", "c", "", "+", "%u", "%c"};
    const std::size_t depth = 1 + below(4);
    std::string topic = one_in(10) ? pick(firsts) : top_level();
    for (std::size_t d = 1; d < depth; ++d) topic.append("/").append(pick(levels));
    if (one_in(5)) topic.append("/#");
    return topic;
  }

  // A topic name (publish) or filter (subscribe) whose levels often meet the rules' levels and
  // the name and client id in play.
  std::string request(Action action, std::string_view name, std::string_view client_id) {
    std::vector<std::string> levels = {"a", "b", "c", "", "e"};
    levels.emplace_back(name);
    levels.emplace_back(client_id);
    if (action == Action::subscribe) levels.insert(levels.end(), {"+", "+"});
    std::string topic = one_in(8) ? pick(levels) : top_level();
    if (one_in(20)) topic = "$s";
    const std::size_t depth = 1 + below(5);
    for (std::size_t d = 1; d < depth; ++d) topic.append("/").append(pick(levels));
    if (action == Action::subscribe && one_in(4)) topic.append("/#");
    return topic;
  }

  const std::vector<std::string>& users() const { return m_users; }

 private:
  std::mt19937 m_rng;
  std::vector<std::string> m_users = make_users();

  std::string top_level() { return "t" + std::to_string(below(60)); }

  static std::vector<std::string> make_users() {
    std::vector<std::string> users;
    for (int i = 0; i < 40; ++i) users.push_back("u" + std::to_string(i));
    users.insert(users.end(), {"a", "b"});  // names that are also topic levels
    return users;
  }
};

std::string text(const AclDecision& d) {
  std::string out = d.allowed ? "allowed" : "denied";
  if (d.rule) out.append(" by ").append(d.rule->id);
  return out;
}

}  // namespace

TEST_CASE("an index of 10,000 random rules decides as a scan of every rule does", "[acl]") {
  Generator gen(20240611);
  std::vector<AclRule> rules;
  for (std::size_t i = 0; i < 10000; ++i) rules.push_back(gen.rule(i));
  auto built = AclIndex::build(rules, k_limits);
  REQUIRE(built);
  const AclIndex& index = *built;

  std::vector<std::string> names = gen.users();
  names.insert(names.end(), {"nobody", "a/b", "+", "#", "", "$s"});
  const std::vector<std::string> client_ids = {"c1", "c2", "a", "u1", "x/y", "+", "#", "", "$s"};
  std::map<std::string, int> outcomes;
  for (int i = 0; i < 1000; ++i) {
    const Action action = gen.one_in(2) ? Action::publish : Action::subscribe;
    const bool anonymous = gen.one_in(5);
    const std::string& name = gen.pick(names);
    const std::string& client_id = gen.pick(client_ids);
    const std::string topic = gen.request(action, name, client_id);
    const AclDecision expected = linear(index.rules(), name, client_id, topic, action, anonymous);
    const AclDecision actual = anonymous ? evaluate_anonymous(index, client_id, topic, action)
                                         : evaluate(index, name, client_id, topic, action);
    INFO((anonymous ? "anonymous" : "name '" + name + "'")
         << ", client '" << client_id << "', "
         << (action == Action::publish ? "publish " : "subscribe ") << topic);
    REQUIRE(text(actual) == text(expected));
    REQUIRE(actual.rule == expected.rule);
    std::string outcome = anonymous ? "anonymous " : "";
    outcome.append(actual.allowed ? "allowed" : "denied").append(actual.rule ? " by a rule" : "");
    ++outcomes[outcome];
  }
  // The draw reaches every kind of outcome.
  std::string summary;
  for (const auto& [outcome, count] : outcomes)
    summary.append(outcome).append(": ").append(std::to_string(count)).append("; ");
  INFO(summary);
  CHECK(outcomes["allowed by a rule"] > 200);
  CHECK(outcomes["denied by a rule"] > 300);
  CHECK(outcomes["denied"] > 30);
  CHECK(outcomes["anonymous allowed"] > 50);
  CHECK(outcomes["anonymous denied by a rule"] > 80);
}

TEST_CASE("copies of an index share its rules", "[acl]") {
  auto built =
      AclIndex::build({{"r", "%", "users/%u/#", Permission::pubsub, Effect::allow}}, k_limits);
  REQUIRE(built);
  const AclIndex copy = *built;
  CHECK(&copy.rules() == &built->rules());
  const AclDecision d = evaluate(copy, "alice", "c", "users/alice/x", Action::publish);
  CHECK(d.allowed);
  CHECK(d.rule == &built->rules()[0]);
}
