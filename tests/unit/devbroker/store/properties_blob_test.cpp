// The stored form of MQTT 5.0 properties: round trips, its format byte, damaged blobs.

#include "devbroker/store/properties_blob.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::Bytes;
using cs::ErrorCode;
using cs::mqtt::Properties;
using cs::test::error_of;

namespace {

Properties every_property() {
  Properties p;
  p.payload_format_indicator = 1;
  p.message_expiry_interval = 4000000000u;
  p.content_type = "application/json";
  p.response_topic = "replies/1";
  p.correlation_data = Bytes{0, 1, 2, 0xFF};
  p.subscription_identifiers = {1, 268435455};
  p.session_expiry_interval = 0xFFFFFFFF;
  p.assigned_client_identifier = "auto-1";
  p.server_keep_alive = 65535;
  p.authentication_method = "SCRAM";
  p.authentication_data = Bytes{9};
  p.request_problem_information = 0;
  p.will_delay_interval = 30;
  p.request_response_information = 1;
  p.response_information = "info";
  p.server_reference = "other";
  p.reason_string = "why";
  p.receive_maximum = 10;
  p.topic_alias_maximum = 5;
  p.topic_alias = 3;
  p.maximum_qos = 1;
  p.retain_available = 0;
  p.user_properties = {{"b", "2"}, {"a", "1"}, {"b", "3"}};
  p.maximum_packet_size = 1024;
  p.wildcard_subscription_available = 1;
  p.subscription_identifiers_available = 0;
  p.shared_subscription_available = 1;
  return p;
}

Bytes blob_of(const nlohmann::json& map) {
  Bytes blob{k_properties_format};
  nlohmann::json::to_cbor(map, blob);
  return blob;
}

}  // namespace

TEST_CASE("properties survive the blob with every field and user property order", "[store]") {
  const Properties p = every_property();
  const Bytes blob = encode_properties(p);
  REQUIRE_FALSE(blob.empty());
  CHECK(blob[0] == k_properties_format);
  CHECK(decode_properties(blob).value() == p);
}

TEST_CASE("no properties is an empty blob, and an empty blob is no properties", "[store]") {
  CHECK(encode_properties(Properties{}).empty());
  CHECK(decode_properties({}).value() == Properties{});
}

TEST_CASE("the blob is keyed by property identifier", "[store]") {
  Properties p;
  p.content_type = "text/plain";
  p.correlation_data = Bytes{7};
  const Bytes blob = encode_properties(p);
  const auto map = nlohmann::json::from_cbor(blob.begin() + 1, blob.end());
  CHECK(map.size() == 2);
  CHECK(map["3"] == "text/plain");
  CHECK(map["9"].is_binary());
}

TEST_CASE("damaged property blobs are io errors", "[store]") {
  auto unknown = decode_properties(Bytes{2, 0xA0});
  CHECK(unknown.error().code == ErrorCode::io);
  CHECK(unknown.error().message == "stored MQTT properties have an unknown format 2");

  CHECK(error_of(decode_properties(Bytes{1, 0xFF, 0x00})).message ==
        "stored MQTT properties are damaged (not a CBOR map)");
  CHECK(error_of(decode_properties(blob_of(nlohmann::json::array({1})))).message ==
        "stored MQTT properties are damaged (not a CBOR map)");

  const std::string wrong_type = "stored MQTT properties are damaged (a value has the wrong type)";
  CHECK(error_of(decode_properties(blob_of({{"1", 256}}))).message == wrong_type);  // uint8
  CHECK(error_of(decode_properties(blob_of({{"3", 5}}))).message == wrong_type);
  CHECK(error_of(decode_properties(blob_of({{"9", "text"}}))).message == wrong_type);
  CHECK(error_of(decode_properties(blob_of({{"11", 1}}))).message == wrong_type);
  CHECK(error_of(decode_properties(blob_of({{"38", {{"k"}}}}))).message == wrong_type);
  CHECK(error_of(decode_properties(blob_of({{"2", -1}}))).message == wrong_type);
}

TEST_CASE("identifiers this build does not know are skipped", "[store]") {
  auto decoded = decode_properties(blob_of({{"3", "a/b"}, {"99", "future"}}));
  REQUIRE(decoded);
  CHECK(decoded->content_type == "a/b");
}
