#pragma once
// MQTT topic names and topic filters (3.1.1 and 5.0, section 4.7; shared subscriptions, 5.0
// section 4.8.2): validation, matching, and splitting `$share/{group}/{filter}`. Pure functions.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cs::mqtt {

/// The broker's bounds on a topic; it fills them from devbroker::Limits.
struct TopicLimits {
  std::size_t max_length;  // bytes of the whole name or filter, as sent
  std::size_t max_levels;  // '/'-separated levels
};

/// Returns nullopt when `name` is a valid topic name under `limits`, else a sentence saying why:
/// it must be non-empty, free of U+0000 and of the wildcards `+` and `#`, and within the limits.
/// UTF-8 well-formedness is the codec's check.
std::optional<std::string> check_topic_name(std::string_view name, const TopicLimits& limits);

/// Returns nullopt when `filter` is a valid topic filter under `limits`, else a sentence saying
/// why: it must be non-empty and free of U+0000, `#` may only be the whole last level and `+`
/// only a whole level. A filter starting with `$share/` must be `$share/{group}/{filter}` with a
/// non-empty group free of `+` and `#` and a non-empty valid filter. `limits.max_length` bounds
/// the whole string; `limits.max_levels` bounds the levels of the filter that is matched (after
/// `$share/{group}/`).
std::optional<std::string> check_topic_filter(std::string_view filter, const TopicLimits& limits);

/// True when the valid topic filter `filter` matches the valid topic name `name`: `+` matches
/// one level, `#` its parent level and every level below, empty levels count as levels, and a
/// name starting with `$` is not matched by a filter starting with a wildcard [MQTT-4.7.2-1].
/// `filter` must not carry a `$share/` prefix.
bool topic_matches(std::string_view filter, std::string_view name);

/// The two parts of a shared subscription's filter; both view the string given to
/// parse_shared_filter.
struct SharedFilter {
  std::string_view group;
  std::string_view filter;
};

/// Splits `filter` into group and filter when it starts with `$share/` and has a `/` after the
/// group, else returns nullopt; the parts are not validated (check_topic_filter does that).
std::optional<SharedFilter> parse_shared_filter(std::string_view filter);

}  // namespace cs::mqtt
