#pragma once
// RFC 3339 timestamps in UTC, the only time format of the HTTP API and the CLI's JSON.

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cs {

using SysSeconds = std::chrono::sys_seconds;

/// Formats `t` as `YYYY-MM-DDTHH:MM:SSZ`.
std::string format_rfc3339(SysSeconds t);

/// Parses an RFC 3339 date-time (section 5.6): `T` or `t` or space separator, optional
/// fractional seconds (truncated), `Z`/`z` or a `+hh:mm`/`-hh:mm` offset; returns the UTC instant.
/// Out-of-range fields (month 13, Feb 30, hour 24, second 61) are an invalid_request error.
/// A leap second (`:60`) is accepted and folded into the next second.
Result<SysSeconds> parse_rfc3339(std::string_view text);

}  // namespace cs
