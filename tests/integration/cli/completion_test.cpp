// The completion scripts of the real binary, run by a real bash, and the copies in completions/
// kept equal to them.

#include <catch2/catch.hpp>

#include "tests/support/process.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;

// What bash offers for the command line `words` (the last one is being completed).
std::string complete(const std::string& script_file, const std::string& words) {
  const std::string program = "source " + script_file +
                              "\n"
                              "COMP_WORDS=(" +
                              words +
                              ")\n"
                              "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                              "_cloudsignal\n"
                              "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
  return run_process({"bash", "-c", program}, 10s).out;
}

}  // namespace

TEST_CASE("bash completes commands and options from the binary's own tree",
          "[integration][cli][completion]") {
  TempDir dir;
  const std::string script = dir.path() + "/cloudsignal.bash";
  const auto made = run_process({cloudsignal_binary(), "completion", "bash"}, 10s);
  REQUIRE(made.exit_code == 0);
  {
    std::FILE* f = std::fopen(script.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs(made.out.c_str(), f);
    std::fclose(f);
  }
  CHECK(complete(script, "cloudsignal de") == "dev\n");
  CHECK(complete(script, "cloudsignal dev --mqtt") == "--mqtt-port\n--mqtts-port\n");
  CHECK(complete(script, "cloudsignal dev issue") == "issue-client-cert\n");
  CHECK(complete(script, "cloudsignal dev ca --p") == "--pem\n");
  CHECK(run_process({cloudsignal_binary(), "completion", "tcsh"}, 10s).exit_code == 2);
}

TEST_CASE("completions/ holds what the binary prints", "[integration][cli][completion]") {
  for (const auto& [shell, file] : {std::pair{"bash", "cloudsignal.bash"},
                                    {"zsh", "_cloudsignal"},
                                    {"fish", "cloudsignal.fish"}}) {
    const auto made = run_process({cloudsignal_binary(), "completion", shell}, 10s);
    REQUIRE(made.exit_code == 0);
    INFO("regenerate with scripts/completions");
    CHECK(read_file(std::string(CS_TEST_SOURCE_DIR) + "/../completions/" + file) == made.out);
  }
}

}  // namespace cs::test
