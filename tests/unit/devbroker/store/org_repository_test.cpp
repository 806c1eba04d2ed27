#include "devbroker/store/org_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

TEST_CASE("the organization is one row: insert, find, update", "[store]") {
  TestStore t;
  auto& orgs = t.repos().org;
  CHECK(orgs.find().value() == std::nullopt);
  const OrgRecord org{"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "org_k7xm4pqr2n5t", "dev", at(10),
                      3600};
  REQUIRE(orgs.insert(org));
  CHECK(orgs.find().value() == org);

  OrgRecord second = org;
  second.id = "another";
  second.short_id = "org_aaaaaaaaaaaa";
  auto conflict = orgs.insert(second);
  CHECK(error_of(conflict).code == ErrorCode::conflict);
  CHECK(error_of(conflict).message == "an organization already exists");

  OrgRecord renamed = org;
  renamed.name = "renamed";
  renamed.token_ttl_seconds = 60;
  REQUIRE(orgs.update(renamed));
  CHECK(orgs.find().value() == renamed);

  auto missing = orgs.update(second);
  CHECK(error_of(missing).code == ErrorCode::org_not_found);
  CHECK(error_of(missing).message == "no organization with id another");
}
