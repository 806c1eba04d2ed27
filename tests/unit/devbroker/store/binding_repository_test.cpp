#include "devbroker/store/binding_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

TEST_CASE("identity bindings: the first identity owns a name", "[store]") {
  TestStore t;
  auto& bindings = t.repos().bindings;
  const BindingRecord john{"p1", "sub-1", "john_example_com", at(5)};
  REQUIRE(bindings.insert(john));
  CHECK(bindings.find("p1", "sub-1").value() == john);
  CHECK(bindings.find_by_name("john_example_com").value() == john);
  CHECK(bindings.find("p1", "sub-2").value() == std::nullopt);
  CHECK(bindings.find("p2", "sub-1").value() == std::nullopt);
  CHECK(bindings.find_by_name("jane").value() == std::nullopt);

  auto taken = bindings.insert(BindingRecord{"p2", "sub-9", "john_example_com", at(6)});
  CHECK(error_of(taken).code == ErrorCode::conflict);
  CHECK(error_of(taken).message == "the name 'john_example_com' belongs to another identity");

  auto again = bindings.insert(BindingRecord{"p1", "sub-1", "john_2", at(6)});
  CHECK(error_of(again).code == ErrorCode::conflict);
  CHECK(error_of(again).message == "this identity already has a name");

  REQUIRE(bindings.insert(BindingRecord{"p2", "sub-1", "john_x7", at(7)}));  // same sub elsewhere
  REQUIRE(bindings.remove("p1", "sub-1"));
  CHECK(bindings.find_by_name("john_example_com").value() == std::nullopt);
  auto missing = bindings.remove("p1", "sub-1");
  CHECK(error_of(missing).code == ErrorCode::not_found);
  CHECK(error_of(missing).message == "no name is bound to this identity");
}

TEST_CASE("identity bindings: a native MQTT user's name is never bound", "[store]") {
  TestStore t;
  REQUIRE(t.repos().users.insert(UserRecord{"sensor_01", "$2b$10$x", at(1)}));
  auto taken = t.repos().bindings.insert(BindingRecord{"p1", "sub-1", "sensor_01", at(2)});
  CHECK(error_of(taken).code == ErrorCode::conflict);
  CHECK(error_of(taken).message == "the name 'sensor_01' belongs to a native MQTT user");
  CHECK(t.repos().bindings.find("p1", "sub-1").value() == std::nullopt);
}
