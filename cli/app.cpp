#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "cli/api_target.h"
#include "cli/command.h"
#include "cli/commands/acl.h"
#include "cli/commands/auth.h"
#include "cli/commands/bench.h"
#include "cli/commands/completion.h"
#include "cli/commands/dev.h"
#include "cli/commands/keys.h"
#include "cli/commands/providers.h"
#include "cli/commands/pubsub.h"
#include "cli/commands/tokens.h"
#include "cli/commands/users.h"
#include "common/error.h"
#include "common/version.h"

namespace cs::cli {
namespace {

std::string version_line() {
  return std::string("cloudsignal ") + k_version;
}

}  // namespace

int report_error(const Error& error, Context& ctx) {
  ctx.err << "error: " << error.message << '\n';
  if (!error.hint.empty()) ctx.err << "hint: " << error.hint << '\n';
  return exit_code(error.code);
}

int run_cli(const std::vector<std::string>& args, Context& ctx) {
  CLI::App app{"cloudsignal: the CloudSignal command line and local development broker",
               "cloudsignal"};
  app.set_version_flag("--version", version_line(), "Print the version and exit");
  app.footer(
      "Docs: https://docs.cloudsignal.io · Exit codes: 0 ok, 1 failure, 2 usage, "
      "3 auth, 4 not found, 5 conflict, 6 unreachable");

  // The API flags belong to the top-level app; subcommands pass them up, so they may come after
  // the command (`cloudsignal whoami --profile dev`).
  app.fallthrough();
  app.add_flag("-q,--quiet", ctx.quiet,
               "Print only results and errors: no progress, no \"Created ...\" lines (pub and "
               "sub take --quiet; their -q is the QoS)");
  ApiFlags api_flags;
  add_api_flags(app, api_flags);

  Action action;
  add_auth(app, api_flags, ctx, action);
  add_pub(app, ctx, action, api_flags);
  add_sub(app, ctx, action, api_flags);
  add_dev(app, ctx, action);
  add_bench(app, ctx, action);
  add_providers(app, ctx, action, api_flags);
  add_acl(app, ctx, action, api_flags);
  add_users(app, ctx, action, api_flags);
  add_keys(app, ctx, action, api_flags);
  add_tokens(app, ctx, action, api_flags);
  add_completion(app, ctx, action);

  // CLI11 parses a reversed argv vector (last argument first).
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    ctx.out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    ctx.out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    ctx.out << version_line() << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    return report_error(Error{ErrorCode::usage, e.what(), "run 'cloudsignal --help' for usage"},
                        ctx);
  }
  if (!action) {
    ctx.out << app.help();
    return 0;
  }
  return action();
}

}  // namespace cs::cli
