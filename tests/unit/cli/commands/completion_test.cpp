#include "cli/commands/completion.h"

#include <catch2/catch.hpp>

namespace cs::cli {

namespace {

std::unique_ptr<CLI::App> sample_app() {
  auto app = std::make_unique<CLI::App>("sample", "cloudsignal");
  static bool dev = false;
  static bool yes = false;
  app->add_flag("--dev", dev, "local");
  auto* users = app->add_subcommand("users", "Manage users");
  auto* add = users->add_subcommand("add", "Add a user");
  static std::string name;
  static std::string password;
  add->add_option("name", name, "the name");
  add->add_option("-P,--password", password, "its password");
  add->add_flag("--yes", yes, "no questions");
  auto* hidden = app->add_subcommand("secret", "internal");
  hidden->group("");
  return app;
}

}  // namespace

TEST_CASE("the completion tree mirrors the commands and their options", "[cli][completion]") {
  auto app = sample_app();
  const auto root = completion_tree(*app);
  CHECK(root.name.empty());
  REQUIRE(root.children.size() == 1);  // the hidden command is left out
  const auto& users = root.children[0];
  CHECK(users.name == "users");
  REQUIRE(users.children.size() == 1);
  const auto& add = users.children[0];
  CHECK(add.description == "Add a user");
  CHECK(std::find(add.options.begin(), add.options.end(), "--password") != add.options.end());
  CHECK(std::find(add.options.begin(), add.options.end(), "-P") != add.options.end());
  CHECK(std::find(add.options.begin(), add.options.end(), "--yes") != add.options.end());
  CHECK(std::find(add.value_options.begin(), add.value_options.end(), "--password") !=
        add.value_options.end());
  CHECK(std::find(add.value_options.begin(), add.value_options.end(), "--yes") ==
        add.value_options.end());
  CHECK(std::find(add.options.begin(), add.options.end(), "name") == add.options.end());
}

TEST_CASE("each shell gets its script, others get nothing", "[cli][completion]") {
  auto app = sample_app();
  const auto root = completion_tree(*app);
  const auto bash = completion_script(root, "bash");
  CHECK(bash.find("[\"cloudsignal users add\"]=\"|") != std::string::npos);
  CHECK(bash.find("complete -F _cloudsignal cloudsignal") != std::string::npos);
  CHECK(completion_script(root, "zsh").find("bashcompinit") != std::string::npos);
  const auto fish = completion_script(root, "fish");
  CHECK(fish.find("-a users -d 'Manage users'") != std::string::npos);
  CHECK(fish.find("-l password -r") != std::string::npos);
  CHECK(completion_script(root, "powershell").empty());
}

}  // namespace cs::cli
