// Token writes through the auth service's group-commit writer, over a real SQLite file: each
// call returns once its write is committed, concurrent calls share commits, and a write or a
// commit that fails issues nothing and leaves the tokens as they were.

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "devbroker/auth/auth_service.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::ErrorCode;
using cs::SysSeconds;
using cs::auth::AuthService;

namespace {

const SysSeconds t0{std::chrono::seconds(1'900'000'000)};

struct Fixture {
  cs::test::TempDir dir;
  cs::store::Store store = cs::store::open_store(dir.path(), cs::store::Ephemeral::no).value();
  cs::store::OrgRecord org = store.bootstrap(t0).value().org;
  // A connection of its own, as another process would have: it sees only committed rows.
  cs::store::Database other = store.database().reopen().value();
  std::unique_ptr<AuthService> auth;

  Fixture() {
    cs::auth::AuthOptions options;
    options.bcrypt_cost = 4;
    auth = std::make_unique<AuthService>(store, org, options);
    REQUIRE(auth->load());
  }

  AuthService::IssuedToken create(const std::string& email) {
    AuthService::TokenRequest request;
    request.user_email = email;
    return auth->create_token(request, t0).value();
  }

  // Whether a client presenting `token`'s credentials is let in now.
  bool accepts(const AuthService::IssuedToken& token) {
    cs::mqtt::ConnectRequest request;
    request.client_id = "c";
    request.username = token.mqtt_username;
    request.password = cs::Bytes(token.secret.begin(), token.secret.end());
    bool accepted = false;
    auth->authenticate(request, t0 + 1s, [&](cs::mqtt::AuthDecision d) { accepted = d.accepted; });
    return accepted;
  }

  // Whether the row of `token` is committed, as another connection reads it.
  bool committed(const AuthService::IssuedToken& token) {
    cs::store::TokenRepository tokens(other);
    auto found = tokens.find_by_hash(cs::auth::token_hash(token.secret)).value();
    return found && !found->revoked_at;
  }
};

}  // namespace

TEST_CASE("concurrent token creations share commits, each committed when it returns",
          "[auth][tokens][durable]") {
  Fixture f;
  constexpr int k_threads = 8;
  constexpr int k_each = 25;
  std::atomic<int> visible{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&f, &visible, t] {
      // Each reader a connection of its own: it sees a token only once it is committed.
      cs::store::Database mine = f.store.database().reopen().value();
      cs::store::TokenRepository reader(mine);
      for (int i = 0; i < k_each; ++i) {
        AuthService::TokenRequest request;
        request.user_email = "u" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        auto issued = f.auth->create_token(request, t0);
        if (issued && reader.find(issued->record.id).value()) ++visible;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(visible == k_threads * k_each);
  f.auth->flush_writes();  // the writer counts a batch once its callbacks have run
  const auto stats = f.auth->write_stats();
  CHECK(stats.writes == k_threads * k_each);
  CHECK(stats.failed_batches == 0);
  CHECK(stats.batches < stats.writes);  // commits were shared
}

TEST_CASE("a token write that fails issues nothing and keeps the replaced token",
          "[auth][tokens][durable]") {
  Fixture f;
  const auto first = f.create("ann@example.com");
  REQUIRE(f.accepts(first));
  REQUIRE(
      f.other.execute_script("CREATE TRIGGER refuse_tokens BEFORE INSERT ON tokens "
                             "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"));
  AuthService::TokenRequest request;
  request.user_email = "ann@example.com";  // replace_existing: would revoke `first`
  const auto refused = f.auth->create_token(request, t0 + 1s);
  REQUIRE_FALSE(refused);
  // The revocation was part of the failed write: undone with it.
  CHECK(f.accepts(first));
  CHECK(f.committed(first));
  CHECK(f.auth->list_tokens(t0 + 1s).value().size() == 1);

  REQUIRE(f.other.execute_script("DROP TRIGGER refuse_tokens"));
  const auto second = f.create("ann@example.com");
  CHECK(f.accepts(second));
  CHECK_FALSE(f.accepts(first));
}

TEST_CASE("a commit that cannot happen answers an error and leaves no token",
          "[auth][tokens][durable]") {
  Fixture f;
  const auto kept = f.create("kept@example.com");
  // Another process holds the write lock past the busy timeout: the writer's batch fails.
  REQUIRE(f.other.execute_script("BEGIN EXCLUSIVE"));
  AuthService::TokenRequest request;
  request.user_email = "lost@example.com";
  const auto refused = f.auth->create_token(request, t0);
  REQUIRE_FALSE(refused);
  CHECK((refused.error().code == ErrorCode::io || refused.error().code == ErrorCode::unavailable));
  REQUIRE(f.other.execute_script("ROLLBACK"));

  CHECK(f.accepts(kept));
  const auto tokens = f.auth->list_tokens(t0).value();
  REQUIRE(tokens.size() == 1);
  CHECK(tokens.front().user_email == "kept@example.com");
  // The writer lives on.
  CHECK(f.accepts(f.create("later@example.com")));
}

TEST_CASE("refreshes racing with one password: exactly one wins", "[auth][tokens][durable]") {
  Fixture f;
  const auto token = f.create("ann@example.com");
  constexpr int k_racers = 8;
  std::atomic<int> won{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < k_racers; ++i) {
    threads.emplace_back([&] {
      auto refreshed = f.auth->refresh_token(token.record.id, token.secret, t0 + 10s);
      if (refreshed) {
        ++won;
      } else if (refreshed.error().code == ErrorCode::invalid_token) {
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(won == 1);
  CHECK(refused == k_racers - 1);
  CHECK_FALSE(f.accepts(token));
}

TEST_CASE("key uses are counted on the writer and seen by the next listing", "[auth][keys]") {
  Fixture f;
  const auto key = f.auth->create_key("k", cs::auth::KeyType::secret, {}, {}, t0).value();
  for (int i = 0; i < 3; ++i) {
    std::atomic<bool> ok{false};
    f.auth->verify_api_key(
        key.secret, "127.0.0.1:1", t0,
        [&](cs::Result<AuthService::KeyAccess> access) { ok = access.has_value(); });
    // The first check runs bcrypt on a worker; wait for it.
    for (int wait = 0; wait < 500 && !ok; ++wait) std::this_thread::sleep_for(10ms);
    REQUIRE(ok);
  }
  CHECK(f.auth->list_keys().value().front().use_count == 3);
}
