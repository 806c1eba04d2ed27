#include "cli/commands/api_command.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/commands/tokens.h"

using cs::ErrorCode;

namespace {

struct Fixture {
  std::ostringstream out, err;
  std::istringstream in;
  cs::cli::Context ctx{out, err, [](std::string_view) { return std::optional<std::string>{}; }};

  Fixture(std::string input, bool tty) : in(std::move(input)) {
    ctx.in = &in;
    ctx.stdin_is_tty = tty;
  }
};

}  // namespace

TEST_CASE("a secret flag reads its value from stdin and refuses one in argv", "[cli][secrets]") {
  Fixture f("hunter2\nignored\n", false);
  auto secret = cs::cli::secret_from_flag("-", "--password", f.ctx);
  REQUIRE(secret);
  CHECK(*secret == "hunter2");

  auto in_argv = cs::cli::secret_from_flag("hunter2", "--password", f.ctx);
  REQUIRE_FALSE(in_argv);
  CHECK(in_argv.error().code == ErrorCode::usage);
  CHECK(in_argv.error().message == "refusing to take a secret from the command line (--password)");
  CHECK(in_argv.error().hint == "pass --password - and the value on stdin");
  // The refused value is not repeated in the error.
  CHECK(in_argv.error().message.find("hunter2") == std::string::npos);
  CHECK(f.out.str().empty());
  CHECK(f.err.str().empty());
}

TEST_CASE("a secret on stdin may end in CRLF or nothing, an empty one is refused",
          "[cli][secrets]") {
  Fixture crlf("pw\r\n", false);
  CHECK(cs::cli::read_stdin_line(crlf.ctx, "password").value() == "pw");
  Fixture bare("pw", false);
  CHECK(cs::cli::read_stdin_line(bare.ctx, "password").value() == "pw");
  Fixture empty("", false);
  auto none = cs::cli::read_stdin_line(empty.ctx, "password");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::usage);
  CHECK(none.error().message == "no password on stdin");
  Fixture blank("\nlater\n", false);
  CHECK_FALSE(cs::cli::read_stdin_line(blank.ctx, "password"));
}

TEST_CASE("a secret on stdin longer than the limit is refused", "[cli][secrets]") {
  Fixture f(std::string(cs::cli::k_max_stdin_secret_bytes + 1, 'x') + "\n", false);
  auto line = cs::cli::read_stdin_line(f.ctx, "token");
  REQUIRE_FALSE(line);
  CHECK(line.error().code == ErrorCode::usage);
  Fixture at_limit(std::string(cs::cli::k_max_stdin_secret_bytes, 'x') + "\n", false);
  CHECK(cs::cli::read_stdin_line(at_limit.ctx, "token").value().size() ==
        cs::cli::k_max_stdin_secret_bytes);
}

TEST_CASE("without a terminal a destructive command needs --yes", "[cli][confirm]") {
  Fixture f("y\n", false);
  auto refused = cs::cli::confirm(f.ctx, false, "Delete?");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::usage);
  CHECK(refused.error().hint == "pass --yes to confirm");
  CHECK(f.err.str().empty());
  CHECK(cs::cli::confirm(f.ctx, true, "Delete?"));
}

TEST_CASE("on a terminal only an explicit yes confirms", "[cli][confirm]") {
  Fixture yes("y\n", true);
  CHECK(cs::cli::confirm(yes.ctx, false, "Delete the user a?"));
  CHECK(yes.err.str() == "Delete the user a? [y/N] ");
  for (const char* answer : {"\n", "n\n", "no\n", "", "yes please\n"}) {
    INFO(answer);
    Fixture f(answer, true);
    auto result = cs::cli::confirm(f.ctx, false, "Delete?");
    REQUIRE_FALSE(result);
    CHECK(result.error().message == "cancelled");
  }
}

TEST_CASE("path segments are percent-encoded", "[cli]") {
  CHECK(cs::cli::path_with("/v2/users", "alice") == "/v2/users/alice");
  CHECK(cs::cli::path_with("/v2/users", "../keys") == "/v2/users/..%2Fkeys");
  CHECK(cs::cli::path_with("/v2/acl", "a b?c#d") == "/v2/acl/a%20b%3Fc%23d");
  CHECK(cs::cli::path_with("/v2/users", "..") == "/v2/users/%2E%2E");
  CHECK(cs::cli::path_with("/v2/users", ".") == "/v2/users/%2E");
  CHECK(cs::cli::path_with("/v2/users", "a.b") == "/v2/users/a.b");
}

TEST_CASE("a token response is shown as its id, username, password and expiry", "[cli][tokens]") {
  const nlohmann::json token = {{"token_id", "t1"},
                                {"user_email", "ada@example.com"},
                                {"mqtt_username", "ada_example_com@org_x"},
                                {"mqtt_password", "tkn_abc"},
                                {"expires_at", "2026-01-01T01:00:00Z"},
                                {"refresh_recommended_at", "2026-01-01T00:55:00Z"}};
  const auto fields = cs::cli::token_fields(token);
  REQUIRE(fields.size() == 6);
  CHECK(fields[0] == std::pair<std::string, std::string>{"token id", "t1"});
  CHECK(fields[2].second == "ada_example_com@org_x");
  CHECK(fields[3].second == "tkn_abc");
  CHECK(fields[4].second == "2026-01-01T01:00:00Z");
}
