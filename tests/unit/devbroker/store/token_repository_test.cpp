#include "devbroker/store/token_repository.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

namespace {

TokenRecord token(const std::string& id, const std::string& hash, std::int64_t created,
                  std::int64_t expires, const std::string& email = "john@example.com") {
  return TokenRecord{id,      hash,        email,       "john_example_com", "native",
                     "web-1", at(created), at(expires), std::nullopt};
}

}  // namespace

TEST_CASE("tokens: insert, find by id and by hash, conflicts", "[store]") {
  TestStore t;
  auto& tokens = t.repos().tokens;
  TokenRecord a = token("t1", "aaaa", 100, 200);
  a.integration_id = std::nullopt;
  REQUIRE(tokens.insert(a));
  CHECK(tokens.find("t1").value() == a);
  CHECK(tokens.find_by_hash("aaaa").value() == a);
  CHECK(tokens.find_by_hash("bbbb").value() == std::nullopt);
  CHECK(tokens.find("t2").value() == std::nullopt);

  auto same_id = tokens.insert(token("t1", "cccc", 100, 200));
  CHECK(error_of(same_id).code == ErrorCode::conflict);
  CHECK(error_of(same_id).message == "a token with id t1 already exists");
  auto same_hash = tokens.insert(token("t2", "aaaa", 100, 200));
  CHECK(error_of(same_hash).code == ErrorCode::conflict);
  CHECK(error_of(same_hash).message == "a token with the same secret already exists");
}

TEST_CASE("tokens: revoke, extend and the active list", "[store]") {
  TestStore t;
  auto& tokens = t.repos().tokens;
  REQUIRE(tokens.insert(token("t1", "h1", 100, 1000)));
  REQUIRE(tokens.insert(token("t2", "h2", 101, 1000)));
  REQUIRE(tokens.insert(token("t3", "h3", 102, 150)));  // expires early
  REQUIRE(tokens.insert(token("t4", "h4", 103, 1000, "other@example.com")));

  auto ids = [](const std::vector<TokenRecord>& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item.id);
    return out;
  };
  CHECK(ids(tokens.list_active(at(120)).value()) ==
        std::vector<std::string>{"t1", "t2", "t3", "t4"});
  CHECK(ids(tokens.list_active(at(150)).value()) == std::vector<std::string>{"t1", "t2", "t4"});

  REQUIRE(tokens.revoke("t1", at(130)));
  CHECK(tokens.find("t1").value()->revoked_at == at(130));
  CHECK(tokens.find_by_hash("h1").value()->revoked_at == at(130));  // the caller tells apart
  auto again = tokens.revoke("t1", at(131));
  CHECK(error_of(again).code == ErrorCode::not_found);
  CHECK(error_of(again).message == "no active token with id t1");
  CHECK(error_of(tokens.revoke("nope", at(131))).code == ErrorCode::not_found);

  REQUIRE(tokens.extend("t2", "h2-new", at(5000)));
  CHECK(tokens.find_by_hash("h2").value() == std::nullopt);  // the old secret stops at once
  CHECK(tokens.find_by_hash("h2-new").value()->expires_at == at(5000));
  CHECK(error_of(tokens.extend("t1", "h1-new", at(5000))).code == ErrorCode::not_found);
  CHECK(error_of(tokens.extend("t2", "h4", at(5000))).code == ErrorCode::conflict);

  auto revoked = tokens.revoke_for_user("john@example.com", at(140)).value();
  std::sort(revoked.begin(), revoked.end());
  CHECK(revoked == std::vector<std::string>{"t2", "t3"});
  CHECK(ids(tokens.list_active(at(140)).value()) == std::vector<std::string>{"t4"});
}

TEST_CASE("the expiry sweep deletes tokens at or past their expiry, revoked or not", "[store]") {
  TestStore t;
  auto& tokens = t.repos().tokens;
  REQUIRE(tokens.insert(token("t1", "h1", 0, 100)));
  REQUIRE(tokens.insert(token("t2", "h2", 0, 200)));
  REQUIRE(tokens.insert(token("t3", "h3", 0, 300)));
  REQUIRE(tokens.revoke("t3", at(50)));
  CHECK(tokens.delete_expired(at(99)).value() == 0);
  CHECK(tokens.delete_expired(at(200)).value() == 2);
  CHECK(tokens.find("t1").value() == std::nullopt);
  CHECK(tokens.find("t2").value() == std::nullopt);
  CHECK(tokens.find("t3").value());  // revoked, kept until its expiry
  CHECK(tokens.delete_expired(at(300)).value() == 1);
  CHECK(tokens.find("t3").value() == std::nullopt);
}
