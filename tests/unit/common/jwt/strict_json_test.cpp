#include "common/jwt/strict_json.h"

#include <catch2/catch.hpp>
#include <string>

using cs::jwt::parse_strict_json;
using nlohmann::json;

TEST_CASE("strict parsing builds the same document as nlohmann's parser", "[jwt][json]") {
  for (const char* text :
       {R"({"sub":"u1","aud":["a","b"],"exp":1900000000,"n":-3,"f":1.5,"ok":true,"x":null})",
        R"({"a":{"b":{"c":[1,[2,[3,{"d":"e"}]]]}},"z":{}})", R"([])", R"("just a string")", R"(42)",
        R"([{"a":1},{"a":2},{"a":{"a":3}}])", R"({"big":18446744073709551615})",
        R"({"esc":"\u00e9\n\"q\""})"}) {
    CAPTURE(text);
    const auto strict = parse_strict_json(text);
    REQUIRE(strict);
    CHECK(*strict == json::parse(text));
  }
}

TEST_CASE("strict parsing finds a repeated name at any depth, and only within one object",
          "[jwt][json]") {
  CHECK(parse_strict_json(R"({"a":{"b":1},"c":{"b":2}})"));  // same name, two objects
  CHECK(parse_strict_json(R"([{"a":1},{"a":1}])"));
  for (const char* text :
       {R"({"a":{"b":1,"b":2}})", R"({"a":[{"x":1,"y":2,"x":3}]})", R"({"a":1,"b":{},"a":{}})"}) {
    CAPTURE(text);
    const auto refused = parse_strict_json(text);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "The JSON repeats a member name in one object.");
  }
}

TEST_CASE("strict parsing counts objects and arrays alike toward the depth", "[jwt][json]") {
  std::string nested;
  for (int i = 0; i < 4; ++i) nested += i % 2 == 0 ? R"({"a":)" : "[";
  nested += "1";
  for (int i = 3; i >= 0; --i) nested += i % 2 == 0 ? "}" : "]";
  CHECK(parse_strict_json(nested, 4));
  CHECK(parse_strict_json(nested, 3).error().message == "The JSON is nested too deeply.");
  CHECK(parse_strict_json("[1,2", 4).error().message == "The text is not valid JSON.");
}
