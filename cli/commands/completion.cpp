#include "cli/commands/completion.h"

#include <ostream>
#include <sstream>

namespace cs::cli {
namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  return out;
}

std::vector<std::string> child_names(const CompletionNode& node) {
  std::vector<std::string> names;
  for (const auto& child : node.children) names.push_back(child.name);
  return names;
}

// One line per command path: its subcommands, its options, and the options that take a value.
void bash_tables(const CompletionNode& node, const std::string& path, std::ostream& out) {
  out << "  [\"" << path << "\"]=\"" << join(child_names(node)) << "|" << join(node.options) << "|"
      << join(node.value_options) << "\"\n";
  for (const auto& child : node.children) {
    bash_tables(child, path + " " + child.name, out);
  }
}

std::string bash_script(const CompletionNode& root) {
  std::ostringstream out;
  out << "# bash completion for cloudsignal (made by `cloudsignal completion bash`)\n"
         "declare -gA _cloudsignal_tree=(\n";
  bash_tables(root, "cloudsignal", out);
  out << ")\n"
         "_cloudsignal() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path=cloudsignal "
         "i w\n"
         "  local entry cmds opts values\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=${COMP_WORDS[i]}\n"
         "    entry=${_cloudsignal_tree[$path]}\n"
         "    cmds=\" ${entry%%|*} \"\n"
         "    if [[ $w != -* && $cmds == *\" $w \"* ]]; then\n"
         "      path=\"$path $w\"\n"
         "    fi\n"
         "  done\n"
         "  entry=${_cloudsignal_tree[$path]}\n"
         "  cmds=${entry%%|*}\n"
         "  opts=${entry#*|}\n"
         "  values=\" ${opts#*|} \"\n"
         "  opts=${opts%%|*}\n"
         "  if [[ $values == *\" $prev \"* ]]; then\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  if [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -W \"$cmds\" -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -F _cloudsignal cloudsignal\n";
  return out.str();
}

std::string zsh_script(const CompletionNode& root) {
  return "#compdef cloudsignal\n"
         "# zsh completion for cloudsignal (made by `cloudsignal completion zsh`)\n"
         "autoload -U +X bashcompinit && bashcompinit\n" +
         bash_script(root);
}

std::string fish_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

void fish_lines(const CompletionNode& node, const std::vector<std::string>& path,
                std::ostream& out) {
  // The condition: every word of the path seen, and none of this node's children yet.
  std::string condition = path.empty() ? "__fish_use_subcommand" : "";
  if (!path.empty()) {
    for (const auto& word : path) {
      if (!condition.empty()) condition.append("; and ");
      condition.append("__fish_seen_subcommand_from ").append(word);
    }
    if (!node.children.empty()) {
      condition.append("; and not __fish_seen_subcommand_from ").append(join(child_names(node)));
    }
  }
  for (const auto& child : node.children) {
    out << "complete -c cloudsignal -f -n " << fish_quote(condition) << " -a " << child.name
        << " -d " << fish_quote(child.description) << "\n";
  }
  for (const auto& option : node.options) {
    if (!option.starts_with("--")) continue;
    const bool takes_value = std::find(node.value_options.begin(), node.value_options.end(),
                                       option) != node.value_options.end();
    out << "complete -c cloudsignal -n " << fish_quote(condition) << " -l " << option.substr(2)
        << (takes_value ? " -r" : "") << "\n";
  }
  for (const auto& child : node.children) {
    auto next = path;
    next.push_back(child.name);
    fish_lines(child, next, out);
  }
}

std::string fish_script(const CompletionNode& root) {
  std::ostringstream out;
  out << "# fish completion for cloudsignal (made by `cloudsignal completion fish`)\n";
  fish_lines(root, {}, out);
  return out.str();
}

}  // namespace

CompletionNode completion_tree(const CLI::App& app) {
  CompletionNode node;
  node.name = app.get_parent() == nullptr ? std::string() : app.get_name();
  node.description = app.get_description();
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional() || option->get_group().empty()) continue;
    std::vector<std::string> names;
    for (const auto& l : option->get_lnames()) names.push_back("--" + l);
    for (const auto& s : option->get_snames()) names.push_back("-" + s);
    for (const auto& n : names) {
      node.options.push_back(n);
      if (option->get_expected_max() > 0) node.value_options.push_back(n);
    }
  }
  for (const CLI::App* sub : app.get_subcommands(
           [](const CLI::App* s) { return !s->get_group().empty() && !s->get_disabled(); })) {
    node.children.push_back(completion_tree(*sub));
  }
  return node;
}

std::string completion_script(const CompletionNode& root, const std::string& shell) {
  if (shell == "bash") return bash_script(root);
  if (shell == "zsh") return zsh_script(root);
  if (shell == "fish") return fish_script(root);
  return {};
}

void add_completion(CLI::App& app, Context& ctx, Action& action) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("completion", "Print a shell completion script");
  cmd->add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->footer(
      "Examples:\n"
      "  source <(cloudsignal completion bash)\n"
      "  cloudsignal completion zsh > \"${fpath[1]}/_cloudsignal\"\n"
      "  cloudsignal completion fish > ~/.config/fish/completions/cloudsignal.fish");
  cmd->callback([&app, &ctx, &action, shell] {
    action = [&app, &ctx, shell] {
      ctx.out << completion_script(completion_tree(app), *shell);
      return 0;
    };
  });
}

}  // namespace cs::cli
