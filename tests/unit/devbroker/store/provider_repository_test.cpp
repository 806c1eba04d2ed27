#include "devbroker/store/provider_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

namespace {

ProviderRecord provider(const std::string& id, const std::string& name, std::int64_t created) {
  ProviderRecord p;
  p.id = id;
  p.type = "supabase";
  p.name = name;
  p.config = {{"project_url", "https://x.supabase.co"}, {"jwt_secret", "s3cret"}};
  p.created_at = at(created);
  p.updated_at = at(created);
  return p;
}

}  // namespace

TEST_CASE("providers: insert, find by id and name, list, conflicts", "[store]") {
  TestStore t;
  auto& providers = t.repos().providers;
  const auto a = provider("p1", "main", 10);
  auto b = provider("p2", "staging", 11);
  b.enabled = false;
  b.dev = true;
  b.username_claim = "sub";
  REQUIRE(providers.insert(a));
  REQUIRE(providers.insert(b));
  CHECK(providers.find("p1").value() == a);
  CHECK(providers.find_by_name("staging").value() == b);
  CHECK(providers.find("p3").value() == std::nullopt);
  CHECK(providers.find_by_name("prod").value() == std::nullopt);
  CHECK(providers.list().value() == std::vector<ProviderRecord>{a, b});

  auto same_name = providers.insert(provider("p3", "main", 12));
  CHECK(error_of(same_name).code == ErrorCode::conflict);
  CHECK(error_of(same_name).message == "an identity provider named 'main' already exists");
  auto same_id = providers.insert(provider("p1", "other", 12));
  CHECK(error_of(same_id).message == "an identity provider with id p1 already exists");
}

TEST_CASE("providers: update and remove", "[store]") {
  TestStore t;
  auto& providers = t.repos().providers;
  REQUIRE(providers.insert(provider("p1", "main", 10)));
  REQUIRE(providers.insert(provider("p2", "other", 10)));
  auto changed = provider("p1", "renamed", 10);
  changed.config = {{"project_url", "https://y.supabase.co"}};
  changed.enabled = false;
  changed.updated_at = at(20);
  REQUIRE(providers.update(changed));
  CHECK(providers.find("p1").value() == changed);

  auto taken = provider("p1", "other", 10);
  CHECK(error_of(providers.update(taken)).code == ErrorCode::conflict);
  auto missing = providers.update(provider("p9", "x", 10));
  CHECK(error_of(missing).code == ErrorCode::provider_not_found);
  CHECK(error_of(missing).message == "no identity provider with id p9");

  REQUIRE(providers.remove("p1"));
  CHECK(providers.find("p1").value() == std::nullopt);
  CHECK(error_of(providers.remove("p1")).code == ErrorCode::provider_not_found);
}
