#include "devbroker/mqtt/topic.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

using cs::mqtt::check_topic_filter;
using cs::mqtt::check_topic_name;
using cs::mqtt::parse_shared_filter;
using cs::mqtt::topic_matches;
using cs::mqtt::TopicLimits;

namespace {

constexpr TopicLimits k_limits{1024, 32};

struct MatchCase {
  std::string_view filter;
  std::string_view name;
  bool matches;
};

struct InvalidCase {
  std::string_view topic;
  std::string_view reason;
};

using namespace std::string_view_literals;

// Check results as text, so that a failure prints the reason instead of an opaque optional.
constexpr std::string_view k_valid = "(valid)";

std::string name_reason(std::string_view name, const TopicLimits& limits = k_limits) {
  return check_topic_name(name, limits).value_or(std::string(k_valid));
}

std::string filter_reason(std::string_view filter, const TopicLimits& limits = k_limits) {
  return check_topic_filter(filter, limits).value_or(std::string(k_valid));
}

}  // namespace

TEST_CASE("the examples of section 4.7 match as the spec says", "[topic]") {
  const MatchCase cases[] = {
      // 4.7.1.2 multi-level wildcard
      {"sport/tennis/player1/#", "sport/tennis/player1", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
      {"sport/tennis/player1/#", "sport/tennis/player2", false},
      {"sport/tennis/player1/#", "sport/tennis", false},
      {"sport/#", "sport", true},
      {"sport/tennis/#", "sport/tennis", true},
      {"#", "sport", true},
      {"#", "sport/tennis/player1", true},
      // 4.7.1.3 single-level wildcard
      {"sport/tennis/+", "sport/tennis/player1", true},
      {"sport/tennis/+", "sport/tennis/player2", true},
      {"sport/tennis/+", "sport/tennis/player1/ranking", false},
      {"sport/+", "sport", false},
      {"sport/+", "sport/", true},
      {"sport/+/player1", "sport/tennis/player1", true},
      {"+/tennis/#", "sport/tennis/player1", true},
      {"+/+", "/finance", true},
      {"/+", "/finance", true},
      {"+", "/finance", false},
      {"+", "sport", true},
      // 4.7.2 topics beginning with $ [MQTT-4.7.2-1]
      {"#", "$SYS/monitor/Clients", false},
      {"+/monitor/Clients", "$SYS/monitor/Clients", false},
      {"$SYS/#", "$SYS/monitor/Clients", true},
      {"$SYS/monitor/+", "$SYS/monitor/Clients", true},
      {"$SYS/#", "$SYS", true},
      {"+", "$SYS", false},
      // 4.7.3 names are case-sensitive and a leading '/' makes a distinct level
      {"ACCOUNTS", "Accounts", false},
      {"ACCOUNTS", "ACCOUNTS", true},
      {"finance", "/finance", false},
      {"/finance", "/finance", true},
      {"sport tennis", "sport tennis", true},
  };
  for (const auto& c : cases) {
    INFO(c.filter << " vs " << c.name);
    CHECK(topic_matches(c.filter, c.name) == c.matches);
  }
}

TEST_CASE("empty levels are real levels", "[topic]") {
  const MatchCase cases[] = {
      {"a//b", "a//b", true},     {"a/+/b", "a//b", true},
      {"a/b", "a//b", false},     {"a//b", "a/b", false},
      {"/", "/", true},           {"+/+", "/", true},
      {"+", "/", false},          {"/#", "/", true},
      {"#", "/", true},           {"/+", "/a", true},
      {"/a", "a", false},         {"a/", "a", false},
      {"a/+", "a/", true},        {"a/#", "a/", true},
      {"a//#", "a/", true},       {"a//#", "a", false},
      {"+/#", "a", true},         {"+/+/#", "a", false},
      {"a/+/#", "a/b/c/d", true}, {"a/+/+", "a/b/c/d", false},
      {"//", "//", true},         {"+/+/+", "//", true},
      {"+//+", "//", true},       {"a/b/c", "a/b", false},
      {"a/b", "a/b/c", false},    {"a/b/#", "a/bc", false},
      {"a/b", "a/bc", false},
  };
  for (const auto& c : cases) {
    INFO(c.filter << " vs " << c.name);
    CHECK(topic_matches(c.filter, c.name) == c.matches);
  }
}

TEST_CASE("topics starting with $ are matched only by filters starting with a literal level",
          "[topic]") {
  CHECK_FALSE(topic_matches("#", "$"));
  CHECK_FALSE(topic_matches("+", "$"));
  CHECK_FALSE(topic_matches("+/#", "$data/x"));
  CHECK(topic_matches("$", "$"));
  CHECK(topic_matches("$data/+", "$data/x"));
  // Only the first character counts: '$' further in is an ordinary character.
  CHECK(topic_matches("#", "a/$SYS"));
  CHECK(topic_matches("a/+", "a/$SYS"));
  CHECK(topic_matches("+/$x", "a/$x"));
  CHECK(topic_matches("#", "a$"));
}

TEST_CASE("valid topic names pass", "[topic]") {
  for (std::string_view name : {"a"sv, "/"sv, "//"sv, "a//b"sv, "/a"sv, "a/"sv, "$SYS/broker"sv,
                                "sport tennis"sv, "caf\xc3\xa9/\xe2\x82\xac"sv, "$share/g/a"sv}) {
    INFO(name);
    CHECK(name_reason(name) == k_valid);
  }
}

TEST_CASE("invalid topic names are refused with the reason", "[topic]") {
  const InvalidCase cases[] = {
      {"", "a topic name must not be empty"},
      {"a\0b"sv, "a topic name must not contain U+0000"},
      {"\0"sv, "a topic name must not contain U+0000"},
      {"+", "a topic name must not contain the wildcard '+'"},
      {"sport/+/player1", "a topic name must not contain the wildcard '+'"},
      {"sport+", "a topic name must not contain the wildcard '+'"},
      {"#", "a topic name must not contain the wildcard '#'"},
      {"sport/#", "a topic name must not contain the wildcard '#'"},
      {"sport#", "a topic name must not contain the wildcard '#'"},
  };
  for (const auto& c : cases) {
    INFO(c.topic);
    CHECK(name_reason(c.topic) == c.reason);
  }
}

TEST_CASE("valid topic filters pass", "[topic]") {
  for (std::string_view filter : {"#"sv,
                                  "+"sv,
                                  "sport/tennis/#"sv,
                                  "+/tennis/#"sv,
                                  "sport/+/player1"sv,
                                  "+/+"sv,
                                  "/+"sv,
                                  "/"sv,
                                  "//"sv,
                                  "a//b"sv,
                                  "+//#"sv,
                                  "$SYS/#"sv,
                                  "$SYS/monitor/+"sv,
                                  "+/monitor/Clients"sv,
                                  "$share"sv,
                                  "$share2/a"sv,
                                  "$sharex"sv,
                                  "a/$share/b"sv,
                                  "$share/group/#"sv,
                                  "$share/group/a/+/b"sv,
                                  "$share/g/$SYS/#"sv,
                                  "$share/g//"sv,
                                  "$share/g/+"sv}) {
    INFO(filter);
    CHECK(filter_reason(filter) == k_valid);
  }
}

TEST_CASE("invalid topic filters are refused with the reason", "[topic]") {
  const InvalidCase cases[] = {
      {"", "a topic filter must not be empty"},
      {"a/\0"sv, "a topic filter must not contain U+0000"},
      {"$share/g\0/a"sv, "a topic filter must not contain U+0000"},
      {"sport/tennis#", "the wildcard '#' must be a whole level of a topic filter"},
      {"#a", "the wildcard '#' must be a whole level of a topic filter"},
      {"##", "the wildcard '#' must be a whole level of a topic filter"},
      {"sport/tennis/#/ranking", "the wildcard '#' must be the last level of a topic filter"},
      {"#/", "the wildcard '#' must be the last level of a topic filter"},
      {"#/#", "the wildcard '#' must be the last level of a topic filter"},
      {"sport+", "the wildcard '+' must be a whole level of a topic filter"},
      {"+sport", "the wildcard '+' must be a whole level of a topic filter"},
      {"a/++/b", "the wildcard '+' must be a whole level of a topic filter"},
      {"a/+#", "the wildcard '#' must be a whole level of a topic filter"},
      // 5.0 section 4.8.2, [MQTT-4.8.2-1] and [MQTT-4.8.2-2]
      {"$share/", "a shared subscription must have the form $share/{group}/{filter}"},
      {"$share/group", "a shared subscription must have the form $share/{group}/{filter}"},
      {"$share//a", "a shared subscription's group name must not be empty"},
      {"$share/g+/a", "a shared subscription's group name must not contain '+' or '#'"},
      {"$share/+/a", "a shared subscription's group name must not contain '+' or '#'"},
      {"$share/#/a", "a shared subscription's group name must not contain '+' or '#'"},
      {"$share/g/", "a shared subscription must have a topic filter after its group name"},
      {"$share/g/a/#/b", "the wildcard '#' must be the last level of a topic filter"},
      {"$share/g/a+", "the wildcard '+' must be a whole level of a topic filter"},
  };
  for (const auto& c : cases) {
    INFO(c.topic);
    CHECK(filter_reason(c.topic) == c.reason);
  }
}

TEST_CASE("topic length and depth limits are enforced", "[topic]") {
  const TopicLimits limits{10, 3};
  CHECK(name_reason("0123456789", limits) == k_valid);
  CHECK(name_reason("0123456789a", limits) == "a topic name must be at most 10 bytes");
  CHECK(filter_reason("0123456789", limits) == k_valid);
  CHECK(filter_reason("0123456789a", limits) == "a topic filter must be at most 10 bytes");

  CHECK(name_reason("a/b/c", limits) == k_valid);
  CHECK(name_reason("a/b/c/d", limits) == "a topic name must have at most 3 levels");
  CHECK(name_reason("///", limits) == "a topic name must have at most 3 levels");
  CHECK(filter_reason("a/+/#", limits) == k_valid);
  CHECK(filter_reason("a/+/c/#", limits) == "a topic filter must have at most 3 levels");
  CHECK(filter_reason("//", limits) == k_valid);
  CHECK(filter_reason("///", limits) == "a topic filter must have at most 3 levels");
}

TEST_CASE("a shared filter's length counts the prefix, its depth only the matched filter",
          "[topic]") {
  const TopicLimits limits{16, 3};
  CHECK(filter_reason("$share/g/a/b/c", limits) == k_valid);
  CHECK(filter_reason("$share/g/a/b/c/d", limits) == "a topic filter must have at most 3 levels");
  CHECK(filter_reason("$share/gr/a/b/cd", limits) == k_valid);
  CHECK(filter_reason("$share/gro/a/b/cd", limits) == "a topic filter must be at most 16 bytes");
}

TEST_CASE("parse_shared_filter splits $share/{group}/{filter}", "[topic]") {
  const auto shared = parse_shared_filter("$share/consumers/sensors/+/temp");
  REQUIRE(shared);
  CHECK(shared->group == "consumers");
  CHECK(shared->filter == "sensors/+/temp");

  const auto nested = parse_shared_filter("$share/g/$share/h/a");
  REQUIRE(nested);
  CHECK(nested->group == "g");
  CHECK(nested->filter == "$share/h/a");

  const auto empty_parts = parse_shared_filter("$share//");
  REQUIRE(empty_parts);
  CHECK(empty_parts->group.empty());
  CHECK(empty_parts->filter.empty());

  CHECK_FALSE(parse_shared_filter("sensors/+/temp"));
  CHECK_FALSE(parse_shared_filter("$share"));
  CHECK_FALSE(parse_shared_filter("$share/group"));
  CHECK_FALSE(parse_shared_filter("$SHARE/g/a"));
  CHECK_FALSE(parse_shared_filter("a/$share/g/a"));
}
