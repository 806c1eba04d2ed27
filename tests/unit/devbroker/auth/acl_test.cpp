#include "devbroker/auth/acl.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "devbroker/auth/acl_index.h"

using cs::auth::AclDecision;
using cs::auth::AclIndex;
using cs::auth::AclRule;
using cs::auth::Action;
using cs::auth::Effect;
using cs::auth::Permission;

namespace {

constexpr cs::mqtt::TopicLimits k_limits{1024, 32};
constexpr Action pub = Action::publish;
constexpr Action sub = Action::subscribe;

AclRule allow(std::string id, std::string user, std::string topic,
              Permission permission = Permission::pubsub) {
  return {std::move(id), std::move(user), std::move(topic), permission, Effect::allow};
}

AclRule deny(std::string id, std::string user, std::string topic,
             Permission permission = Permission::pubsub) {
  return {std::move(id), std::move(user), std::move(topic), permission, Effect::deny};
}

AclIndex index_of(std::vector<AclRule> rules) {
  auto index = AclIndex::build(std::move(rules), k_limits);
  REQUIRE(index);
  return std::move(*index);
}

// Decisions as text, so a failing table row shows what was decided and by which rule.
std::string text(const AclDecision& d) {
  std::string out = d.allowed ? "allowed" : "denied";
  if (d.rule) out.append(" by ").append(d.rule->id);
  return out;
}

struct Case {
  std::string_view name;
  std::string_view client_id;
  std::string_view topic;
  Action action;
  std::string_view expected;
};

void check_cases(const AclIndex& index, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    INFO("name '" << c.name << "', client '" << c.client_id << "', "
                  << (c.action == pub ? "publish " : "subscribe ") << c.topic);
    CHECK(text(evaluate(index, c.name, c.client_id, c.topic, c.action)) == c.expected);
  }
}

struct AnonymousCase {
  std::string_view client_id;
  std::string_view topic;
  Action action;
  std::string_view expected;
};

void check_anonymous(const AclIndex& index, std::initializer_list<AnonymousCase> cases) {
  for (const AnonymousCase& c : cases) {
    INFO("client '" << c.client_id << "', " << (c.action == pub ? "publish " : "subscribe ")
                    << c.topic);
    CHECK(text(evaluate_anonymous(index, c.client_id, c.topic, c.action)) == c.expected);
  }
}

std::string rule_problem(const AclRule& rule) {
  const auto valid = validate_rule(rule, k_limits);
  return valid ? std::string("(valid)") : valid.error().message;
}

}  // namespace

TEST_CASE("permission and effect names follow the API", "[acl]") {
  CHECK(cs::auth::permission_name(Permission::pub) == "pub");
  CHECK(cs::auth::permission_name(Permission::sub) == "sub");
  CHECK(cs::auth::permission_name(Permission::pubsub) == "pubsub");
  CHECK(cs::auth::parse_permission("pub") == Permission::pub);
  CHECK(cs::auth::parse_permission("sub") == Permission::sub);
  CHECK(cs::auth::parse_permission("pubsub") == Permission::pubsub);
  CHECK_FALSE(cs::auth::parse_permission("PUB"));
  CHECK_FALSE(cs::auth::parse_permission("publish"));
  CHECK_FALSE(cs::auth::parse_permission(""));
  CHECK(cs::auth::effect_name(Effect::allow) == "allow");
  CHECK(cs::auth::effect_name(Effect::deny) == "deny");
  CHECK(cs::auth::parse_effect("allow") == Effect::allow);
  CHECK(cs::auth::parse_effect("deny") == Effect::deny);
  CHECK_FALSE(cs::auth::parse_effect("Deny"));
  CHECK(cs::auth::permits(Permission::pubsub, pub));
  CHECK(cs::auth::permits(Permission::pubsub, sub));
  CHECK(cs::auth::permits(Permission::pub, pub));
  CHECK_FALSE(cs::auth::permits(Permission::pub, sub));
  CHECK(cs::auth::permits(Permission::sub, sub));
  CHECK_FALSE(cs::auth::permits(Permission::sub, pub));
}

TEST_CASE("only plain values may stand in for a placeholder", "[acl]") {
  CHECK(cs::auth::substitutable("alice"));
  CHECK(cs::auth::substitutable("john_example_com"));
  CHECK(cs::auth::substitutable("google-oauth2|1234"));
  CHECK(cs::auth::substitutable("a$"));
  CHECK(cs::auth::substitutable("%u"));
  CHECK_FALSE(cs::auth::substitutable(""));
  CHECK_FALSE(cs::auth::substitutable("a/b"));
  CHECK_FALSE(cs::auth::substitutable("/"));
  CHECK_FALSE(cs::auth::substitutable("+"));
  CHECK_FALSE(cs::auth::substitutable("a+"));
  CHECK_FALSE(cs::auth::substitutable("#"));
  CHECK_FALSE(cs::auth::substitutable("a#b"));
  CHECK_FALSE(cs::auth::substitutable(std::string_view("a\0b", 3)));
  CHECK_FALSE(cs::auth::substitutable("$SYS"));
}

TEST_CASE("valid rules pass validation", "[acl]") {
  for (const AclRule& rule : {
           allow("r", "%", "users/%u/#"),
           allow("r", "%", "devices/%c/+/state"),
           allow("r", "%", "%u/%c"),
           allow("r", "alice", "#"),
           allow("r", "john_example_com", "a//b"),
           allow("r", "google-oauth2|1234", "+"),
           deny("r", "%", "$SYS/#"),
           deny("r", "%", "/"),
       }) {
    INFO(rule.user_pattern << " " << rule.topic);
    CHECK(rule_problem(rule) == "(valid)");
  }
}

TEST_CASE("invalid rules are refused saying why", "[acl]") {
  CHECK(rule_problem(allow("r", "", "a")) ==
        "the user pattern of an ACL rule must be '%' or a name: a name must not be empty");
  CHECK(rule_problem(allow("r", "a/b", "a")) ==
        "the user pattern of an ACL rule must be '%' or a name: a name must not contain '+', "
        "'#', '/', '@' or control characters");
  CHECK(rule_problem(allow("r", "alice@org_k7xm4pqr2n5t", "a")) ==
        "the user pattern of an ACL rule must be '%' or a name: a name must not contain '+', "
        "'#', '/', '@' or control characters");
  CHECK(rule_problem(allow("r", "+", "a")).starts_with("the user pattern of an ACL rule"));
  CHECK(rule_problem(allow("r", "%", "")) ==
        "the topic of an ACL rule must be a valid topic filter: a topic filter must not be empty");
  CHECK(rule_problem(allow("r", "%", "a/#/b")) ==
        "the topic of an ACL rule must be a valid topic filter: the wildcard '#' must be the last "
        "level of a topic filter");
  CHECK(rule_problem(allow("r", "%", "a/b+")) ==
        "the topic of an ACL rule must be a valid topic filter: the wildcard '+' must be a whole "
        "level of a topic filter");
  CHECK(rule_problem(allow("r", "%", "$share/g/a")) ==
        "the topic of an ACL rule must not be a shared subscription ($share/...)");
  const std::string placeholder_message =
      "in the topic of an ACL rule, '%' may only appear as a whole level %u or %c";
  for (const char* topic :
       {"users/x%u/#", "users/%u%c", "%", "a/%", "stats/100%", "a/%U", "a/%x", "%u_in"}) {
    INFO(topic);
    CHECK(rule_problem(allow("r", "%", topic)) == placeholder_message);
  }
  std::string deep = "a";
  for (int i = 0; i < 32; ++i) deep.append("/a");
  CHECK(rule_problem(allow("r", "%", deep)) ==
        "the topic of an ACL rule must be a valid topic filter: a topic filter must have at most "
        "32 levels");
}

TEST_CASE("building an index refuses rules without ids, duplicates and invalid rules", "[acl]") {
  auto empty_id = AclIndex::build({allow("a", "%", "a"), allow("", "%", "b")}, k_limits);
  REQUIRE_FALSE(empty_id);
  CHECK(empty_id.error().code == cs::ErrorCode::invalid_request);
  CHECK(empty_id.error().message == "the ACL rule at position 1 has no id");

  auto duplicate = AclIndex::build({allow("a", "%", "a"), deny("a", "%", "b")}, k_limits);
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message == "ACL rule 'a' appears more than once");

  auto invalid = AclIndex::build({allow("a", "%", "a"), deny("b", "%", "x/#/y")}, k_limits);
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().message ==
        "ACL rule 'b': the topic of an ACL rule must be a valid topic filter: the wildcard '#' "
        "must be the last level of a topic filter");

  const AclIndex index = index_of({allow("a", "%", "a"), deny("b", "bob", "b")});
  REQUIRE(index.rules().size() == 2);
  CHECK(index.rules()[1].id == "b");
}

TEST_CASE("no rule means denied: an empty index denies users and allows anonymous clients",
          "[acl]") {
  const AclIndex empty;
  CHECK(text(evaluate(empty, "alice", "c1", "a/b", pub)) == "denied");
  CHECK(text(evaluate(empty, "alice", "c1", "#", sub)) == "denied");
  CHECK(text(evaluate_anonymous(empty, "c1", "a/b", pub)) == "allowed");
  CHECK(text(evaluate_anonymous(empty, "c1", "#", sub)) == "allowed");

  const AclIndex index = index_of({allow("mine", "%", "mine/#")});
  check_cases(index, {
                         {"alice", "c1", "mine/x", pub, "allowed by mine"},
                         {"alice", "c1", "other/x", pub, "denied"},
                         {"alice", "c1", "mine/+", sub, "allowed by mine"},
                         {"alice", "c1", "other/+", sub, "denied"},
                         {"alice", "c1", "+/x", sub, "denied"},
                     });
}

TEST_CASE("the starter rule users/%u/# keeps two users apart", "[acl]") {
  const AclIndex index = index_of({allow("starter", "%", "users/%u/#")});
  check_cases(index, {
                         {"alice", "c1", "users/alice", pub, "allowed by starter"},
                         {"alice", "c1", "users/alice/x", pub, "allowed by starter"},
                         {"alice", "c1", "users/alice/x/y/z", pub, "allowed by starter"},
                         {"alice", "c1", "users/bob/x", pub, "denied"},
                         {"alice", "c1", "users/alicex/y", pub, "denied"},
                         {"alice", "c1", "users", pub, "denied"},
                         {"alice", "c1", "users/alice/#", sub, "allowed by starter"},
                         {"alice", "c1", "users/alice/+/x", sub, "allowed by starter"},
                         {"alice", "c1", "users/alice", sub, "allowed by starter"},
                         {"alice", "c1", "users/bob/#", sub, "denied"},
                         {"alice", "c1", "users/+/x", sub, "denied"},
                         {"alice", "c1", "users/#", sub, "denied"},
                         {"alice", "c1", "+/alice/#", sub, "denied"},
                         {"alice", "c1", "#", sub, "denied"},
                         {"bob", "c2", "users/bob/x", pub, "allowed by starter"},
                         {"bob", "c2", "users/alice/x", pub, "denied"},
                         {"bob", "c2", "users/bob/#", sub, "allowed by starter"},
                         {"bob", "c2", "users/alice/#", sub, "denied"},
                     });
}

TEST_CASE("a name that is not a plain level never satisfies a rule that substitutes it", "[acl]") {
  const AclIndex index = index_of({allow("starter", "%", "users/%u/#"), allow("top", "%", "%u/#")});
  check_cases(index, {
                         // "a/b" would turn users/%u/# into users/a/b/#.
                         {"a/b", "c1", "users/a/b/x", pub, "denied"},
                         {"a/b", "c1", "users/a/b/#", sub, "denied"},
                         {"a/b", "c1", "a/b/x", pub, "denied"},
                         // "+" and "#" would turn the rule into a wildcard over every user.
                         {"+", "c1", "users/+/x", sub, "denied"},
                         {"+", "c1", "users/bob/x", pub, "denied"},
                         {"#", "c1", "users/#", sub, "denied"},
                         {"#", "c1", "users/bob", pub, "denied"},
                         {"", "c1", "users//x", pub, "denied"},
                         {"", "c1", "users/+/x", sub, "denied"},
                         {std::string_view("a\0b", 3), "c1", "users/a", pub, "denied"},
                         // A leading '$' would reach the broker's own topics.
                         {"$SYS", "c1", "$SYS/broker/uptime", pub, "denied"},
                         {"$SYS", "c1", "$SYS/#", sub, "denied"},
                         {"$SYS", "c1", "users/$SYS/x", pub, "denied"},
                         // A plain name containing '%' is just text.
                         {"%c", "c1", "users/%c/x", pub, "allowed by starter"},
                         {"%c", "c1", "users/c1/x", pub, "denied"},
                     });
}

TEST_CASE("a client id that is not a plain level never satisfies a rule that substitutes it",
          "[acl]") {
  const AclIndex index =
      index_of({allow("device", "%", "devices/%c/#"), allow("own", "%", "users/%u/clients/%c")});
  check_cases(index, {
                         {"alice", "d1", "devices/d1/state", pub, "allowed by device"},
                         {"alice", "d1", "devices/d1/#", sub, "allowed by device"},
                         {"alice", "d1", "devices/d2/state", pub, "denied"},
                         {"alice", "d1/x", "devices/d1/x/state", pub, "denied"},
                         {"alice", "d1/x", "devices/d1/#", sub, "denied"},
                         {"alice", "+", "devices/+/state", sub, "denied"},
                         {"alice", "+", "devices/d2/state", pub, "denied"},
                         {"alice", "#", "devices/#", sub, "denied"},
                         {"alice", "", "devices//x", pub, "denied"},
                         {"alice", "d1", "users/alice/clients/d1", pub, "allowed by own"},
                         {"alice", "d1", "users/alice/clients/d2", pub, "denied"},
                         {"alice", "d1", "users/bob/clients/d1", pub, "denied"},
                         {"alice", "d/1", "users/alice/clients/d/1", pub, "denied"},
                         {"a/b", "d1", "users/a/b/clients/d1", pub, "denied"},
                     });
}

TEST_CASE("a deny rule wins over any allow rule", "[acl]") {
  const AclIndex index = index_of({
      allow("all", "%", "#"),
      deny("no-secret", "%", "secret/#"),
      deny("no-secret-again", "%", "secret/+"),
      allow("secret-for-alice", "alice", "secret/#"),
  });
  check_cases(index, {
                         {"alice", "c1", "a/b", pub, "allowed by all"},
                         {"alice", "c1", "secret", pub, "denied by no-secret"},
                         {"alice", "c1", "secret/x", pub, "denied by no-secret"},
                         {"bob", "c1", "secret/x/y", pub, "denied by no-secret"},
                         {"alice", "c1", "a/#", sub, "allowed by all"},
                         // Subscriptions are refused when they could receive a denied topic.
                         {"alice", "c1", "#", sub, "denied by no-secret"},
                         {"alice", "c1", "+/x", sub, "denied by no-secret"},
                         {"alice", "c1", "+", sub, "denied by no-secret"},
                         {"alice", "c1", "secret/#", sub, "denied by no-secret"},
                         {"alice", "c1", "+/x/y", sub, "denied by no-secret"},
                         {"alice", "c1", "public/+", sub, "allowed by all"},
                     });
}

TEST_CASE("the first matching rule in order names the decision", "[acl]") {
  const AclIndex index = index_of({
      allow("a1", "%", "a/+"),
      deny("d1", "bob", "a/b"),
      allow("a2", "%", "a/#"),
      deny("d2", "%", "a/b/#"),
      deny("d3", "%", "+/b"),
  });
  check_cases(index, {
                         {"alice", "c", "a/c", pub, "allowed by a1"},
                         {"alice", "c", "a/c/d", pub, "allowed by a2"},
                         {"alice", "c", "a/b", pub, "denied by d2"},
                         {"bob", "c", "a/b", pub, "denied by d1"},
                         {"alice", "c", "x/b", pub, "denied by d3"},
                         {"alice", "c", "a/c/+", sub, "allowed by a2"},
                         {"alice", "c", "a/+/c", sub, "denied by d2"},
                         {"alice", "c", "a/+", sub, "denied by d2"},
                     });
}

TEST_CASE("pub, sub and pubsub permissions cover their actions", "[acl]") {
  const AclIndex index = index_of({
      allow("pub-only", "%", "p/#", Permission::pub),
      allow("sub-only", "%", "s/#", Permission::sub),
      allow("both", "%", "b/#", Permission::pubsub),
      allow("all-sub", "%", "x/#", Permission::sub),
      deny("no-pub", "%", "x/ro/#", Permission::pub),
  });
  check_cases(index, {
                         {"alice", "c", "p/1", pub, "allowed by pub-only"},
                         {"alice", "c", "p/1", sub, "denied"},
                         {"alice", "c", "s/1", sub, "allowed by sub-only"},
                         {"alice", "c", "s/1", pub, "denied"},
                         {"alice", "c", "b/1", pub, "allowed by both"},
                         {"alice", "c", "b/1", sub, "allowed by both"},
                         // A deny for publishing does not stop subscribing.
                         {"alice", "c", "x/ro/1", sub, "allowed by all-sub"},
                         {"alice", "c", "x/#", sub, "allowed by all-sub"},
                         {"alice", "c", "x/ro/1", pub, "denied by no-pub"},
                     });
}

TEST_CASE("rules for % apply to everyone, rules for a name to that name only", "[acl]") {
  const AclIndex index = index_of({
      allow("starter", "%", "users/%u/#"),
      allow("team", "alice", "team/#"),
      deny("bob-private", "bob", "users/bob/private/#"),
      allow("case", "Carol", "carol/#"),
      allow("alice-self", "alice", "self/%u"),
  });
  check_cases(index, {
                         {"alice", "c", "team/x", pub, "allowed by team"},
                         {"bob", "c", "team/x", pub, "denied"},
                         {"alice", "c", "users/alice/private/x", pub, "allowed by starter"},
                         {"bob", "c", "users/bob/private/x", pub, "denied by bob-private"},
                         {"bob", "c", "users/bob/#", sub, "denied by bob-private"},
                         {"bob", "c", "users/bob/public", pub, "allowed by starter"},
                         {"carol", "c", "carol/x", pub, "denied"},  // names are case-sensitive
                         {"Carol", "c", "carol/x", pub, "allowed by case"},
                         {"alice", "c", "self/alice", pub, "allowed by alice-self"},
                         {"bob", "c", "self/bob", pub, "denied"},
                     });
}

TEST_CASE("rules starting with a wildcard neither allow nor deny $ topics", "[acl]") {
  const AclIndex open = index_of({
      allow("all", "%", "#"),
      allow("plus", "%", "+/x"),
  });
  check_cases(open, {
                        {"alice", "c", "$SYS/broker/uptime", pub, "denied"},
                        {"alice", "c", "$SYS/#", sub, "denied"},
                        {"alice", "c", "$foo", pub, "denied"},
                        {"alice", "c", "$a/x", pub, "denied"},
                        {"alice", "c", "a/$SYS", pub, "allowed by all"},
                    });
  const AclIndex sys = index_of({
      allow("sys", "%", "$SYS/#", Permission::sub),
      deny("nothing", "%", "#"),
  });
  check_cases(sys, {
                       {"alice", "c", "$SYS/#", sub, "allowed by sys"},
                       {"alice", "c", "$SYS/broker/+", sub, "allowed by sys"},
                       {"alice", "c", "$SYS/x", pub, "denied"},
                       {"alice", "c", "a/b", pub, "denied by nothing"},
                   });
  const AclIndex sys_denied = index_of({
      allow("sys", "%", "$SYS/#", Permission::sub),
      deny("no-load", "%", "$SYS/broker/load/#"),
  });
  check_cases(sys_denied, {
                              {"alice", "c", "$SYS/#", sub, "denied by no-load"},
                              {"alice", "c", "$SYS/broker/clients/+", sub, "allowed by sys"},
                          });
}

TEST_CASE("a deny rule still applies when its placeholder cannot be substituted", "[acl]") {
  const AclIndex index = index_of({
      allow("all", "%", "#"),
      allow("sys", "%", "$SYS/#"),
      deny("private", "%", "private/%c/#"),
      deny("home", "%", "%c/home"),
  });
  check_cases(index, {
                         {"alice", "ok", "private/ok/x", pub, "denied by private"},
                         {"alice", "ok", "private/other/x", pub, "allowed by all"},
                         {"alice", "ok", "ok/home", pub, "denied by home"},
                         {"alice", "ok", "$SYS/x", pub, "allowed by sys"},
                         // "x/y" cannot stand in for %c: private/%c/# reaches all of private/.
                         {"alice", "x/y", "private/x/y/z", pub, "denied by private"},
                         {"alice", "x/y", "private/other", pub, "denied by private"},
                         {"alice", "x/y", "private", pub, "denied by private"},
                         {"alice", "x/y", "private/+", sub, "denied by private"},
                         // ... and %c/home, with the placeholder first, reaches every topic.
                         {"alice", "x/y", "public/a", pub, "denied by home"},
                         {"alice", "x/y", "$SYS/x", pub, "denied by home"},
                         {"alice", "+", "$SYS/#", sub, "denied by home"},
                         {"alice", "", "a", pub, "denied by home"},
                     });
}

TEST_CASE("anonymous clients may use every topic but what a % deny rule forbids", "[acl]") {
  const AclIndex index = index_of({
      allow("starter", "%", "users/%u/#"),
      deny("admin", "%", "admin/#"),
      deny("private", "%", "users/%u/private/#"),
      deny("alice-only", "alice", "open/#"),
      deny("device", "%", "devices/%c/config", Permission::pub),
      deny("everything", "%", "#", Permission::sub),
  });
  check_anonymous(index, {
                             {"c1", "open/x", pub, "allowed"},
                             {"c1", "a/b", pub, "allowed"},
                             {"c1", "admin", pub, "denied by admin"},
                             {"c1", "admin/x", pub, "denied by admin"},
                             // Without a name, users/%u/private/# reaches all of users/.
                             {"c1", "users/alice/private/x", pub, "denied by private"},
                             {"c1", "users/alice/x", pub, "denied by private"},
                             {"c1", "devices/c1/config", pub, "denied by device"},
                             {"c1", "devices/c2/config", pub, "allowed"},
                             {"c/1", "devices/c2/config", pub, "denied by device"},
                             {"c1", "devices/c1/config", sub, "denied by everything"},
                             {"c1", "a/b", sub, "denied by everything"},
                             // '#' does not reach $ topics, so it does not deny them either.
                             {"c1", "$SYS/#", sub, "allowed"},
                             {"c1", "a/+", pub, "denied"},  // not a topic name
                         });
  check_cases(index, {
                         {"alice", "c1", "users/alice/x", pub, "allowed by starter"},
                         {"alice", "c1", "open/x", pub, "denied by alice-only"},
                     });
}

TEST_CASE("shared subscriptions are judged by the filter behind $share/{group}/", "[acl]") {
  const AclIndex index = index_of({
      allow("starter", "%", "users/%u/#"),
      deny("no-x", "%", "users/+/x"),
  });
  check_cases(index, {
                         {"alice", "c", "$share/g/users/alice/#", sub, "denied by no-x"},
                         {"alice", "c", "$share/g/users/alice/y/#", sub, "allowed by starter"},
                         {"alice", "c", "$share/g/users/bob/y", sub, "denied"},
                         {"alice", "c", "$share/users/alice/y", sub, "denied"},
                         {"alice", "c", "$share/g", sub, "denied"},
                         {"alice", "c", "$share//users/alice/y", sub, "denied"},
                     });
  check_anonymous(index, {
                             {"c", "$share/g/users/a/x", sub, "denied by no-x"},
                             {"c", "$share/g/users/x", sub, "allowed"},
                             {"c", "$share/g/other", sub, "allowed"},
                             {"c", "$share/g+/other", sub, "denied"},
                         });
}

TEST_CASE("requests that are not valid topic names or filters are denied", "[acl]") {
  const AclIndex index = index_of({allow("all", "%", "#")});
  check_cases(index, {
                         {"alice", "c", "", pub, "denied"},
                         {"alice", "c", "a/+", pub, "denied"},
                         {"alice", "c", "a/#", pub, "denied"},
                         {"alice", "c", std::string_view("a\0b", 3), pub, "denied"},
                         {"alice", "c", "", sub, "denied"},
                         {"alice", "c", "a/#/b", sub, "denied"},
                         {"alice", "c", "a+/b", sub, "denied"},
                         {"alice", "c", "a/b", pub, "allowed by all"},
                     });
  check_anonymous(index, {
                             {"c", "", pub, "denied"},
                             {"c", "#/a", sub, "denied"},
                         });
}

TEST_CASE("rule_verdict says what one rule says about one request", "[acl]") {
  using cs::auth::rule_verdict;
  const AclRule starter = allow("s", "%", "users/%u/#");
  CHECK(rule_verdict(starter, "alice", "c", "users/alice/x", pub) == Effect::allow);
  CHECK_FALSE(rule_verdict(starter, "alice", "c", "users/bob/x", pub));
  CHECK(rule_verdict(starter, "alice", "c", "$share/g/users/alice/#", sub) == Effect::allow);
  CHECK_FALSE(rule_verdict(starter, "alice", "c", "users/alice/+", pub));
  const AclRule named = deny("d", "bob", "users/%u/#", Permission::sub);
  CHECK(rule_verdict(named, "bob", "c", "users/+", sub) == Effect::deny);
  CHECK_FALSE(rule_verdict(named, "bob", "c", "users/bob", pub));
  CHECK_FALSE(rule_verdict(named, "alice", "c", "users/alice", sub));
  CHECK(rule_verdict(named, "bob", "c", "#", sub) == Effect::deny);
  CHECK_FALSE(rule_verdict(named, "bob", "c", "$SYS/#", sub));
}
