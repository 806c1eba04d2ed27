#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "common/error.h"
#include "common/version.h"

namespace cs::cli {
namespace {

std::string version_line() {
  return std::string("cloudsignal ") + k_version;
}

void report(const Error& error, Context& ctx) {
  ctx.err << "error: " << error.message << '\n';
  if (!error.hint.empty()) ctx.err << "hint: " << error.hint << '\n';
}

}  // namespace

int run_cli(const std::vector<std::string>& args, Context& ctx) {
  CLI::App app{"cloudsignal: the CloudSignal command line and local development broker",
               "cloudsignal"};
  app.set_version_flag("--version", version_line(), "Print the version and exit");
  app.footer(
      "Docs: https://docs.cloudsignal.io · Exit codes: 0 ok, 1 failure, 2 usage, "
      "3 auth, 4 not found, 5 conflict, 6 unreachable");

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
    report(Error{ErrorCode::usage, e.what(), "run 'cloudsignal --help' for usage"}, ctx);
    return exit_code(ErrorCode::usage);
  }
  if (args.empty()) {
    ctx.out << app.help();
    return 0;
  }
  return 0;
}

}  // namespace cs::cli
