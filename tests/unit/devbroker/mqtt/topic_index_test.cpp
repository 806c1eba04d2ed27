#include "devbroker/mqtt/topic_index.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "devbroker/mqtt/topic.h"

using cs::mqtt::topic_matches;
using cs::mqtt::TopicIndex;

namespace {

// Values are the filter they were stored under, so a visit names its (filter, key) entry.
using Index = TopicIndex<int, std::string>;
using Visited = std::vector<std::pair<int, std::string>>;

constexpr cs::mqtt::TopicLimits k_limits{1024, 32};

Visited collect(const Index& index, std::string_view topic) {
  Visited out;
  index.match(topic,
              [&](const int& key, const std::string& filter) { out.emplace_back(key, filter); });
  std::sort(out.begin(), out.end());
  return out;
}

void add(Index& index, std::string_view filter, int key) {
  index.insert(filter, key, std::string(filter));
}

template <class T>
std::vector<T> sorted(std::vector<T> items) {
  std::sort(items.begin(), items.end());
  return items;
}

std::string cat(std::string_view a, int i, std::string_view b) {
  std::string out(a);
  out.append(std::to_string(i)).append(b);
  return out;
}

}  // namespace

TEST_CASE("insert adds entries and replaces a key's entry under the same filter", "[topic_index]") {
  TopicIndex<int, int> index;
  CHECK(index.size() == 0);
  CHECK(index.find("a/b", 1) == nullptr);

  CHECK_FALSE(index.insert("a/b", 1, 10));
  CHECK_FALSE(index.insert("a/b", 2, 20));
  CHECK_FALSE(index.insert("a/+", 1, 30));
  CHECK_FALSE(index.insert("a/#", 1, 40));
  CHECK(index.size() == 4);
  REQUIRE(index.find("a/b", 1) != nullptr);
  CHECK(*index.find("a/b", 1) == 10);
  CHECK(*index.find("a/+", 1) == 30);
  CHECK(*index.find("a/#", 1) == 40);
  CHECK(index.find("a/#", 2) == nullptr);
  CHECK(index.find("a", 1) == nullptr);
  CHECK(index.find("a/b/c", 1) == nullptr);
  CHECK(index.find("#", 1) == nullptr);

  const int* before = index.find("a/b", 1);
  CHECK(index.insert("a/b", 1, 11));
  CHECK(index.size() == 4);
  CHECK(index.find("a/b", 1) == before);  // replaced in place
  CHECK(*before == 11);
}

TEST_CASE("erase removes one entry and prunes nodes no filter needs", "[topic_index]") {
  Index index;
  add(index, "a/b/c", 1);
  add(index, "a/b/c", 2);
  add(index, "a/+/c", 1);
  add(index, "a/b/#", 1);
  add(index, "a", 3);
  CHECK(index.size() == 5);
  CHECK(index.node_count() == 5);  // a, a/b, a/b/c, a/+, a/+/c

  CHECK_FALSE(index.erase("a/b/c", 9));
  CHECK_FALSE(index.erase("a/b/c/d", 1));
  CHECK_FALSE(index.erase("x/#", 1));
  CHECK_FALSE(index.erase("+", 1));
  CHECK(index.size() == 5);

  CHECK(index.erase("a/b/c", 1));
  CHECK_FALSE(index.erase("a/b/c", 1));
  CHECK(index.node_count() == 5);  // key 2 still needs a/b/c
  CHECK(index.erase("a/b/c", 2));
  CHECK(index.node_count() == 4);  // a/b stays for a/b/#
  CHECK(index.erase("a/b/#", 1));
  CHECK(index.node_count() == 3);
  CHECK(index.erase("a/+/c", 1));
  CHECK(index.node_count() == 1);  // a stays for its own entry
  CHECK(collect(index, "a") == Visited{{3, "a"}});
  CHECK(index.erase("a", 3));
  CHECK(index.node_count() == 0);
  CHECK(index.size() == 0);
  CHECK(collect(index, "a/b/c").empty());
}

TEST_CASE("root-level wildcards are stored and erased", "[topic_index]") {
  Index index;
  add(index, "#", 1);
  add(index, "+", 2);
  CHECK(index.node_count() == 1);  // '+'; '#' needs no node
  CHECK(collect(index, "a") == Visited{{1, "#"}, {2, "+"}});
  CHECK(collect(index, "a/b") == Visited{{1, "#"}});
  CHECK(index.erase("#", 1));
  CHECK(index.erase("+", 2));
  CHECK(index.node_count() == 0);
  CHECK(collect(index, "a").empty());
}

TEST_CASE("a key under several matching filters is visited once per filter", "[topic_index]") {
  Index index;
  add(index, "sport/tennis/player1", 1);
  add(index, "sport/tennis/+", 1);
  add(index, "sport/#", 1);
  add(index, "#", 1);
  add(index, "sport/+/player2", 1);
  add(index, "sport/tennis/+", 2);
  CHECK(collect(index, "sport/tennis/player1") == sorted(Visited{{1, "sport/tennis/player1"},
                                                                 {1, "sport/tennis/+"},
                                                                 {1, "sport/#"},
                                                                 {1, "#"},
                                                                 {2, "sport/tennis/+"}}));
  CHECK(collect(index, "sport") == sorted(Visited{{1, "sport/#"}, {1, "#"}}));
}

TEST_CASE("the index honours the spec's matching examples", "[topic_index]") {
  Index index;
  int key = 0;
  for (std::string_view filter :
       {"sport/tennis/player1/#", "sport/+", "+/+", "/+", "+", "#", "$SYS/#", "+/monitor/Clients",
        "$SYS/monitor/+", "a//b", "a/+/b", "/", "a/", "a//#"}) {
    add(index, filter, key++);
  }
  const auto filters_matching = [&](std::string_view topic) {
    std::vector<std::string> out;
    for (const auto& entry : collect(index, topic)) out.push_back(entry.second);
    return sorted(out);
  };
  using Filters = std::vector<std::string>;
  CHECK(filters_matching("sport/tennis/player1") == sorted(Filters{"#", "sport/tennis/player1/#"}));
  CHECK(filters_matching("sport/tennis/player1/score/wimbledon") ==
        Filters{"#", "sport/tennis/player1/#"});
  CHECK(filters_matching("sport") == sorted(Filters{"#", "+"}));
  CHECK(filters_matching("sport/") == sorted(Filters{"#", "+/+", "sport/+"}));
  CHECK(filters_matching("/finance") == sorted(Filters{"#", "+/+", "/+"}));
  CHECK(filters_matching("$SYS/monitor/Clients") == sorted(Filters{"$SYS/#", "$SYS/monitor/+"}));
  CHECK(filters_matching("$SYS") == sorted(Filters{"$SYS/#"}));
  CHECK(filters_matching("$other/x") == sorted(Filters{}));
  CHECK(filters_matching("x/monitor/Clients") == sorted(Filters{"#", "+/monitor/Clients"}));
  CHECK(filters_matching("a//b") == sorted(Filters{"#", "a//#", "a//b", "a/+/b"}));
  CHECK(filters_matching("/") == sorted(Filters{"#", "+/+", "/", "/+"}));
  CHECK(filters_matching("a/") == sorted(Filters{"#", "+/+", "a/", "a//#"}));
}

TEST_CASE("thousands of unrelated subscriptions do not disturb a match", "[topic_index]") {
  Index index;
  for (int i = 0; i < 5000; ++i) {
    add(index, cat("tenant", i, "/devices/+/status"), i);
    add(index, cat("fleet/", i, "/#"), i);
  }
  add(index, "tenant42/devices/+/status", 99999);
  CHECK(index.size() == 10001);
  CHECK(collect(index, "tenant42/devices/d7/status") ==
        Visited{{42, "tenant42/devices/+/status"}, {99999, "tenant42/devices/+/status"}});
  CHECK(collect(index, "fleet/4999") == Visited{{4999, "fleet/4999/#"}});
  CHECK(collect(index, "unknown/devices/d7/status").empty());

  for (int i = 0; i < 5000; ++i) {
    CHECK(index.erase(cat("tenant", i, "/devices/+/status"), i));
    CHECK(index.erase(cat("fleet/", i, "/#"), i));
  }
  CHECK(index.size() == 1);
  CHECK(index.node_count() == 4);
}

TEST_CASE("stored values keep their address while other entries come and go", "[topic_index]") {
  TopicIndex<int, std::unique_ptr<int>> index;
  index.insert("a/b", 0, std::make_unique<int>(7));
  const std::unique_ptr<int>* kept = index.find("a/b", 0);
  REQUIRE(kept != nullptr);
  for (int i = 1; i < 2000; ++i) {
    index.insert("a/b", i, std::make_unique<int>(i));
    index.insert(cat("a/", i, ""), i, std::make_unique<int>(i));
  }
  for (int i = 1; i < 2000; i += 2) index.erase("a/b", i);
  CHECK(index.find("a/b", 0) == kept);
  CHECK(**kept == 7);
}

TEST_CASE("a moved index takes every entry and leaves an empty one behind", "[topic_index]") {
  Index from;
  add(from, "a/+", 1);
  add(from, "#", 2);
  Index to(std::move(from));
  CHECK(to.size() == 2);
  CHECK(to.node_count() == 2);
  CHECK(collect(to, "a/b") == sorted(Visited{{1, "a/+"}, {2, "#"}}));
  CHECK(from.size() == 0);  // the moved-from state is part of the contract
  CHECK(from.node_count() == 0);
  CHECK(collect(from, "a/b").empty());

  add(from, "x", 3);
  to = std::move(from);
  CHECK(to.size() == 1);
  CHECK(collect(to, "x") == Visited{{3, "x"}});
  CHECK(collect(to, "a/b").empty());
}

TEST_CASE("the index accepts any hashable key", "[topic_index]") {
  struct Session {
    std::string client_id;
    bool operator==(const Session&) const = default;
  };
  struct SessionHash {
    std::size_t operator()(const Session& s) const { return std::hash<std::string>{}(s.client_id); }
  };
  TopicIndex<Session, int, SessionHash> index;
  index.insert("a/+", Session{"c1"}, 1);
  index.insert("a/+", Session{"c2"}, 2);
  std::vector<std::string> visited;
  index.match("a/x", [&](const Session& s, const int&) { visited.push_back(s.client_id); });
  std::sort(visited.begin(), visited.end());
  CHECK(visited == std::vector<std::string>{"c1", "c2"});
}

TEST_CASE("match visits exactly the entries whose filter matches, against topic_matches",
          "[topic_index]") {
  std::mt19937 rng(20240611);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const std::string_view words[] = {"a", "b", "c", "", "$SYS", "$x"};
  // Filters and names of one to four levels over a few words, empty and '$' levels included.
  const auto random_topic = [&](bool wildcards) {
    std::vector<std::string_view> levels(1 + pick(4));
    for (auto& level : levels) level = wildcards && pick(4) == 0 ? "+" : words[pick(6)];
    if (wildcards && pick(4) == 0) levels.back() = "#";
    std::string topic(levels.front());
    for (std::size_t i = 1; i < levels.size(); ++i) topic.append("/").append(levels[i]);
    return topic.empty() ? std::string("/") : topic;  // a topic has at least one character
  };

  Index index;
  Visited entries;  // (key, filter), as stored
  const auto store = [&](const std::string& filter, int key) {
    if (index.find(filter, key) == nullptr) entries.emplace_back(key, filter);
    add(index, filter, key);
  };
  for (int i = 0; i < 400; ++i) {
    const std::string filter = random_topic(true);
    INFO(filter);
    REQUIRE_FALSE(cs::mqtt::check_topic_filter(filter, k_limits));
    store(filter, pick(20));
  }
  // Erase a third, so that pruning is exercised before matching.
  std::shuffle(entries.begin(), entries.end(), rng);
  const std::size_t keep = entries.size() * 2 / 3;
  for (std::size_t i = keep; i < entries.size(); ++i)
    REQUIRE(index.erase(entries[i].second, entries[i].first));
  entries.resize(keep);
  REQUIRE(index.size() == entries.size());

  std::size_t visits = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string topic = random_topic(false);
    INFO(topic);
    REQUIRE_FALSE(cs::mqtt::check_topic_name(topic, k_limits));
    Visited expected;
    for (const auto& [key, filter] : entries) {
      if (topic_matches(filter, topic)) expected.emplace_back(key, filter);
    }
    std::sort(expected.begin(), expected.end());
    REQUIRE(collect(index, topic) == expected);
    visits += expected.size();
  }
  CHECK(visits > 3000);  // more than one match per topic on average, not mostly misses

  for (const auto& [key, filter] : entries) REQUIRE(index.erase(filter, key));
  CHECK(index.size() == 0);
  CHECK(index.node_count() == 0);
}
