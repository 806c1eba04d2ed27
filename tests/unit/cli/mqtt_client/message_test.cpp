#include "cli/mqtt_client/message.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cs::cli::mqtt_client;

TEST_CASE("messages: a text payload in JSON, without properties", "[cli][mqtt_client]") {
  ReceivedMessage m{"sensors/1/temp", "21.5", 1, false, {}};
  CHECK(format_json(m) == R"({"topic":"sensors/1/temp","payload":"21.5","qos":1,"retain":false})");
  CHECK(format_text(m) == "sensors/1/temp 21.5");
}

TEST_CASE("messages: a binary payload is base64 in JSON and in text", "[cli][mqtt_client]") {
  ReceivedMessage m{"bin", std::string("\x00\xff\x10", 3), 0, true, {}};
  CHECK(format_json(m) == R"({"topic":"bin","payload_base64":"AP8Q","qos":0,"retain":true})");
  CHECK(format_text(m) == "bin base64:AP8Q");
  // Ill-formed UTF-8 (a lone continuation byte, an overlong '/') is not text either.
  CHECK_FALSE(is_text("\x80"));
  CHECK_FALSE(is_text("\xc0\xaf"));
  CHECK_FALSE(is_text(std::string("a\0b", 3)));
  CHECK(is_text(""));
  CHECK(is_text("h\xc3\xa9llo \xf0\x9f\x98\x80"));
}

TEST_CASE("messages: text payloads are escaped, never break the line", "[cli][mqtt_client]") {
  ReceivedMessage m{"t", "line 1\nline \"2\"\t\x01", 2, false, {}};
  const std::string line = format_json(m);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(nlohmann::json::parse(line)["payload"] == "line 1\nline \"2\"\t\x01");
  m.payload = "caf\xc3\xa9";
  CHECK(format_json(m) ==
        "{\"topic\":\"t\",\"payload\":\"caf\xc3\xa9\",\"qos\":2,\"retain\":false}");
}

TEST_CASE("messages: every MQTT 5 property in JSON", "[cli][mqtt_client]") {
  ReceivedMessage m{"rpc/req", "{}", 1, false, {}};
  m.properties.payload_format_indicator = 1;
  m.properties.message_expiry_interval = 60;
  m.properties.content_type = "application/json";
  m.properties.response_topic = "rpc/resp/7";
  m.properties.correlation_data = std::string("\x01\x02\x03", 3);
  m.properties.user_properties = {{"trace", "abc"}, {"trace", "def"}, {"empty", ""}};
  CHECK(format_json(m) ==
        R"({"topic":"rpc/req","payload":"{}","qos":1,"retain":false,"properties":{)"
        R"("content_type":"application/json","response_topic":"rpc/resp/7",)"
        R"("correlation_data":"AQID","user_properties":[{"key":"trace","value":"abc"},)"
        R"({"key":"trace","value":"def"},{"key":"empty","value":""}],)"
        R"("message_expiry_interval":60,"payload_format_indicator":1}})");
  // The text form shows only topic and payload.
  CHECK(format_text(m) == "rpc/req {}");
}

TEST_CASE("messages: strings from the broker that are not UTF-8 do not break the JSON",
          "[cli][mqtt_client]") {
  ReceivedMessage m{"bad\xff", "x", 0, false, {}};
  m.properties.user_properties = {{"k\xfe", "v"}};
  const std::string line = format_json(m);
  CHECK(nlohmann::json::parse(line)["topic"] == "bad\xef\xbf\xbd");
}

TEST_CASE("messages: --user-property KEY=VALUE", "[cli][mqtt_client]") {
  auto p = parse_user_property("trace=abc=def");
  REQUIRE(p);
  CHECK(*p == UserProperty{"trace", "abc=def"});
  p = parse_user_property("k=");
  REQUIRE(p);
  CHECK(*p == UserProperty{"k", ""});
  for (const char* bad : {"novalue", "=v", ""}) {
    INFO(bad);
    auto r = parse_user_property(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == cs::ErrorCode::usage);
    CHECK(r.error().message == std::string("--user-property '") + bad + "' is not KEY=VALUE");
  }
  auto r = parse_user_property(std::string("k=a\0b", 5));
  REQUIRE_FALSE(r);
  CHECK(r.error().message ==
        "--user-property keys and values must be UTF-8 text without U+0000, at most 65535 bytes "
        "each");
  CHECK_FALSE(parse_user_property("k=\xff"));
}
