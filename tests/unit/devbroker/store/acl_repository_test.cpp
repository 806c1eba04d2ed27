#include "devbroker/store/acl_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

namespace {

AclRuleRecord rule(const std::string& id, const std::string& topic) {
  return AclRuleRecord{id, "%", topic, "pub", "allow", at(1), 0};
}

std::vector<std::string> ids(const std::vector<AclRuleRecord>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.id);
  return out;
}

}  // namespace

TEST_CASE("access rules keep the order they were added in, across removals", "[store]") {
  TestStore t;
  auto& acl = t.repos().acl;
  CHECK(acl.insert(rule("r1", "a/#")).value().position == 1);
  CHECK(acl.insert(rule("r2", "b/#")).value().position == 2);
  CHECK(acl.insert(rule("r3", "c/#")).value().position == 3);
  REQUIRE(acl.remove("r3"));
  REQUIRE(acl.remove("r1"));
  auto r4 = rule("r4", "d/#");
  r4.effect = "deny";
  r4.permission = "pubsub";
  const auto stored = acl.insert(r4).value();
  CHECK(stored.position == 3);
  CHECK(ids(acl.list().value()) == std::vector<std::string>{"r2", "r4"});
  CHECK(acl.find("r4").value() == stored);
  CHECK(acl.find("r1").value() == std::nullopt);
}

TEST_CASE("access rules: conflicts, bad values and missing ids", "[store]") {
  TestStore t;
  auto& acl = t.repos().acl;
  REQUIRE(acl.insert(rule("r1", "a/#")));
  auto duplicate = acl.insert(rule("r1", "b/#"));
  CHECK(error_of(duplicate).code == ErrorCode::conflict);
  CHECK(error_of(duplicate).message == "an access rule with id r1 already exists");
  auto bad = rule("r2", "a");
  bad.permission = "write";
  CHECK(error_of(acl.insert(bad)).code == ErrorCode::invalid_request);
  auto missing = acl.remove("r9");
  CHECK(error_of(missing).code == ErrorCode::not_found);
  CHECK(error_of(missing).message == "no access rule with id r9");
}
