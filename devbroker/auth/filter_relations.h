#pragma once
// How two MQTT topic filters relate as sets of topic names: whether one holds every topic the
// other matches (an allow rule or a scope grants a subscription only then), and whether they
// share a topic (a deny rule refuses a subscription then). Both follow mqtt::topic_matches
// exactly, including [MQTT-4.7.2-1]: a filter starting with a wildcard matches no topic starting
// with `$`, so `#` neither covers nor overlaps `$SYS/#`.

#include <string_view>

namespace cs::auth {

/// True when every valid topic name that `inner` matches is matched by `outer`; both are valid
/// topic filters without a `$share/` prefix (e.g. `users/alice/#` covers `users/alice/+/x` but
/// neither `users/+/x` nor `#`).
bool filter_covers(std::string_view outer, std::string_view inner);

/// True when some valid topic name is matched by both `a` and `b`; both are valid topic filters
/// without a `$share/` prefix (e.g. `users/+/x` overlaps `users/alice/#`; `a/+` does not overlap
/// `a/b/c`).
bool filters_overlap(std::string_view a, std::string_view b);

}  // namespace cs::auth
