// The one translation unit that holds Catch2's runner. The tests run in a world of their own: a
// fresh HOME (so nothing reads or writes the user's ~/.cloudsignal, and a `dev` profile left
// there cannot change what a command does) and none of the CLI's environment variables.
//
// CTest learns the tests from their names (catch_discover_tests), and a name it cannot carry
// would make a test that silently runs nothing: such a name fails every run, listing included,
// so the build that discovers it fails.
#define CATCH_CONFIG_RUNNER
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

// Names CTest splits (';' separates list items) or Catch reads as an option ("--...").
bool names_survive_ctest() {
  bool ok = true;
  for (const auto& test : Catch::getRegistryHub().getTestCaseRegistry().getAllTests()) {
    const std::string& name = test.getTestCaseInfo().name;
    if (name.find(';') != std::string::npos || name.rfind("--", 0) == 0) {
      std::cerr << "test name CTest cannot run (no ';', no leading \"--\"): " << name << "\n";
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int main(int argc, char* argv[]) {
  std::string home = (std::filesystem::temp_directory_path() / "cs-test-home-XXXXXX").string();
  if (mkdtemp(home.data()) == nullptr) return 1;
  setenv("HOME", home.c_str(), 1);
  for (const char* name :
       {"CLOUDSIGNAL_API_KEY", "CLOUDSIGNAL_API_URL", "CLOUDSIGNAL_PROFILE", "CLOUDSIGNAL_MQTT_URL",
        "CLOUDSIGNAL_MQTT_USERNAME", "CLOUDSIGNAL_MQTT_PASSWORD", "CLOUDSIGNAL_MQTT_TOKEN_TTL",
        "CLOUDSIGNAL_CREDENTIALS_STORE", "CLOUDSIGNAL_LOGIN_TIMEOUT"}) {
    unsetenv(name);
  }
  if (!names_survive_ctest()) return 1;
  const int result = Catch::Session().run(argc, argv);
  std::error_code ignored;
  std::filesystem::remove_all(home, ignored);
  return result;
}
