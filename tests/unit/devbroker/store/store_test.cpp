// open_store and bootstrap: what `cloudsignal dev` does with the store at start.

#include "devbroker/store/store.h"

#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/process.h"
#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TempDir;

TEST_CASE("bootstrap creates the organization and the starter rule once", "[store]") {
  TempDir dir;
  OrgRecord org;
  {
    auto store = open_store(dir.path(), Ephemeral::no).value();
    const auto first = store.bootstrap(at(1000)).value();
    CHECK(first.created);
    org = first.org;
    CHECK(std::regex_match(org.id,
                           std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                      "[0-9a-f]{12}")));
    CHECK(std::regex_match(org.short_id, std::regex("org_[a-z0-9]{12}")));
    CHECK(org.name == k_dev_org_name);
    CHECK(org.created_at == at(1000));
    CHECK(org.token_ttl_seconds == 3600);
    CHECK(store.repos().org.find().value() == org);

    const auto rules = store.repos().acl.list().value();
    REQUIRE(rules.size() == 1);
    CHECK(rules[0].user_pattern == "%");
    CHECK(rules[0].topic == "users/%u/#");
    CHECK(rules[0].permission == "pubsub");
    CHECK(rules[0].effect == "allow");
    CHECK(rules[0].created_at == at(1000));
    CHECK(store.bootstrap(at(2000)).value().created == false);
  }
  auto store = open_store(dir.path(), Ephemeral::no).value();
  const auto again = store.bootstrap(at(3000)).value();
  CHECK_FALSE(again.created);
  CHECK(again.org == org);
  CHECK(store.repos().acl.list().value().size() == 1);
}

TEST_CASE("reopening a store keeps its data", "[store]") {
  TempDir dir;
  {
    auto store = open_store(dir.path(), Ephemeral::no).value();
    REQUIRE(store.repos().users.insert({"alice", "$2b$hash", at(100)}));
  }
  auto store = open_store(dir.path(), Ephemeral::no).value();
  const auto alice = store.repos().users.find("alice").value();
  REQUIRE(alice);
  CHECK(alice->password_hash == "$2b$hash");
}

TEST_CASE("open_store refuses a newer database", "[store]") {
  TempDir dir;
  {
    auto store = open_store(dir.path(), Ephemeral::no).value();
    REQUIRE(store.database().execute_script("PRAGMA user_version = 4"));
  }
  CHECK(error_of(open_store(dir.path(), Ephemeral::no)).message ==
        "the database " + dir.path() +
            "/state.db has schema version 4, newer than this cloudsignal supports (3)");
}

TEST_CASE("open_store refuses a missing data directory", "[store]") {
  TempDir dir;
  auto store = open_store(dir.path() + "/nope", Ephemeral::no);
  REQUIRE_FALSE(store);
  CHECK(store.error().code == ErrorCode::io);
  CHECK(store.error().message == "the data directory " + dir.path() + "/nope does not exist");
  CHECK(store.error().hint == "Create it, or pass another --data-dir.");
}

TEST_CASE("an ephemeral store writes nothing to disk and is private to its writer", "[store]") {
  TempDir dir;
  auto store = open_store(dir.path(), Ephemeral::yes).value();
  CHECK(store.bootstrap(at(1)).value().created);
  auto writer = store.open_writer().value();
  REQUIRE(writer->submit(
      [](Repositories& repos) {
        return repos.users.insert({"eve", "h", at(2)});
      },
      {}));
  writer->flush();
  CHECK(store.repos().users.find("eve").value());
  CHECK(std::filesystem::is_empty(dir.path()));

  auto other = open_store(dir.path(), Ephemeral::yes).value();
  CHECK(other.bootstrap(at(1)).value().created);  // a second ephemeral store starts empty
  CHECK(other.repos().users.find("eve").value() == std::nullopt);
}
