#include "devbroker/store/oauth_repository.h"

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/store_test_support.h"

using namespace cs::store;
using cs::ErrorCode;
using cs::test::at;
using cs::test::error_of;
using cs::test::TestStore;

namespace {

OAuthSessionRecord session(const std::string& id, std::int64_t created, std::int64_t expires) {
  return OAuthSessionRecord{id,      "cloudsignal-cli", "usr_1",    "developer@localhost",
                            "admin", at(created),       at(expires)};
}

OAuthTokenRecord token(const std::string& hash, const std::string& session_id, OAuthTokenKind kind,
                       std::int64_t expires) {
  return OAuthTokenRecord{hash, session_id, kind, at(expires), std::nullopt};
}

std::size_t session_count(TestStore& t) {
  return t.repos().oauth.list_sessions().value().size();
}

}  // namespace

TEST_CASE("oauth sessions: insert, find tokens with their session, conflicts", "[store]") {
  TestStore t;
  auto& oauth = t.repos().oauth;
  REQUIRE(oauth.insert_session(session("s1", 100, 1000)));
  REQUIRE(oauth.insert_token(token("a1", "s1", OAuthTokenKind::access, 200)));
  REQUIRE(oauth.insert_token(token("r1", "s1", OAuthTokenKind::refresh, 1000)));
  auto found = oauth.find_token("a1").value();
  REQUIRE(found);
  CHECK(found->token == token("a1", "s1", OAuthTokenKind::access, 200));
  CHECK(found->session == session("s1", 100, 1000));
  CHECK(oauth.find_token("r1").value()->token.kind == OAuthTokenKind::refresh);
  CHECK_FALSE(oauth.find_token("nope").value());

  CHECK(error_of(oauth.insert_session(session("s1", 1, 2))).message ==
        "a session with id s1 already exists");
  CHECK(error_of(oauth.insert_token(token("a1", "s1", OAuthTokenKind::access, 1))).message ==
        "a token with the same secret already exists");
  auto orphan = oauth.insert_token(token("x", "missing", OAuthTokenKind::access, 1));
  CHECK(error_of(orphan).code == ErrorCode::not_found);
  CHECK(error_of(orphan).message == "no session with id missing");
}

TEST_CASE("oauth sessions: a refresh token is exchanged once", "[store]") {
  TestStore t;
  auto& oauth = t.repos().oauth;
  REQUIRE(oauth.insert_session(session("s1", 100, 1000)));
  REQUIRE(oauth.insert_token(token("a1", "s1", OAuthTokenKind::access, 200)));
  REQUIRE(oauth.insert_token(token("r1", "s1", OAuthTokenKind::refresh, 1000)));
  REQUIRE(oauth.mark_rotated("r1", at(150)));
  CHECK(oauth.find_token("r1").value()->token.rotated_at == at(150));
  CHECK(error_of(oauth.mark_rotated("r1", at(160))).code == ErrorCode::not_found);
  CHECK(error_of(oauth.mark_rotated("a1", at(160))).code == ErrorCode::not_found);
  CHECK(oauth.delete_access_tokens("s1").value() == 1);
  CHECK_FALSE(oauth.find_token("a1").value());
  REQUIRE(oauth.set_session_expiry("s1", at(5000)));
  CHECK(oauth.find_token("r1").value()->session.expires_at == at(5000));
  CHECK(error_of(oauth.set_session_expiry("s2", at(1))).code == ErrorCode::not_found);
}

TEST_CASE("oauth sessions: deleting a session deletes its tokens", "[store]") {
  TestStore t;
  auto& oauth = t.repos().oauth;
  REQUIRE(oauth.insert_session(session("s1", 100, 1000)));
  REQUIRE(oauth.insert_session(session("s2", 100, 1000)));
  REQUIRE(oauth.insert_token(token("a1", "s1", OAuthTokenKind::access, 200)));
  REQUIRE(oauth.insert_token(token("a2", "s2", OAuthTokenKind::access, 200)));
  CHECK(oauth.delete_session("s1").value());
  CHECK_FALSE(oauth.delete_session("s1").value());
  CHECK_FALSE(oauth.find_token("a1").value());
  CHECK(oauth.find_token("a2").value());
}

TEST_CASE("oauth sessions: expired rows go, limits keep the newest", "[store]") {
  TestStore t;
  auto& oauth = t.repos().oauth;
  REQUIRE(oauth.insert_session(session("s1", 100, 500)));
  REQUIRE(oauth.insert_session(session("s2", 101, 2000)));
  REQUIRE(oauth.insert_token(token("a1", "s1", OAuthTokenKind::access, 200)));
  REQUIRE(oauth.insert_token(token("a2", "s2", OAuthTokenKind::access, 300)));
  REQUIRE(oauth.insert_token(token("r2", "s2", OAuthTokenKind::refresh, 2000)));
  CHECK(oauth.delete_expired(at(300)).value() == 2);  // a1, a2
  CHECK(oauth.find_token("r2").value());
  CHECK(oauth.delete_expired(at(500)).value() == 1);  // s1
  CHECK(session_count(t) == 1);

  for (int i = 0; i < 5; ++i) {
    const std::string hash = "old" + std::to_string(i);
    REQUIRE(oauth.insert_token(token(hash, "s2", OAuthTokenKind::refresh, 2000)));
    REQUIRE(oauth.mark_rotated(hash, at(600 + i)));
  }
  CHECK(oauth.trim_rotated("s2", 2).value() == 3);
  CHECK_FALSE(oauth.find_token("old2").value());
  CHECK(oauth.find_token("old3").value());
  CHECK(oauth.find_token("old4").value());
  CHECK(oauth.find_token("r2").value());  // not exchanged: kept

  REQUIRE(oauth.insert_session(session("s3", 102, 2000)));
  REQUIRE(oauth.insert_session(session("s4", 103, 2000)));
  CHECK(oauth.trim_sessions(2).value() == 1);
  CHECK(oauth.list_sessions().value() ==
        std::vector<OAuthSessionRecord>{session("s3", 102, 2000), session("s4", 103, 2000)});
  CHECK_FALSE(oauth.find_token("r2").value());
}

TEST_CASE("oauth sessions survive reopening the database", "[store]") {
  cs::test::TempDir dir;
  {
    auto store = open_store(dir.path(), Ephemeral::no).value();
    REQUIRE(store.repos().oauth.insert_session(session("s1", 100, 1000)));
    REQUIRE(store.repos().oauth.insert_token(token("a1", "s1", OAuthTokenKind::access, 200)));
  }
  auto store = open_store(dir.path(), Ephemeral::no).value();
  CHECK(store.repos().oauth.find_token("a1").value()->session.id == "s1");
}
