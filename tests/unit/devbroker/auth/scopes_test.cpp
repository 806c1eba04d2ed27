#include "devbroker/auth/scopes.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "devbroker/auth/acl_index.h"

using cs::auth::Action;
using cs::auth::parse_scope;
using cs::auth::parse_scopes;
using cs::auth::Scope;
using cs::auth::scope_allows;
using cs::auth::ScopeKind;

namespace {

constexpr cs::mqtt::TopicLimits k_limits{1024, 32};
constexpr Action pub = Action::publish;
constexpr Action sub = Action::subscribe;

std::vector<Scope> scopes_of(const std::vector<std::string>& texts) {
  auto scopes = parse_scopes(texts, k_limits);
  REQUIRE(scopes);
  return *scopes;
}

std::string problem(std::string_view text) {
  const auto scope = parse_scope(text, k_limits);
  return scope ? std::string("(valid)") : scope.error().message;
}

}  // namespace

TEST_CASE("every scope of the API parses and prints back", "[scopes]") {
  const std::pair<std::string_view, Scope> cases[] = {
      {"publish:sensors/#", {ScopeKind::publish, "sensors/#"}},
      {"publish:a/+/b", {ScopeKind::publish, "a/+/b"}},
      {"subscribe:#", {ScopeKind::subscribe, "#"}},
      {"subscribe:$SYS/#", {ScopeKind::subscribe, "$SYS/#"}},
      {"publish:a:b", {ScopeKind::publish, "a:b"}},
      {"tokens:create", {ScopeKind::tokens_create, ""}},
      {"tokens:exchange", {ScopeKind::tokens_exchange, ""}},
      {"read", {ScopeKind::read, ""}},
  };
  for (const auto& [text, scope] : cases) {
    INFO(text);
    const auto parsed = parse_scope(text, k_limits);
    REQUIRE(parsed);
    CHECK(*parsed == scope);
    CHECK(scope_text(*parsed) == text);
  }
}

TEST_CASE("unknown scopes and bad filters are refused naming the scope", "[scopes]") {
  const std::string unknown_tail =
      "'; scopes are publish:<topic filter>, subscribe:<topic filter>, tokens:create, "
      "tokens:exchange and read";
  for (const char* text : {"", "write", "Read", "read:", "tokens", "tokens:Create",
                           "tokens:create ", "pub:a", "Publish:a", "publish", "subscribe"}) {
    INFO(text);
    CHECK(problem(text) == std::string("unknown scope '").append(text).append(unknown_tail));
  }
  CHECK(problem("publish:") ==
        "the topic filter of scope 'publish:' is not valid: a topic filter must not be empty");
  CHECK(problem("subscribe:a/#/b") ==
        "the topic filter of scope 'subscribe:a/#/b' is not valid: the wildcard '#' must be the "
        "last level of a topic filter");
  CHECK(problem("publish:a+") ==
        "the topic filter of scope 'publish:a+' is not valid: the wildcard '+' must be a whole "
        "level of a topic filter");
  CHECK(problem("subscribe:$share/g/a") ==
        "the topic filter of scope 'subscribe:$share/g/a' is not valid: a scope cannot name a "
        "shared subscription ($share/...)");
  CHECK(problem("publish:users/%u/#") ==
        "the topic filter of scope 'publish:users/%u/#' is not valid: scopes take no "
        "placeholders, so '%' is not allowed");

  auto several = parse_scopes({"read", "publish:a", "nope", "bad:"}, k_limits);
  REQUIRE_FALSE(several);
  CHECK(several.error().code == cs::ErrorCode::invalid_request);
  CHECK(several.error().message.starts_with("unknown scope 'nope'"));
}

TEST_CASE("has_scope finds the non-topic scopes", "[scopes]") {
  const auto scopes = scopes_of({"read", "publish:a"});
  CHECK(has_scope(scopes, ScopeKind::read));
  CHECK(has_scope(scopes, ScopeKind::publish));
  CHECK_FALSE(has_scope(scopes, ScopeKind::tokens_create));
  CHECK_FALSE(has_scope(scopes, ScopeKind::tokens_exchange));
  CHECK_FALSE(has_scope({}, ScopeKind::read));
}

TEST_CASE("a publish scope's filter must match the topic", "[scopes]") {
  const auto scopes = scopes_of({"publish:sensors/+/temp", "publish:alerts/#", "subscribe:x/#"});
  CHECK(scope_allows(scopes, pub, "sensors/s1/temp"));
  CHECK(scope_allows(scopes, pub, "alerts"));
  CHECK(scope_allows(scopes, pub, "alerts/a/b"));
  CHECK_FALSE(scope_allows(scopes, pub, "sensors/s1/humidity"));
  CHECK_FALSE(scope_allows(scopes, pub, "sensors/s1/temp/x"));
  CHECK_FALSE(scope_allows(scopes, pub, "x/y"));  // a subscribe scope does not let it publish
  CHECK_FALSE(scope_allows(scopes, pub, "sensors/+/temp"));  // not a topic name
  CHECK_FALSE(scope_allows(scopes, pub, ""));
  CHECK_FALSE(scope_allows(scopes_of({"publish:#"}), pub, "$SYS/x"));
  CHECK(scope_allows(scopes_of({"publish:$SYS/#"}), pub, "$SYS/x"));
  CHECK_FALSE(scope_allows({}, pub, "a"));
  CHECK_FALSE(scope_allows(scopes_of({"read", "tokens:create"}), pub, "a"));
}

TEST_CASE("a subscribe scope's filter must cover the requested filter", "[scopes]") {
  const auto scopes = scopes_of({"subscribe:sensors/#", "subscribe:alerts/+", "publish:p/#"});
  CHECK(scope_allows(scopes, sub, "sensors/#"));
  CHECK(scope_allows(scopes, sub, "sensors/+/temp"));
  CHECK(scope_allows(scopes, sub, "sensors"));
  CHECK(scope_allows(scopes, sub, "alerts/+"));
  CHECK(scope_allows(scopes, sub, "alerts/fire"));
  CHECK_FALSE(scope_allows(scopes, sub, "alerts/#"));
  CHECK_FALSE(scope_allows(scopes, sub, "alerts/+/x"));
  CHECK_FALSE(scope_allows(scopes, sub, "#"));
  CHECK_FALSE(scope_allows(scopes, sub, "+/temp"));
  CHECK_FALSE(scope_allows(scopes, sub, "p/x"));  // a publish scope does not let it subscribe
  CHECK(scope_allows(scopes, sub, "$share/g/sensors/+"));
  CHECK_FALSE(scope_allows(scopes, sub, "$share/g/alerts/#"));
  CHECK_FALSE(scope_allows(scopes, sub, "$share/g"));
  CHECK_FALSE(scope_allows(scopes, sub, "sensors/#/x"));
  CHECK_FALSE(scope_allows(scopes_of({"subscribe:#"}), sub, "$SYS/#"));
  CHECK(scope_allows(scopes_of({"subscribe:#"}), sub, "+/+/#"));
}

TEST_CASE("a restricted key needs both its scopes and the access list", "[scopes]") {
  auto index = cs::auth::AclIndex::build(
      {{"starter", "%", "users/%u/#", cs::auth::Permission::pubsub, cs::auth::Effect::allow}},
      k_limits);
  REQUIRE(index);
  const auto scopes = scopes_of({"publish:users/alice/out/#", "subscribe:users/+/in"});
  const auto both = [&](std::string_view topic, Action action) {
    return evaluate(*index, "alice", "c", topic, action).allowed &&
           scope_allows(scopes, action, topic);
  };
  CHECK(both("users/alice/out/1", pub));
  CHECK_FALSE(both("users/alice/in", pub));  // the ACL allows, the scopes do not
  CHECK(both("users/alice/in", sub));
  CHECK_FALSE(both("users/bob/in", sub));  // the scopes allow, the ACL does not
  CHECK_FALSE(both("users/+/in", sub));    // the scopes allow, the ACL does not
  CHECK_FALSE(both("users/bob/out/1", pub));
}
