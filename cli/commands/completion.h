#pragma once
// `cloudsignal completion bash|zsh|fish`: shell completion scripts made from the command tree
// itself, so they can never disagree with it. completions/ holds their output for packagers.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/context.h"

namespace cs::cli {

/// A command and what can follow it.
struct CompletionNode {
  std::string name;  // empty for the program itself
  std::string description;
  std::vector<std::string> options;        // every long and short option name
  std::vector<std::string> value_options;  // those that take a value
  std::vector<CompletionNode> children;
};

/// The tree of `app`'s commands and options (hidden commands left out).
CompletionNode completion_tree(const CLI::App& app);

/// The completion script for `shell` ("bash", "zsh" or "fish"); empty for another shell.
std::string completion_script(const CompletionNode& root, const std::string& shell);

/// Adds `completion` to `app`; its scripts cover every command `app` holds when it runs.
void add_completion(CLI::App& app, Context& ctx, Action& action);

}  // namespace cs::cli
