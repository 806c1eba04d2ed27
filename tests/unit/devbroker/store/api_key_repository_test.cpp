#include "devbroker/store/api_key_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

namespace {

ApiKeyRecord key(const std::string& id, const std::string& prefix, std::int64_t created) {
  ApiKeyRecord k;
  k.id = id;
  k.name = "key " + id;
  k.type = "restricted";
  k.prefix = prefix;
  k.hash = "$2b$10$" + id;
  k.scopes = {"publish:sensors/#", "read"};
  k.ip_allowlist = {"10.0.0.0/8"};
  k.created_at = at(created);
  return k;
}

}  // namespace

TEST_CASE("API keys: insert, find, prefix lookup, list, conflicts", "[store]") {
  TestStore t;
  auto& keys = t.repos().api_keys;
  const auto a = key("k1", "rk_abcd", 10);
  auto b = key("k2", "rk_abcd", 11);
  b.type = "secret";
  b.scopes.clear();
  b.ip_allowlist.clear();
  const auto c = key("k3", "rk_efgh", 12);
  REQUIRE(keys.insert(a));
  REQUIRE(keys.insert(b));
  REQUIRE(keys.insert(c));
  CHECK(keys.find("k1").value() == a);
  CHECK(keys.find("k2").value() == b);
  CHECK(keys.find("nope").value() == std::nullopt);
  CHECK(keys.find_by_prefix("rk_abcd").value() == std::vector<ApiKeyRecord>{a, b});
  CHECK(keys.find_by_prefix("rk_zzzz").value().empty());
  CHECK(keys.list().value() == std::vector<ApiKeyRecord>{a, b, c});

  auto duplicate = keys.insert(a);
  CHECK(error_of(duplicate).code == ErrorCode::conflict);
  CHECK(error_of(duplicate).message == "an API key with id k1 already exists");
  auto bad_type = key("k4", "x", 1);
  bad_type.type = "admin";
  CHECK(error_of(keys.insert(bad_type)).code == ErrorCode::invalid_request);
}

TEST_CASE("API keys: record use, rotate, revoke", "[store]") {
  TestStore t;
  auto& keys = t.repos().api_keys;
  REQUIRE(keys.insert(key("k1", "sk_old", 10)));
  REQUIRE(keys.record_use("k1", at(20)));
  REQUIRE(keys.record_use("k1", at(30)));
  auto used = keys.find("k1").value();
  CHECK(used->use_count == 2);
  CHECK(used->last_used_at == at(30));
  CHECK(error_of(keys.record_use("nope", at(30))).message == "no API key with id nope");

  REQUIRE(keys.rotate("k1", "sk_new", "$2b$10$new"));
  CHECK(keys.find_by_prefix("sk_old").value().empty());
  CHECK(keys.find_by_prefix("sk_new").value().at(0).hash == "$2b$10$new");

  REQUIRE(keys.revoke("k1", at(40)));
  CHECK(keys.find("k1").value()->revoked_at == at(40));
  CHECK(keys.find_by_prefix("sk_new").value().empty());
  CHECK(keys.list().value().empty());
  CHECK(error_of(keys.revoke("k1", at(41))).code == ErrorCode::not_found);
  CHECK(error_of(keys.rotate("k1", "sk_x", "h")).code == ErrorCode::not_found);
}

TEST_CASE("an API key with a damaged scope list is an error, never an empty list", "[store]") {
  TestStore t;
  REQUIRE(t.repos().api_keys.insert(key("k1", "rk_a", 1)));
  REQUIRE(t.store.database().execute("UPDATE api_keys SET ip_allowlist = '{broken'"));
  auto found = t.repos().api_keys.find("k1");
  CHECK(error_of(found).code == ErrorCode::io);
  CHECK(error_of(found).message == "a stored API key has a damaged scope or address list");
}
