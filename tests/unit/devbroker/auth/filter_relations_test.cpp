#include "devbroker/auth/filter_relations.h"

#include <bitset>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "devbroker/mqtt/topic.h"

using cs::auth::filter_covers;
using cs::auth::filters_overlap;

namespace {

struct Relation {
  std::string_view a;
  std::string_view b;
  bool holds;
};

constexpr cs::mqtt::TopicLimits k_limits{1024, 32};

// Every topic name up to `depth` levels made of `levels` (which should hold a level no filter
// under test names, so that '+' and '#' are told apart from literals).
std::vector<std::string> all_topics(const std::vector<std::string>& levels, std::size_t depth) {
  std::vector<std::string> out;
  std::vector<std::string> previous = {""};
  for (std::size_t d = 1; d <= depth; ++d) {
    std::vector<std::string> current;
    for (const std::string& prefix : previous) {
      for (const std::string& level : levels) {
        std::string topic = prefix;
        if (d > 1) topic.push_back('/');
        topic.append(level);
        current.push_back(topic);
      }
    }
    for (const std::string& topic : current)
      if (!cs::mqtt::check_topic_name(topic, k_limits)) out.push_back(topic);
    previous = std::move(current);
  }
  return out;
}

constexpr std::size_t k_max_topics = 8192;
using TopicSet = std::bitset<k_max_topics>;

TopicSet matched_by(const std::string& filter, const std::vector<std::string>& topics) {
  TopicSet set;
  for (std::size_t i = 0; i < topics.size(); ++i)
    if (cs::mqtt::topic_matches(filter, topics[i])) set.set(i);
  return set;
}

// Compares filter_covers and filters_overlap with the sets of topics the filters match.
void cross_check(const std::vector<std::string>& filters, const std::vector<std::string>& topics) {
  REQUIRE(topics.size() <= k_max_topics);
  std::vector<TopicSet> sets;
  sets.reserve(filters.size());
  for (const std::string& filter : filters) sets.push_back(matched_by(filter, topics));
  std::size_t mismatches = 0;
  std::size_t covered = 0;
  std::size_t overlapping = 0;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    for (std::size_t j = 0; j < filters.size(); ++j) {
      const bool covers = (sets[j] & ~sets[i]).none();
      const bool overlaps = (sets[i] & sets[j]).any();
      covered += covers;
      overlapping += overlaps;
      if (filter_covers(filters[i], filters[j]) == covers &&
          filters_overlap(filters[i], filters[j]) == overlaps)
        continue;
      if (++mismatches > 10) continue;  // report a few, not thousands
      INFO("outer " << filters[i] << ", inner " << filters[j] << ": covers " << covers
                    << ", overlaps " << overlaps);
      CHECK(filter_covers(filters[i], filters[j]) == covers);
      CHECK(filters_overlap(filters[i], filters[j]) == overlaps);
    }
  }
  CHECK(mismatches == 0);
  // Not vacuous: both relations hold for some pairs and fail for others.
  CHECK(covered > filters.size());
  CHECK(covered < filters.size() * filters.size());
  CHECK(overlapping > covered);
  CHECK(overlapping < filters.size() * filters.size());
}

}  // namespace

TEST_CASE("filter_covers: an outer filter holds every topic of the inner one", "[acl][filters]") {
  const Relation cases[] = {
      {"a/b", "a/b", true},
      {"a/b", "a/c", false},
      {"a/+", "a/b", true},
      {"a/+", "a/+", true},
      {"a/b", "a/+", false},
      {"a/+", "a/b/c", false},
      {"a/+", "a/#", false},  // a/# also matches a and a/b/c
      {"a/#", "a/#", true},
      {"a/#", "a", true},  // a/# matches its parent level
      {"a/#", "a/b/c", true},
      {"a/#", "a/+/c", true},
      {"a/#", "a/+/#", true},
      {"a", "a/#", false},
      {"a/+/#", "a/#", false},  // a/# matches a, a/+/# does not
      {"a/+/#", "a/b", true},
      {"a/+/#", "a/+", true},
      {"+/+", "a/b", true},
      {"+/+", "+/+", true},
      {"+/+", "+/#", false},
      {"+/#", "#", true},  // '#' has no parent level to miss at the top
      {"+/+/#", "#", false},
      {"+/#", "+/#", true},
      {"/+/#", "/#", true},  // "/#" matches "" (no valid topic), then "/" and below
      {"+/+/#", "/#", true},
      {"+/+/#", "+/#", false},  // "+/#" matches "x"
      {"/#", "/", true},
      {"#", "#", true},
      {"#", "a/+/c/#", true},
      {"+", "#", false},
      {"a/#", "#", false},
      {"+/b", "a/+", false},
      {"a/+", "+/b", false},
      {"a//b", "a/+/b", false},
      {"a/+/b", "a//b", true},  // '+' matches an empty level
      {"/#", "/a", true},
      {"#", "/a", true},
      {"users/alice/#", "users/alice/+/x", true},
      {"users/alice/#", "users/+/x", false},
      {"users/alice/#", "#", false},
      {"users/+/x", "users/alice/#", false},
  };
  for (const auto& c : cases) {
    INFO("outer " << c.a << ", inner " << c.b);
    CHECK(filter_covers(c.a, c.b) == c.holds);
  }
}

TEST_CASE("filter_covers: filters starting with a wildcard hold no $ topic", "[acl][filters]") {
  const Relation cases[] = {
      {"#", "$SYS/x", false},   {"#", "$SYS/#", false},     {"+/#", "$SYS/#", false},
      {"+/x", "$SYS/x", false}, {"+", "$SYS", false},       {"$SYS/#", "$SYS/+/x", true},
      {"$SYS/#", "$SYS", true}, {"$SYS/+", "$SYS/x", true}, {"$SYS/#", "#", false},
      {"$SYS/#", "+/x", false}, {"#", "a/$SYS", true},  // only the first level counts
      {"#", "#", true},         {"+/#", "+/x", true},
  };
  for (const auto& c : cases) {
    INFO("outer " << c.a << ", inner " << c.b);
    CHECK(filter_covers(c.a, c.b) == c.holds);
  }
}

TEST_CASE("filters_overlap: some topic matches both filters", "[acl][filters]") {
  const Relation cases[] = {
      {"a/b", "a/b", true},
      {"a/b", "a/c", false},
      {"a/+", "a/b", true},
      {"a/+", "+/b", true},
      {"a/+", "a/b/c", false},
      {"a/+", "a/#", true},
      {"a", "a/#", true},
      {"a/b", "a/#", true},
      {"a/b/c/d", "a/#", true},
      {"a/+/c", "+/b/#", true},
      {"a/+/c", "+/b/d", false},
      {"#", "a/b", true},
      {"#", "#", true},
      {"+", "+/+", false},
      {"+", "a/#", true},  // both match a
      {"+/+", "a", false},
      {"a//b", "a/+/b", true},
      {"/", "+/+", true},
      {"users/+/x", "users/alice/#", true},
      {"users/+/x", "users/alice/y", false},
      {"secret/#", "#", true},
      {"secret/#", "+/x", true},
      {"secret", "+/x", false},
      {"+", "/#", false},  // the only candidate, "", is no valid topic name
      {"+", "+/#", true},
      {"/", "/#", true},
  };
  for (const auto& c : cases) {
    INFO(c.a << " and " << c.b);
    CHECK(filters_overlap(c.a, c.b) == c.holds);
    CHECK(filters_overlap(c.b, c.a) == c.holds);
  }
}

TEST_CASE("filters_overlap: a wildcard first level never meets a $ topic", "[acl][filters]") {
  const Relation cases[] = {
      {"#", "$SYS/#", false}, {"#", "$SYS", false},           {"+/#", "$SYS/x", false},
      {"+", "$SYS", false},   {"$SYS/#", "$SYS/+", true},     {"$SYS/#", "$other/#", false},
      {"#", "a/$SYS", true},  {"$SYS/+/y", "$SYS/x/+", true},
  };
  for (const auto& c : cases) {
    INFO(c.a << " and " << c.b);
    CHECK(filters_overlap(c.a, c.b) == c.holds);
    CHECK(filters_overlap(c.b, c.a) == c.holds);
  }
}

TEST_CASE("covers and overlaps agree with brute force over every filter of up to 4 levels",
          "[acl][filters]") {
  // Levels of filters: literals (one of them empty, one starting with '$') and wildcards. The
  // topics add `z`, which no filter names, and go one level deeper than any filter.
  const std::vector<std::string> literals = {"a", "$s", ""};
  std::vector<std::string> filters;
  std::vector<std::string> previous = {""};
  for (std::size_t depth = 1; depth <= 4; ++depth) {
    std::vector<std::string> current;
    for (const std::string& prefix : previous) {
      std::vector<std::string> levels = literals;
      levels.push_back("+");
      levels.push_back("#");
      for (const std::string& level : levels) {
        std::string filter = prefix;
        if (depth > 1) filter.push_back('/');
        filter.append(level);
        if (!cs::mqtt::check_topic_filter(filter, k_limits)) filters.push_back(filter);
        if (level != "#") current.push_back(filter);
      }
    }
    previous = std::move(current);
  }
  REQUIRE(filters.size() == 5 - 1 + 4 * 5 + 16 * 5 + 64 * 5);  // "" alone is no filter
  cross_check(filters, all_topics({"a", "$s", "", "z"}, 5));
}

TEST_CASE("covers and overlaps agree with brute force on random deep filters", "[acl][filters]") {
  std::mt19937 rng(20240611);
  const std::vector<std::string> levels = {"a", "b", "$s", "+"};
  std::vector<std::string> filters;
  while (filters.size() < 400) {
    const std::size_t depth = 1 + rng() % 5;
    std::string filter;
    for (std::size_t d = 0; d < depth; ++d) {
      if (d > 0) filter.push_back('/');
      const bool last = d + 1 == depth;
      filter.append(last && rng() % 4 == 0 ? "#" : levels[rng() % levels.size()]);
    }
    filters.push_back(filter);
  }
  cross_check(filters, all_topics({"a", "b", "$s", "z"}, 6));
}
