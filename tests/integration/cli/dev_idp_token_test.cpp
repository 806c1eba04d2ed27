// `cloudsignal dev idp-token` and the commands the dev banner suggests, run as printed against a
// real `cloudsignal dev`.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;
using nlohmann::json;

namespace {

cs::test::ProcessResult cli(const DevBroker& broker, std::vector<std::string> args,
                            const std::string& input = {}) {
  args.insert(args.begin(), cs::test::cloudsignal_binary());
  return cs::test::run_process(args, 20s, input, {{"HOME", broker.home()}});
}

}  // namespace

TEST_CASE("dev idp-token prints a provider-shaped token that exchanges for MQTT credentials",
          "[integration][cli][dev]") {
  DevBroker broker(std::vector<std::string>{});
  const std::string dir = broker.data_dir();
  auto r = cli(broker, {"dev", "--data-dir", dir, "idp-token", "--provider", "supabase", "--email",
                        "ada@example.com"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err == "created the dev provider dev-supabase\n");
  const std::string jwt = r.out.substr(0, r.out.size() - 1);
  CHECK(r.out.back() == '\n');
  CHECK(std::count(jwt.begin(), jwt.end(), '.') == 2);

  // The provider is inferred from the token's iss; the name comes from the email.
  r = cli(broker, {"tokens", "exchange", "--dev", "--dev-dir", dir, "--token", "-", "--json"},
          jwt + "\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto token = json::parse(r.out);
  CHECK(token["mqtt_username"] == "ada_example_com@" + broker.org_short_id());
  CHECK(token["provider"] == "supabase");
  CHECK(cs::test::mqtt_publish(broker, token["mqtt_username"], token["mqtt_password"],
                               "users/ada_example_com/hello") == 0);

  // Asked again (flag after the subcommand), the provider exists; --json shows the whole answer.
  r = cli(broker, {"dev", "idp-token", "--data-dir", dir, "--provider", "supabase", "--email",
                   "bob@example.com", "--subject", "user-42", "--ttl", "60", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto answer = json::parse(r.out);
  CHECK(answer["provider_created"] == false);
  CHECK(answer["provider"]["name"] == "dev-supabase");
  CHECK(answer["token"].is_string());
}

TEST_CASE("dev idp-token refuses bad flags and says when no broker runs",
          "[integration][cli][dev]") {
  DevBroker broker(std::vector<std::string>{});
  const std::string dir = broker.data_dir();
  for (const char* ttl : {"0", "86401", "-1"}) {
    INFO(ttl);
    const auto r = cli(broker, {"dev", "--data-dir", dir, "idp-token", "--provider", "clerk",
                                "--email", "a@b.c", "--ttl", ttl});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "error: --ttl must be from 1 to 86400 seconds\n");
  }
  auto r = cli(broker, {"dev", "--data-dir", dir, "idp-token", "--email", "a@b.c"});
  CHECK(r.exit_code == 2);
  r = cli(broker,
          {"dev", "--data-dir", dir, "idp-token", "--provider", "myspace", "--email", "a@b.c"});
  CHECK(r.exit_code != 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("error: ") == 0);

  broker.stop();
  r = cli(broker,
          {"dev", "--data-dir", dir, "idp-token", "--provider", "clerk", "--email", "a@b.c"});
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("cloudsignal dev") != std::string::npos);
}

TEST_CASE("the three commands of the dev banner work as printed", "[integration][cli][dev]") {
  // `cloudsignal` on PATH, as after an install: the banner names it so.
  cs::test::TempDir bin;
  const std::string binary = std::filesystem::canonical(cs::test::cloudsignal_binary()).string();
  std::filesystem::create_symlink(binary, bin.path() + "/cloudsignal");
  const std::string path = bin.path() + ":" + std::getenv("PATH");
  DevBroker broker(std::vector<std::string>{}, {}, {{"PATH", path}});
  const std::string banner = broker.process().out();
  const std::string dev = "--dev --dev-dir " + broker.data_dir();
  std::string expected = "Try, in another terminal:\n";
  expected.append("  cloudsignal sub " + dev + " -t 'demo/#'\n");
  expected.append("  cloudsignal pub " + dev + " -t demo/hello -m 'hello'\n");
  expected.append("  cloudsignal dev --data-dir " + broker.data_dir() +
                  " idp-token --provider supabase --email ada@example.com \\\n");
  expected.append("      | cloudsignal tokens exchange " + dev + " --token -\n");
  REQUIRE(banner.find(expected) != std::string::npos);

  // The same commands through a shell, as a person would paste them (the publisher repeats
  // until the subscriber, which stops after one message, has subscribed).
  std::string script = "set -e\n";
  script.append("cloudsignal sub " + dev + " -t 'demo/#' -C 1 -W 30 > sub.out &\n");
  script.append("until [ -s sub.out ]; do cloudsignal pub " + dev +
                " -t demo/hello -m 'hello'; sleep 0.2; done; wait; cat sub.out\n");
  script.append("cloudsignal dev --data-dir " + broker.data_dir() +
                " idp-token --provider supabase --email ada@example.com \\\n" +
                "  | cloudsignal tokens exchange " + dev + " --token - --json\n");
  cs::test::TempDir work;
  const auto r = cs::test::run_process({"bash", "-c", "cd " + work.path() + " && " + script}, 60s,
                                       {}, {{"HOME", broker.home()}, {"PATH", path}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("demo/hello hello\n") == 0);
  CHECK(r.out.find("\"mqtt_username\": \"ada_example_com@" + broker.org_short_id()) !=
        std::string::npos);
}

TEST_CASE("the dev banner names the binary by its path when PATH does not find it",
          "[integration][cli][dev]") {
  DevBroker broker(std::vector<std::string>{});
  const std::string binary = std::filesystem::canonical(cs::test::cloudsignal_binary()).string();
  CHECK(broker.process().out().find("\n  " + binary + " sub --dev --dev-dir ") !=
        std::string::npos);
}
