#pragma once
// The cloudsignal command tree, runnable in-process.

#include <string>
#include <vector>

#include "cli/context.h"

namespace cs::cli {

/// Parses `args` (without the program name) and runs the chosen command against `ctx`;
/// returns the process exit code (0 ok, 1 failure, 2 usage, 3 auth, 4 not found, 5 conflict,
/// 6 cannot reach the server).
int run_cli(const std::vector<std::string>& args, Context& ctx);

}  // namespace cs::cli
