// The installed binary behaves as the in-process tests say: streams, exit codes, no extra noise.

#include <catch2/catch.hpp>

#include "common/version.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::cloudsignal_binary;
using cs::test::run_process;

namespace {

std::string expected_version_line() {
  std::string line = "cloudsignal ";
  line.append(cs::k_version).push_back('\n');
  return line;
}

}  // namespace

TEST_CASE("the binary prints its version", "[integration][cli]") {
  const auto r = run_process({cloudsignal_binary(), "--version"}, 10s);
  CHECK(r.exit_code == 0);
  CHECK(r.out == expected_version_line());
  CHECK(r.err.empty());
}

TEST_CASE("the binary exits 2 on a bad flag, with the error on stderr", "[integration][cli]") {
  const auto r = run_process({cloudsignal_binary(), "--no-such-flag"}, 10s);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.starts_with("error: "));
}
