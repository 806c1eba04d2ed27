#include "devbroker/store/retained_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::Bytes;
using cs::mqtt::QoS;
using cs::test::at;
using cs::test::TestStore;

namespace {

RetainedRecord message(const std::string& topic, const std::string& payload,
                       std::optional<std::int64_t> expires = std::nullopt) {
  RetainedRecord m;
  m.topic = topic;
  m.payload.assign(payload.begin(), payload.end());
  m.qos = QoS::at_least_once;
  if (expires) m.expires_at = at(*expires);
  return m;
}

}  // namespace

TEST_CASE("retained messages: one per topic, replaced, removed", "[store]") {
  TestStore t;
  auto& retained = t.repos().retained;
  auto a = message("a/1", "one");
  a.properties.content_type = "text/plain";
  a.properties.user_properties = {{"k", "v"}};
  const auto b = message("b/1", "");  // an empty payload is kept as an empty blob
  REQUIRE(retained.put(a));
  REQUIRE(retained.put(b));
  CHECK(retained.list(at(0)).value() == std::vector<RetainedRecord>{a, b});

  auto replaced = message("a/1", "two");
  replaced.qos = QoS::exactly_once;
  REQUIRE(retained.put(replaced));
  CHECK(retained.list(at(0)).value() == std::vector<RetainedRecord>{replaced, b});

  REQUIRE(retained.remove("a/1"));
  REQUIRE(retained.remove("never/was"));
  CHECK(retained.list(at(0)).value() == std::vector<RetainedRecord>{b});
}

TEST_CASE("retained messages expire", "[store]") {
  TestStore t;
  auto& retained = t.repos().retained;
  REQUIRE(retained.put(message("a", "x", 100)));
  REQUIRE(retained.put(message("b", "y", 200)));
  REQUIRE(retained.put(message("c", "z")));
  CHECK(retained.list(at(100)).value().size() == 2);  // expiry at `now` is past
  CHECK(retained.delete_expired(at(150)).value() == 1);
  CHECK(retained.list(at(0)).value().size() == 2);
  CHECK(retained.delete_expired(at(1000000)).value() == 1);
  CHECK(retained.list(at(0)).value().at(0).topic == "c");
}

TEST_CASE("a damaged retained row fails the list, or is left out and described", "[store]") {
  TestStore t;
  auto& retained = t.repos().retained;
  REQUIRE(retained.put(message("a", "x")));
  REQUIRE(retained.put(message("b", "y")));
  REQUIRE(
      t.store.database().execute("UPDATE retained SET properties = x'01ff00' WHERE topic = 'a'"));

  auto strict = retained.list(at(0));
  CHECK(cs::test::error_of(strict).message ==
        "stored MQTT properties are damaged (not a CBOR map)");

  std::vector<std::string> damaged;
  const auto tolerant = retained.list(at(0), &damaged).value();
  REQUIRE(tolerant.size() == 1);
  CHECK(tolerant[0].topic == "b");
  CHECK(damaged == std::vector<std::string>{
                       "the retained message of 'a': stored MQTT properties are damaged (not a "
                       "CBOR map)"});
}
