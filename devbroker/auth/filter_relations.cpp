#include "devbroker/auth/filter_relations.h"

#include <algorithm>
#include <cstddef>

namespace cs::auth {
namespace {

// Walks the '/'-separated levels of a filter; an empty level is a level.
class Levels {
 public:
  explicit Levels(std::string_view filter) : m_filter(filter) { find_end(); }

  std::string_view current() const { return m_filter.substr(m_start, m_end - m_start); }
  bool last() const { return m_end == m_filter.size(); }
  // The levels after the current one; only meaningful when !last().
  std::string_view rest() const { return m_filter.substr(m_end + 1); }
  void next() {
    m_start = m_end + 1;
    find_end();
  }

 private:
  void find_end() { m_end = std::min(m_filter.find('/', m_start), m_filter.size()); }

  std::string_view m_filter;
  std::size_t m_start = 0;
  std::size_t m_end = 0;
};

bool starts_with_wildcard(std::string_view filter) {
  return filter.starts_with('+') || filter.starts_with('#');
}

// True when one filter can only match topics starting with '$' (its first level is such a
// literal) and the other none of them (it starts with a wildcard) [MQTT-4.7.2-1].
bool dollar_apart(std::string_view wildcard_side, std::string_view literal_side) {
  return starts_with_wildcard(wildcard_side) && literal_side.starts_with('$');
}

}  // namespace

bool filter_covers(std::string_view outer, std::string_view inner) {
  if (dollar_apart(outer, inner)) return false;
  Levels o(outer);
  Levels i(inner);
  for (std::size_t level = 0;; ++level) {
    if (o.current() == "#") return true;
    if (i.current() == "#") {
      // `inner` matches every topic below this level, which `outer` can only match with `+/#`
      // here, and also the topic of the levels above (`a/#` matches `a`), which `+/#` misses.
      // There is no such topic at the top, nor when it would be the single empty level "",
      // which is no valid topic name.
      const bool no_parent = level == 0 || (level == 1 && inner.starts_with('/'));
      return no_parent && o.current() == "+" && !o.last() && o.rest() == "#";
    }
    if (o.current() != "+" && (i.current() == "+" || o.current() != i.current())) return false;
    // `outer` may go one level deeper than `inner` only with a final '#' (`a/#` matches `a`).
    if (i.last()) return o.last() || o.rest() == "#";
    if (o.last()) return false;
    o.next();
    i.next();
  }
}

bool filters_overlap(std::string_view a, std::string_view b) {
  if (dollar_apart(a, b) || dollar_apart(b, a)) return false;
  Levels x(a);
  Levels y(b);
  for (std::size_t level = 0;; ++level) {
    if (x.current() == "#" || y.current() == "#") return true;
    if (x.current() != "+" && y.current() != "+" && x.current() != y.current()) return false;
    if (x.last() && y.last()) return true;
    if (x.last() || y.last()) {
      // The only shared topic is the one of the levels so far (`a` for `a` and `a/#`); it is no
      // valid topic name when it would be the single empty level "".
      const bool empty_topic = level == 0 && (a.starts_with('/') || b.starts_with('/'));
      return !empty_topic && (x.last() ? y.rest() : x.rest()) == "#";
    }
    x.next();
    y.next();
  }
}

}  // namespace cs::auth
