// The management commands (providers, acl, users, keys, tokens) of the real binary against a
// real `cloudsignal dev`: JSON a script parses, tables a person reads, exit codes, and secrets
// that appear once, where they were created, and nowhere else.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::cloudsignal_binary;
using cs::test::DevBroker;
using cs::test::ProcessResult;
using cs::test::run_process;
using cs::test::TempDir;

namespace {

// Runs the binary against `broker` through --dev (its data dir and admin key), with a HOME of
// its own so no signed-in profile or real credential can leak in.
class Cli {
 public:
  explicit Cli(const DevBroker& broker) : m_broker(broker) {}

  ProcessResult dev(std::vector<std::string> args, const std::string& input = {}) const {
    std::vector<std::string> argv = {cloudsignal_binary(), "--dev", "--dev-dir",
                                     m_broker.data_dir()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, 20s, input, env(""));
  }

  // Runs with --api-url and CLOUDSIGNAL_API_KEY = `key` (empty: no credential).
  ProcessResult with_key(const std::string& key, std::vector<std::string> args,
                         const std::string& input = {}) const {
    std::vector<std::string> argv = {cloudsignal_binary(), "--api-url", api_url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, 20s, input, env(key));
  }

  std::string api_url() const { return "http://127.0.0.1:" + std::to_string(m_broker.http_port()); }

 private:
  std::map<std::string, std::string> env(const std::string& key) const {
    return {{"HOME", m_home.path()},
            {"CLOUDSIGNAL_API_KEY", key},
            {"CLOUDSIGNAL_API_URL", ""},
            {"CLOUDSIGNAL_PROFILE", ""},
            {"NO_COLOR", ""}};
  }
  const DevBroker& m_broker;
  TempDir m_home;
};

nlohmann::json parse(const ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

bool mqtt_login_works(const DevBroker& broker, const std::string& user, const std::string& pw) {
  const auto r = run_process(
      {"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(broker.mqtt_port()), "-u", user,
       "-P", pw, "-t", "users/" + user.substr(0, user.find('@')) + "/x", "-m", "hi"},
      10s);
  return r.exit_code == 0;
}

}  // namespace

TEST_CASE("users: add, list, passwd and remove, with passwords shown only once",
          "[integration][cli][manage]") {
  DevBroker broker(std::vector<std::string>{});
  Cli cli(broker);
  const std::string org = "@" + broker.org_short_id();

  const auto added = cli.dev({"users", "add", "alice", "--json"});
  REQUIRE(added.exit_code == 0);
  const auto alice = parse(added);
  CHECK(alice["name"] == "alice");
  CHECK(alice["mqtt_username"] == "alice" + org);
  const std::string alice_password = alice["password"].get<std::string>();
  CHECK(alice_password.size() >= 16);

  // Without --json the generated password is all of stdout, so $(...) captures it.
  const auto carol = cli.dev({"users", "add", "carol"});
  REQUIRE(carol.exit_code == 0);
  const std::string carol_password = trimmed(carol.out);
  CHECK(carol.out == carol_password + "\n");
  CHECK_FALSE(contains(carol.err, carol_password));
  CHECK(contains(carol.err, "carol" + org));
  CHECK(mqtt_login_works(broker, "carol" + org, carol_password));

  // A chosen password comes from stdin and is never echoed.
  const auto bob = cli.dev({"users", "add", "bob", "--password", "-"}, "bob-pass-123456\n");
  REQUIRE(bob.exit_code == 0);
  CHECK(bob.out.empty());
  CHECK_FALSE(contains(bob.err, "bob-pass"));
  CHECK(mqtt_login_works(broker, "bob" + org, "bob-pass-123456"));

  const auto in_argv = cli.dev({"users", "add", "dave", "--password", "dave-pass-123456"});
  CHECK(in_argv.exit_code == 2);
  CHECK_FALSE(contains(in_argv.err, "dave-pass"));
  CHECK(contains(in_argv.err, "hint: pass --password - and the value on stdin"));

  const auto listed = cli.dev({"users", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  const auto users = parse(listed)["users"];
  REQUIRE(users.size() == 3);
  for (const auto& user : users) {
    CHECK_FALSE(user.contains("password"));
    CHECK(user.contains("created_at"));
  }
  CHECK_FALSE(contains(listed.out, alice_password));
  CHECK_FALSE(contains(listed.out, carol_password));

  // Not a terminal: a plain aligned table, no escape codes.
  const auto table = cli.dev({"users", "list"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.starts_with("NAME   MQTT USERNAME"));
  CHECK(contains(table.out, "\nalice  alice" + org + "  "));
  CHECK_FALSE(contains(table.out, "\x1b"));
  CHECK(table.err.empty());

  const auto duplicate = cli.dev({"users", "add", "alice"});
  CHECK(duplicate.exit_code == 5);
  CHECK(duplicate.out.empty());
  CHECK(duplicate.err.starts_with("error: "));

  const auto passwd = cli.dev({"users", "passwd", "bob", "--password", "-"}, "bob-new-pass-9876\n");
  CHECK(passwd.exit_code == 0);
  CHECK_FALSE(contains(passwd.out + passwd.err, "bob-new-pass"));
  CHECK(mqtt_login_works(broker, "bob" + org, "bob-new-pass-9876"));
  CHECK_FALSE(mqtt_login_works(broker, "bob" + org, "bob-pass-123456"));
  CHECK(cli.dev({"users", "passwd", "bob", "--password", "-"}, "").exit_code == 2);
  CHECK(cli.dev({"users", "passwd", "nobody", "--password", "-"}, "x-pass-1234567\n").exit_code ==
        4);

  const auto unconfirmed = cli.dev({"users", "remove", "alice"});
  CHECK(unconfirmed.exit_code == 2);
  CHECK(contains(unconfirmed.err, "--yes"));
  CHECK(cli.dev({"users", "list", "--json"}).out.find("\"alice\"") != std::string::npos);
  // --quiet drops the "Deleted user" line, not the result or the errors.
  const auto removed = cli.dev({"users", "remove", "alice", "--yes", "--quiet"});
  CHECK(removed.exit_code == 0);
  CHECK(removed.out.empty());
  CHECK(removed.err.empty());
  const auto again = cli.dev({"users", "remove", "alice", "--yes", "-q"});
  CHECK(again.exit_code == 4);
  CHECK(contains(again.err, "error: "));
  CHECK(parse(cli.dev({"users", "list", "--json"}))["users"].size() == 2);
}

TEST_CASE("keys: create, use, rotate and revoke, the secret goes to stdout once",
          "[integration][cli][manage]") {
  DevBroker broker(std::vector<std::string>{});
  Cli cli(broker);

  const auto created = cli.dev({"keys", "create", "--name", "ci", "--type", "secret"});
  REQUIRE(created.exit_code == 0);
  const std::string key = trimmed(created.out);
  CHECK(created.out == key + "\n");
  CHECK(key.starts_with("sk_"));
  CHECK_FALSE(contains(created.err, key));
  CHECK(cli.with_key(key, {"users", "list", "--json"}).exit_code == 0);

  const auto restricted =
      cli.dev({"keys", "create", "--name", "dash", "--type", "restricted", "--scope", "read",
               "--scope", "subscribe:dash/#", "--allow-ip", "127.0.0.0/8", "--json"});
  REQUIRE(restricted.exit_code == 0);
  const auto rk = parse(restricted);
  CHECK(rk["key"].get<std::string>().starts_with("rk_"));
  CHECK(rk["scopes"] == nlohmann::json({"read", "subscribe:dash/#"}));
  CHECK(rk["ip_allowlist"] == nlohmann::json({"127.0.0.0/8"}));

  const auto listed = cli.dev({"keys", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  const auto keys = parse(listed)["keys"];
  CHECK(keys.size() >= 2);
  for (const auto& k : keys) CHECK_FALSE(k.contains("key"));
  CHECK_FALSE(contains(listed.out, key));
  CHECK_FALSE(contains(listed.out, rk["key"].get<std::string>()));
  const auto table = cli.dev({"keys", "list"});
  CHECK(table.out.starts_with("ID"));
  CHECK(contains(table.out, "read,subscribe:dash/#"));

  std::string ci_id;
  for (const auto& k : keys) {
    if (k["name"] == "ci") ci_id = k["id"];
  }
  REQUIRE_FALSE(ci_id.empty());
  const auto rotated = cli.dev({"keys", "rotate", ci_id});
  REQUIRE(rotated.exit_code == 0);
  const std::string new_key = trimmed(rotated.out);
  CHECK(new_key.starts_with("sk_"));
  CHECK(new_key != key);
  CHECK(cli.with_key(key, {"users", "list"}).exit_code == 3);
  CHECK(cli.with_key(new_key, {"users", "list"}).exit_code == 0);

  CHECK(cli.dev({"keys", "revoke", ci_id}).exit_code == 2);
  CHECK(cli.with_key(new_key, {"users", "list"}).exit_code == 0);
  CHECK(cli.dev({"keys", "revoke", ci_id, "--yes"}).exit_code == 0);
  CHECK(cli.with_key(new_key, {"users", "list"}).exit_code == 3);
  CHECK(cli.dev({"keys", "revoke", "no-such-key", "--yes"}).exit_code == 4);
  CHECK(cli.dev({"keys", "rotate", "no-such-key"}).exit_code == 4);

  CHECK(
      cli.dev({"keys", "create", "--name", "x", "--type", "secret", "--scope", "read"}).exit_code ==
      2);
  CHECK(cli.dev({"keys", "create", "--name", "x", "--type", "admin"}).exit_code == 2);
  CHECK(cli.dev({"keys", "create", "--name", "x"}).exit_code == 2);
}

TEST_CASE("acl: add, list, check (exit 0 allowed, 1 denied) and remove",
          "[integration][cli][manage]") {
  DevBroker broker(std::vector<std::string>{});
  Cli cli(broker);

  const auto allow =
      cli.dev({"acl", "add", "--user", "%", "--topic", "sensors/%u/#", "--permission", "pubsub"});
  REQUIRE(allow.exit_code == 0);
  const std::string allow_id = trimmed(allow.out);
  CHECK_FALSE(allow_id.empty());
  CHECK(contains(allow.err, "allow pubsub on sensors/%u/# for %"));

  const auto deny = cli.dev({"acl", "add", "--user", "bob", "--topic", "sensors/bob/secret",
                             "--permission", "pub", "--deny", "--json"});
  REQUIRE(deny.exit_code == 0);
  const auto deny_rule = parse(deny);
  CHECK(deny_rule["effect"] == "deny");
  CHECK(deny_rule["user_pattern"] == "bob");

  const auto rules = parse(cli.dev({"acl", "list", "--json"}))["rules"];
  bool found_allow = false;
  for (const auto& rule : rules) found_allow = found_allow || rule["id"] == allow_id;
  CHECK(found_allow);

  const auto allowed =
      cli.dev({"acl", "check", "--username", "bob", "--topic", "sensors/bob/t", "--action", "pub"});
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out == "allowed\n");

  const auto denied = cli.dev(
      {"acl", "check", "--username", "bob", "--topic", "sensors/bob/secret", "--action", "pub"});
  CHECK(denied.exit_code == 1);
  CHECK(denied.out == "denied\n");
  CHECK(contains(denied.err, deny_rule["id"].get<std::string>()));

  const auto denied_json = cli.dev({"acl", "check", "--username", "bob", "--topic",
                                    "sensors/alice/t", "--action", "sub", "--json"});
  CHECK(denied_json.exit_code == 1);
  CHECK(parse(denied_json)["allowed"] == false);

  CHECK(cli.dev({"acl", "check", "--username", "bob", "--topic", "t", "--action", "publish"})
            .exit_code == 2);
  CHECK(cli.dev({"acl", "add", "--user", "%", "--topic", "a", "--permission", "all"}).exit_code ==
        2);
  CHECK(cli.dev({"acl", "remove", allow_id}).exit_code == 2);
  CHECK(cli.dev({"acl", "remove", allow_id, "--yes"}).exit_code == 0);
  CHECK(cli.dev({"acl", "remove", allow_id, "--yes"}).exit_code == 4);
  CHECK(
      cli.dev({"acl", "check", "--username", "bob", "--topic", "sensors/bob/t", "--action", "pub"})
          .exit_code == 1);
}

TEST_CASE("tokens: create, exchange, refresh without a key, list and revoke",
          "[integration][cli][manage]") {
  DevBroker broker(std::vector<std::string>{});
  Cli cli(broker);

  const auto created =
      cli.dev({"tokens", "create", "--email", "ada@example.com", "--ttl", "600", "--json"});
  REQUIRE(created.exit_code == 0);
  const auto token = parse(created);
  const std::string password = token["mqtt_credentials"]["password"];
  CHECK(token["access_token"] == password);
  CHECK(token["mqtt_password"] == password);
  CHECK(token["expires_in"].get<int>() <= 600);
  CHECK(token["provider"] == "native");

  const auto plain = cli.dev({"tokens", "create", "--email", "bo@example.com"});
  REQUIRE(plain.exit_code == 0);
  CHECK(contains(plain.out, "mqtt username  bo_example_com@" + broker.org_short_id()));
  CHECK(contains(plain.out, "mqtt password  tkn_"));

  // No API credential at all: the token id and password are the credential.
  const auto refreshed = cli.with_key(
      "", {"tokens", "refresh", "--id", token["token_id"], "--password", "-", "--json"},
      password + "\n");
  REQUIRE(refreshed.exit_code == 0);
  const auto renewed = parse(refreshed);
  CHECK(renewed["token_id"] == token["token_id"]);
  CHECK(renewed["mqtt_password"] != password);
  CHECK_FALSE(contains(refreshed.err, password));
  const auto stale = cli.with_key(
      "", {"tokens", "refresh", "--id", token["token_id"], "--password", "-"}, password + "\n");
  CHECK(stale.exit_code == 3);
  CHECK_FALSE(contains(stale.out + stale.err, password));

  const auto listed = cli.dev({"tokens", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  CHECK(parse(listed)["tokens"].size() >= 2);
  CHECK_FALSE(contains(listed.out, "tkn_"));

  // An identity provider's token from the dev identity provider, exchanged.
  const cs::test::ApiClient api(broker.http_port(), broker.admin_key());
  const auto idp =
      api.post("/v2/dev/idp-token", {{"provider", "supabase"}, {"email", "eve@example.com"}});
  REQUIRE(idp.status == 200);
  const auto exchanged =
      cli.dev({"tokens", "exchange", "--provider", "supabase", "--token", "-", "--json"},
              idp.body["token"].get<std::string>() + "\n");
  REQUIRE(exchanged.exit_code == 0);
  CHECK(parse(exchanged)["mqtt_username"] == "eve_example_com@" + broker.org_short_id());
  const auto forged =
      cli.dev({"tokens", "exchange", "--provider", "supabase", "--token", "not.a.jwt"});
  CHECK(forged.exit_code == 3);
  CHECK(cli.dev({"tokens", "exchange", "--provider", "okta", "--token", "x"}).exit_code == 2);

  CHECK(cli.dev({"tokens", "revoke", token["token_id"]}).exit_code == 2);
  CHECK(cli.dev({"tokens", "revoke", token["token_id"], "--yes"}).exit_code == 0);
  CHECK(cli.dev({"tokens", "revoke", "no-such-token", "--yes"}).exit_code == 4);
  CHECK(cli.dev({"tokens", "create", "--email", "a@b.c", "--ttl", "-5"}).exit_code == 2);
}

TEST_CASE("providers: add, get, update, test and remove, secrets never shown",
          "[integration][cli][manage]") {
  DevBroker broker(std::vector<std::string>{});
  Cli cli(broker);

  const auto oidc = cli.dev({"providers", "add", "--type", "oidc", "--name", "corp", "--issuer",
                             "https://id.example.com", "--audience", "mqtt"});
  REQUIRE(oidc.exit_code == 0);
  const std::string oidc_id = trimmed(oidc.out);
  CHECK_FALSE(oidc_id.empty());

  const std::string secret = "super-secret-jwt-key-0123456789abcdef";
  const auto supabase =
      cli.dev({"providers", "add", "--type", "supabase", "--name", "app", "--project-url",
               "https://abc.supabase.co", "--jwt-secret", "-", "--username-claim", "sub", "--json"},
              secret + "\n");
  REQUIRE(supabase.exit_code == 0);
  const auto added = parse(supabase);
  CHECK(added["type"] == "supabase");
  CHECK(added["username_claim"] == "sub");
  CHECK_FALSE(contains(supabase.out + supabase.err, secret));
  const std::string supabase_id = added["id"];

  TempDir dir;
  const std::string secret_file = dir.path() + "/jwt-secret";
  { std::ofstream(secret_file) << "file-secret-0123456789abcdef\n"; }
  const auto from_file = cli.dev({"providers", "add", "--type", "auth0", "--name", "a0", "--domain",
                                  "t.eu.auth0.com", "--audience", "https://api",
                                  "--jwt-secret-file", secret_file, "--disabled", "--json"});
  REQUIRE(from_file.exit_code == 0);
  CHECK(parse(from_file)["enabled"] == false);

  const auto got = cli.dev({"providers", "get", supabase_id, "--json"});
  REQUIRE(got.exit_code == 0);
  const auto view = parse(got);
  CHECK(view["config"]["project_url"] == "https://abc.supabase.co");
  CHECK(view["secrets_set"] == nlohmann::json({"jwt_secret"}));
  CHECK_FALSE(contains(got.out, secret));
  const auto shown = cli.dev({"providers", "get", supabase_id});
  CHECK(contains(shown.out, "\nconfig.project_url  https://abc.supabase.co\n"));
  CHECK(contains(shown.out, "\nsecrets_set         jwt_secret\n"));
  CHECK_FALSE(contains(shown.out, secret));

  const auto listed = cli.dev({"providers", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  CHECK(parse(listed)["providers"].size() == 3);
  CHECK(cli.dev({"providers", "list"}).out.starts_with("ID"));

  const auto updated = cli.dev({"providers", "update", supabase_id, "--disabled", "--json"});
  REQUIRE(updated.exit_code == 0);
  CHECK(parse(updated)["enabled"] == false);
  CHECK(parse(cli.dev({"providers", "get", supabase_id, "--json"}))["secrets_set"] ==
        nlohmann::json({"jwt_secret"}));
  CHECK(cli.dev({"providers", "update", supabase_id}).exit_code == 2);
  CHECK(cli.dev({"providers", "update", "no-such-provider", "--enabled"}).exit_code == 4);

  CHECK(cli.dev({"providers", "add", "--type", "oidc", "--name", "corp", "--issuer",
                 "https://other.example.com", "--audience", "x"})
            .exit_code == 5);
  CHECK(cli.dev({"providers", "add", "--type", "firebase", "--name", "f", "--project-url",
                 "https://x.supabase.co"})
            .exit_code == 2);
  const auto secret_in_argv =
      cli.dev({"providers", "add", "--type", "supabase", "--name", "s2", "--project-url",
               "https://x.supabase.co", "--jwt-secret", "argv-secret-123"});
  CHECK(secret_in_argv.exit_code == 2);
  CHECK_FALSE(contains(secret_in_argv.err, "argv-secret"));
  CHECK(cli.dev({"providers", "add", "--type", "keycloak", "--name", "k"}).exit_code == 2);

  // A token of the dev identity provider passes its provider and fails another.
  const cs::test::ApiClient api(broker.http_port(), broker.admin_key());
  const auto idp =
      api.post("/v2/dev/idp-token", {{"provider", "clerk"}, {"email", "eve@example.com"}});
  REQUIRE(idp.status == 200);
  const std::string dev_id = idp.body["provider"]["id"];
  const std::string jwt = idp.body["token"];
  const auto valid = cli.dev({"providers", "test", dev_id, "--token", "-"}, jwt + "\n");
  CHECK(valid.exit_code == 0);
  CHECK(valid.out == "valid: eve_example_com@" + broker.org_short_id() + "\n");
  // A refusal that needs no network: the token is not a JWT at all.
  const auto refused = cli.dev({"providers", "test", dev_id, "--token", "abc", "--json"});
  CHECK(refused.exit_code == 1);
  CHECK(parse(refused)["valid"] == false);
  const auto refused_text = cli.dev({"providers", "test", dev_id, "--token", "abc"});
  CHECK(refused_text.exit_code == 1);
  CHECK(refused_text.out == "refused: malformed\n");
  CHECK(cli.dev({"providers", "test", "no-such-provider", "--token", jwt}).exit_code == 4);

  CHECK(cli.dev({"providers", "remove", oidc_id}).exit_code == 2);
  CHECK(cli.dev({"providers", "remove", oidc_id, "--yes"}).exit_code == 0);
  CHECK(cli.dev({"providers", "get", oidc_id}).exit_code == 4);
}

TEST_CASE("management commands fail with the documented exit codes", "[integration][cli][manage]") {
  DevBroker broker(std::vector<std::string>{});
  Cli cli(broker);

  // No credential anywhere: 3, with a hint.
  const auto anonymous = cli.with_key("", {"users", "list"});
  CHECK(anonymous.exit_code == 3);
  CHECK(contains(anonymous.err, "error: not signed in"));
  CHECK(contains(anonymous.err, "hint: "));
  CHECK(anonymous.out.empty());

  const auto wrong = cli.with_key("sk_wrong_key_0123456789", {"keys", "list", "--json"});
  CHECK(wrong.exit_code == 3);
  CHECK(wrong.out.empty());
  CHECK_FALSE(contains(wrong.err, "sk_wrong_key"));

  // Nothing listens: 6.
  const int port = broker.http_port();
  REQUIRE(broker.stop() == 0);
  const auto down = cli.with_key(broker.admin_key(), {"users", "list"});
  CHECK(down.exit_code == 6);
  CHECK(contains(down.err, "error: "));
  INFO("port " << port);

  TempDir empty;
  const auto no_dev =
      run_process({cloudsignal_binary(), "--dev", "--dev-dir", empty.path(), "acl", "list"}, 10s);
  CHECK(no_dev.exit_code == 6);
  CHECK(contains(no_dev.err, "cloudsignal dev"));

  // Usage errors come before any request.
  CHECK(run_process({cloudsignal_binary(), "users"}, 10s).exit_code == 2);
  CHECK(run_process({cloudsignal_binary(), "users", "frobnicate"}, 10s).exit_code == 2);
  const auto help = run_process({cloudsignal_binary(), "keys", "create", "--help"}, 10s);
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "Examples:"));
}
