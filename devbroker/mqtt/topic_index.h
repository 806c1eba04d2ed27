#pragma once
// The subscription index: entries (a key, such as a session, and its value, such as the
// subscription's options) stored under topic filters in a trie with one node per filter level.
// Matching a topic walks only the branches the topic can reach, so its cost does not grow with
// the number of unrelated subscriptions.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace cs::mqtt {

/// Filters given to the index are valid (check_topic_filter) and carry no `$share/{group}/`
/// prefix. Single-threaded. Addresses of stored values stay put until their entry is erased, but
/// `visit` callbacks of match() must not insert or erase: collect first, then change the index.
/// Move-only; a moved-from index is empty.
template <class Key, class Value, class KeyHash = std::hash<Key>>
class TopicIndex {
 public:
  TopicIndex() = default;
  TopicIndex(const TopicIndex&) = delete;
  TopicIndex& operator=(const TopicIndex&) = delete;
  TopicIndex(TopicIndex&& other)
      : m_root(std::exchange(other.m_root, Node{})),
        m_size(std::exchange(other.m_size, 0)),
        m_nodes(std::exchange(other.m_nodes, 0)) {}
  TopicIndex& operator=(TopicIndex&& other) {
    m_root = std::exchange(other.m_root, Node{});
    m_size = std::exchange(other.m_size, 0);
    m_nodes = std::exchange(other.m_nodes, 0);
    return *this;
  }

  /// Adds `key`'s entry under `filter`, or replaces it; returns true when it replaced one.
  bool insert(std::string_view filter, const Key& key, Value value) {
    const bool added = make_entries(filter).insert_or_assign(key, std::move(value)).second;
    if (added) ++m_size;
    return !added;
  }

  /// Removes `key`'s entry under `filter`; returns true when there was one. Prunes empty nodes.
  bool erase(std::string_view filter, const Key& key) {
    const bool removed = erase_below(m_root, filter, 0, key);
    if (removed) --m_size;
    return removed;
  }

  /// Calls visit(const Key&, const Value&) once per (filter, key) entry whose filter matches
  /// `topic`, in no particular order; allocates nothing.
  template <class Visit>
  void match(std::string_view topic, Visit&& visit) const {
    // [MQTT-4.7.2-1]: a topic starting with '$' is not matched by a first level '+' or '#'.
    match_below(m_root, topic, 0, !topic.starts_with('$'), visit);
  }

  /// Returns the entry of `key` under `filter`, or nullptr.
  const Value* find(std::string_view filter, const Key& key) const {
    const Entries* entries = find_entries(filter);
    if (!entries) return nullptr;
    const auto it = entries->find(key);
    return it == entries->end() ? nullptr : &it->second;
  }

  /// The number of (filter, key) entries.
  std::size_t size() const { return m_size; }

  /// The number of trie nodes below the root; erase() keeps it to the nodes live filters need.
  std::size_t node_count() const { return m_nodes; }

 private:
  using Entries = std::unordered_map<Key, Value, KeyHash>;

  // Hashes std::string keys and std::string_view probes alike, so lookups do not allocate.
  struct LevelHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view level) const noexcept {
      return std::hash<std::string_view>{}(level);
    }
  };

  struct Node {
    Entries entries;               // filters ending at this node
    Entries multi;                 // filters ending at this node's '#' child (which has no node)
    std::unique_ptr<Node> single;  // the '+' child
    std::unordered_map<std::string, std::unique_ptr<Node>, LevelHash, std::equal_to<>> children;

    bool empty() const { return entries.empty() && multi.empty() && !single && children.empty(); }
  };

  struct Level {
    std::string_view text;
    std::size_t end;  // index of the '/' after the level, or the topic's size
  };

  static Level level_at(std::string_view topic, std::size_t start) {
    const std::size_t end = std::min(topic.find('/', start), topic.size());
    return {topic.substr(start, end - start), end};
  }

  template <class Visit>
  static void visit_all(const Entries& entries, Visit& visit) {
    for (const auto& [key, value] : entries) visit(key, value);
  }

  // `node` was reached by the levels before `start`; `start` past the end means none are left.
  template <class Visit>
  static void match_at(const Node& node, std::string_view topic, std::size_t start, Visit& visit) {
    if (start <= topic.size()) {
      match_below(node, topic, start, true, visit);
      return;
    }
    visit_all(node.entries, visit);
    visit_all(node.multi, visit);  // `a/#` matches `a`
  }

  // Matches the level at `start` and those after it against the children of `node`.
  template <class Visit>
  static void match_below(const Node& node, std::string_view topic, std::size_t start,
                          bool wildcards, Visit& visit) {
    const Level level = level_at(topic, start);
    if (const auto it = node.children.find(level.text); it != node.children.end())
      match_at(*it->second, topic, level.end + 1, visit);
    if (!wildcards) return;
    visit_all(node.multi, visit);
    if (node.single) match_at(*node.single, topic, level.end + 1, visit);
  }

  // The entries of `filter`, creating the nodes on its way.
  Entries& make_entries(std::string_view filter) {
    Node* node = &m_root;
    for (std::size_t start = 0;;) {
      const Level level = level_at(filter, start);
      if (level.text == "#") return node->multi;
      node = &make_child(*node, level.text);
      if (level.end == filter.size()) return node->entries;
      start = level.end + 1;
    }
  }

  Node& make_child(Node& node, std::string_view level) {
    if (level == "+") {
      if (!node.single) {
        node.single = std::make_unique<Node>();
        ++m_nodes;
      }
      return *node.single;
    }
    auto it = node.children.find(level);
    if (it == node.children.end()) {
      it = node.children.emplace(std::string(level), std::make_unique<Node>()).first;
      ++m_nodes;
    }
    return *it->second;
  }

  // The entries of `filter`, or nullptr when no node holds them.
  const Entries* find_entries(std::string_view filter) const {
    const Node* node = &m_root;
    for (std::size_t start = 0;;) {
      const Level level = level_at(filter, start);
      if (level.text == "#") return &node->multi;
      node = find_child(*node, level.text);
      if (!node) return nullptr;
      if (level.end == filter.size()) return &node->entries;
      start = level.end + 1;
    }
  }

  static const Node* find_child(const Node& node, std::string_view level) {
    if (level == "+") return node.single.get();
    const auto it = node.children.find(level);
    return it == node.children.end() ? nullptr : it->second.get();
  }

  // Removes `key` under the levels of `filter` from `start` on, below `node`, and drops the
  // child it went through when that child is left empty.
  bool erase_below(Node& node, std::string_view filter, std::size_t start, const Key& key) {
    const Level level = level_at(filter, start);
    if (level.text == "#") return node.multi.erase(key) > 0;
    if (level.text == "+") {
      if (!node.single || !erase_in(*node.single, filter, level.end, key)) return false;
      if (node.single->empty()) {
        node.single.reset();
        --m_nodes;
      }
      return true;
    }
    const auto it = node.children.find(level.text);
    if (it == node.children.end() || !erase_in(*it->second, filter, level.end, key)) return false;
    if (it->second->empty()) {
      node.children.erase(it);
      --m_nodes;
    }
    return true;
  }

  bool erase_in(Node& child, std::string_view filter, std::size_t level_end, const Key& key) {
    if (level_end == filter.size()) return child.entries.erase(key) > 0;
    return erase_below(child, filter, level_end + 1, key);
  }

  Node m_root;
  std::size_t m_size = 0;
  std::size_t m_nodes = 0;
};

}  // namespace cs::mqtt
