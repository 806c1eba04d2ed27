#pragma once
// What every command module shares: the action chosen by parsing, and error reporting.

#include <functional>

#include "cli/context.h"
#include "common/error.h"

namespace cs::cli {

/// Set by the chosen subcommand's parse callback; run once parsing succeeded. Returns the
/// process exit code.
using Action = std::function<int()>;

/// Writes `error` to stderr as "error: ..." (and "hint: ..."); returns its exit code.
int report_error(const Error& error, Context& ctx);

}  // namespace cs::cli
