#include "devbroker/store/user_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

TEST_CASE("users: insert, find, list by name, change password, remove", "[store]") {
  TestStore t;
  auto& users = t.repos().users;
  const UserRecord bob{"bob", "$2b$10$bob", at(1)};
  const UserRecord alice{"alice", "$2b$10$alice", at(2)};
  REQUIRE(users.insert(bob));
  REQUIRE(users.insert(alice));
  CHECK(users.find("bob").value() == bob);
  CHECK(users.find("carol").value() == std::nullopt);
  CHECK(users.list().value() == std::vector<UserRecord>{alice, bob});

  auto duplicate = users.insert(UserRecord{"bob", "$2b$other", at(3)});
  CHECK(error_of(duplicate).code == ErrorCode::conflict);
  CHECK(error_of(duplicate).message == "a user named 'bob' already exists");

  REQUIRE(users.set_password_hash("bob", "$2b$10$new"));
  CHECK(users.find("bob").value()->password_hash == "$2b$10$new");
  CHECK(error_of(users.set_password_hash("carol", "x")).message == "no user named 'carol'");

  REQUIRE(users.remove("bob"));
  CHECK(users.find("bob").value() == std::nullopt);
  auto missing = users.remove("bob");
  CHECK(error_of(missing).code == ErrorCode::not_found);
  CHECK(error_of(missing).message == "no user named 'bob'");
}

TEST_CASE("users: a name bound to an identity-provider identity is refused", "[store]") {
  TestStore t;
  REQUIRE(t.repos().bindings.insert(BindingRecord{"p1", "sub-1", "jane_example_com", at(1)}));
  auto taken = t.repos().users.insert(UserRecord{"jane_example_com", "$2b$10$x", at(2)});
  CHECK(error_of(taken).code == ErrorCode::conflict);
  CHECK(error_of(taken).message ==
        "the name 'jane_example_com' belongs to an identity signed in through an identity "
        "provider");
  CHECK(t.repos().users.find("jane_example_com").value() == std::nullopt);
  // Names compare exactly: another spelling is another name.
  CHECK(t.repos().users.insert(UserRecord{"Jane_example_com", "$2b$10$y", at(3)}));
}
