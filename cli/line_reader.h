#pragma once
// Lines from a stream with a bound on their length, for input a command reads from stdin.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

#include "common/result.h"

namespace cs::cli {

/// The next line of `in` without its "\n" (nor a "\r" before it); nullopt at the end of input.
/// A line longer than `max_bytes` is an invalid_request error naming `what` ("a line on stdin").
Result<std::optional<std::string>> read_line(std::istream& in, std::size_t max_bytes,
                                             std::string_view what);

}  // namespace cs::cli
