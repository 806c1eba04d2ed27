#include "devbroker/api/body.h"

#include <catch2/catch.hpp>

namespace cs::api {

TEST_CASE("JSON bodies must be objects, an empty body is an empty object", "[api][body]") {
  CHECK(parse_json_object("")->empty());
  CHECK(parse_json_object("  \n")->empty());
  CHECK((*parse_json_object(R"({"a":1})"))["a"] == 1);
  CHECK(parse_json_object("[]").error().message == "the request body must be a JSON object");
  CHECK(parse_json_object("\"x\"").error().message == "the request body must be a JSON object");
  CHECK(parse_json_object("{").error().message == "the request body is not valid JSON");
  CHECK(parse_json_object("{} {}").error().code == ErrorCode::invalid_request);
}

TEST_CASE("fields: every wrong type or range names the field", "[api][body]") {
  const auto j = nlohmann::json::parse(R"({
    "s": "text", "empty": "", "n": 5, "big": 18446744073709551615, "neg": -3, "f": 1.5,
    "b": true, "nil": null, "list": ["a", "b"], "mixed": ["a", 1], "obj": {"k": 1}
  })");
  const Fields fields(j);
  CHECK(*fields.required_string("s") == "text");
  CHECK(fields.required_string("missing").error().message == "\"missing\" is required");
  CHECK(fields.required_string("nil").error().message == "\"nil\" is required");
  CHECK(fields.required_string("n").error().message == "\"n\" must be a string");
  CHECK(fields.required_string("empty").error().message == "\"empty\" must not be empty");
  CHECK(fields.required_string("s", 3).error().message == "\"s\" is longer than 3 bytes");
  CHECK_FALSE(fields.optional_string("nil")->has_value());

  CHECK(**fields.optional_int("n", 0, 10) == 5);
  CHECK(fields.optional_int("n", 6, 10).error().message == "\"n\" must be between 6 and 10");
  CHECK(fields.optional_int("big", 0, 100).error().code == ErrorCode::invalid_request);
  CHECK(fields.optional_int("neg", 0, 100).error().code == ErrorCode::invalid_request);
  CHECK(fields.optional_int("f", 0, 100).error().message == "\"f\" must be an integer");
  CHECK(fields.optional_int("s", 0, 100).error().message == "\"s\" must be an integer");
  CHECK_FALSE(fields.optional_int("missing", 0, 1)->has_value());

  CHECK(**fields.optional_bool("b") == true);
  CHECK(fields.optional_bool("n").error().message == "\"n\" must be true or false");

  CHECK(**fields.optional_enum("s", {"text", "other"}) == "text");
  CHECK(fields.optional_enum("s", {"pub", "sub"}).error().message ==
        "\"s\" must be one of \"pub\", \"sub\"");

  CHECK(*fields.string_list("list", 5) == std::vector<std::string>{"a", "b"});
  CHECK(fields.string_list("list", 1).error().message == "\"list\" has more than 1 items");
  CHECK(fields.string_list("mixed", 5).error().message == "\"mixed\" must be an array of strings");
  CHECK(fields.string_list("s", 5).error().code == ErrorCode::invalid_request);
  CHECK(fields.string_list("missing", 5)->empty());

  CHECK((**fields.optional_object("obj"))["k"] == 1);
  CHECK(fields.optional_object("list").error().message == "\"list\" must be an object");
  CHECK(fields.raw("f")->get<double>() == 1.5);
  CHECK_FALSE(fields.raw("nil").has_value());
}

TEST_CASE("form bodies decode escapes and refuse repeats and broken escapes", "[api][body]") {
  auto form = parse_form("grant_type=authorization_code&code=a%2Bb+c&redirect_uri=http%3A%2F%2Fx");
  REQUIRE(form);
  CHECK(form->at("grant_type") == "authorization_code");
  CHECK(form->at("code") == "a+b c");
  CHECK(form->at("redirect_uri") == "http://x");
  CHECK(parse_form("")->empty());
  CHECK(parse_form("a=1&&b=")->at("b").empty());
  CHECK(parse_form("a=1&a=2").error().message == "a form field is repeated");
  CHECK(parse_form("a=%2").error().message == "the form body has a broken %-escape");
  CHECK(parse_form("a=%zz").error().code == ErrorCode::invalid_request);
  CHECK(parse_form("a=%").error().code == ErrorCode::invalid_request);
}

}  // namespace cs::api
