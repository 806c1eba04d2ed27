#include "devbroker/mqtt/topic.h"

#include <algorithm>

namespace cs::mqtt {
namespace {

constexpr std::string_view k_share_prefix = "$share/";

std::string too_long(std::string_view what, std::size_t max_length) {
  std::string out(what);
  out.append(" must be at most ").append(std::to_string(max_length)).append(" bytes");
  return out;
}

std::string too_deep(std::string_view what, std::size_t max_levels) {
  std::string out(what);
  out.append(" must have at most ").append(std::to_string(max_levels)).append(" levels");
  return out;
}

std::size_t level_count(std::string_view topic) {
  return static_cast<std::size_t>(std::count(topic.begin(), topic.end(), '/')) + 1;
}

// Checks the wildcards and the depth of a filter without its `$share/{group}/` prefix.
std::optional<std::string> check_filter_levels(std::string_view filter, const TopicLimits& limits) {
  if (level_count(filter) > limits.max_levels) return too_deep("a topic filter", limits.max_levels);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(filter.find('/', start), filter.size());
    const std::string_view level = filter.substr(start, end - start);
    if (level.find('#') != std::string_view::npos) {
      if (level != "#") return "the wildcard '#' must be a whole level of a topic filter";
      if (end != filter.size()) return "the wildcard '#' must be the last level of a topic filter";
    }
    if (level.find('+') != std::string_view::npos && level != "+")
      return "the wildcard '+' must be a whole level of a topic filter";
    if (end == filter.size()) return std::nullopt;
    start = end + 1;
  }
}

std::optional<std::string> check_shared_filter(std::string_view filter, const TopicLimits& limits) {
  const auto shared = parse_shared_filter(filter);
  if (!shared) return "a shared subscription must have the form $share/{group}/{filter}";
  if (shared->group.empty()) return "a shared subscription's group name must not be empty";
  if (shared->group.find_first_of("+#") != std::string_view::npos)
    return "a shared subscription's group name must not contain '+' or '#'";
  if (shared->filter.empty())
    return "a shared subscription must have a topic filter after its group name";
  return check_filter_levels(shared->filter, limits);
}

}  // namespace

std::optional<std::string> check_topic_name(std::string_view name, const TopicLimits& limits) {
  if (name.empty()) return "a topic name must not be empty";
  if (name.size() > limits.max_length) return too_long("a topic name", limits.max_length);
  if (name.find('\0') != std::string_view::npos) return "a topic name must not contain U+0000";
  if (name.find('+') != std::string_view::npos)
    return "a topic name must not contain the wildcard '+'";
  if (name.find('#') != std::string_view::npos)
    return "a topic name must not contain the wildcard '#'";
  if (level_count(name) > limits.max_levels) return too_deep("a topic name", limits.max_levels);
  return std::nullopt;
}

std::optional<std::string> check_topic_filter(std::string_view filter, const TopicLimits& limits) {
  if (filter.empty()) return "a topic filter must not be empty";
  if (filter.size() > limits.max_length) return too_long("a topic filter", limits.max_length);
  if (filter.find('\0') != std::string_view::npos) return "a topic filter must not contain U+0000";
  if (filter.starts_with(k_share_prefix)) return check_shared_filter(filter, limits);
  return check_filter_levels(filter, limits);
}

bool topic_matches(std::string_view filter, std::string_view name) {
  if (name.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#'))) return false;
  std::size_t f = 0;
  std::size_t n = 0;
  while (true) {
    const std::size_t f_end = std::min(filter.find('/', f), filter.size());
    const std::string_view f_level = filter.substr(f, f_end - f);
    if (f_level == "#") return true;
    const std::size_t n_end = std::min(name.find('/', n), name.size());
    if (f_level != "+" && f_level != name.substr(n, n_end - n)) return false;
    const bool filter_done = f_end == filter.size();
    const bool name_done = n_end == name.size();
    // `a/#` also matches `a`: the name may end one level before a final `#`.
    if (name_done) return filter_done || filter.substr(f_end + 1) == "#";
    if (filter_done) return false;
    f = f_end + 1;
    n = n_end + 1;
  }
}

std::optional<SharedFilter> parse_shared_filter(std::string_view filter) {
  if (!filter.starts_with(k_share_prefix)) return std::nullopt;
  const std::string_view rest = filter.substr(k_share_prefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return SharedFilter{rest.substr(0, slash), rest.substr(slash + 1)};
}

}  // namespace cs::mqtt
