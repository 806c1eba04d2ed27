#include "cli/app.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "common/version.h"

namespace {

std::string expected_version_line() {
  std::string line = "cloudsignal ";
  line.append(cs::k_version).push_back('\n');
  return line;
}

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> args) {
  std::ostringstream out, err;
  cs::cli::Context ctx{out, err, [](std::string_view) { return std::optional<std::string>{}; }};
  const int code = cs::cli::run_cli(args, ctx);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("the --version flag prints the name and version on stdout", "[cli]") {
  const auto r = run({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out == expected_version_line());
  CHECK(r.err.empty());
}

TEST_CASE("the --help flag describes the tool and lists only what exists", "[cli]") {
  const auto r = run({"--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("cloudsignal: the CloudSignal command line") != std::string::npos);
  CHECK(r.out.find("--version") != std::string::npos);
  CHECK(r.out.find("Exit codes: 0 ok") != std::string::npos);
  // Built commands are listed.
  CHECK(r.out.find("\n  dev ") != std::string::npos);
  CHECK(r.out.find("\n  bench ") != std::string::npos);
  for (const char* present : {"login", "logout", "whoami", "auth", "providers", "acl", "users",
                              "keys", "tokens", "pub", "sub", "completion"}) {
    INFO(present);
    CHECK(r.out.find(std::string("\n  ") + present + " ") != std::string::npos);
  }
}

TEST_CASE("no arguments prints the help", "[cli]") {
  const auto r = run({});
  CHECK(r.code == 0);
  CHECK(r.out == run({"--help"}).out);
}

TEST_CASE("an unknown flag is a usage error with exit code 2", "[cli]") {
  const auto r = run({"--frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: The following argument was not expected: --frobnicate\n"
        "hint: run 'cloudsignal --help' for usage\n");
}

TEST_CASE("an unknown command is a usage error", "[cli]") {
  const auto r = run({"frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("error: "));
}
