// The CLI's OAuth flow decided without HTTP, over a real (in-memory) store: authorization
// requests, codes with PKCE, refresh rotation with reuse detection, revocation and the
// principals access tokens stand for.

#include "devbroker/api/oauth_service.h"

#include <catch2/catch.hpp>

#include "common/crypto/pkce.h"
#include "tests/support/process.h"

using namespace cs::api;
using cs::SysSeconds;

namespace {

const SysSeconds t0{std::chrono::seconds(1'900'000'000)};
constexpr std::string_view k_redirect = "http://127.0.0.1:54321/callback";

SysSeconds after(std::int64_t seconds) {
  return t0 + std::chrono::seconds(seconds);
}

// The value of `name` in the query of `location`, as it stands (still encoded).
std::string query_value(const std::string& location, const std::string& name) {
  const auto query = location.find('?');
  REQUIRE(query != std::string::npos);
  std::string rest = location.substr(query + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    if (pair.starts_with(name + "=")) return pair.substr(name.size() + 1);
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
  }
  return "<absent>";
}

struct Fixture {
  cs::test::TempDir dir;
  cs::store::Store store = cs::store::open_store(dir.path(), cs::store::Ephemeral::yes).value();
  cs::store::OrgRecord org = store.bootstrap(t0).value().org;
  cs::auth::AuthService auth{store, org, {}};
  std::unique_ptr<OAuthService> oauth;
  std::string verifier = cs::crypto::pkce_verifier();

  explicit Fixture(OAuthOptions options = {}) {
    oauth = std::make_unique<OAuthService>(auth, local_account(org), options);
  }

  AuthorizeParams params() const {
    return {"code",
            std::string(k_cli_client_id),
            std::string(k_redirect),
            cs::crypto::pkce_challenge_s256(verifier),
            "S256",
            "state-123",
            std::nullopt};
  }

  // An approved request's code.
  std::string code_at(SysSeconds now) {
    auto pending = oauth->begin(params(), now);
    REQUIRE(pending);
    auto location = oauth->decide(pending->id, Decision::approve, now);
    REQUIRE(location);
    return query_value(*location, "code");
  }

  std::map<std::string, std::string> code_form(const std::string& code) const {
    return {{"grant_type", "authorization_code"},
            {"code", code},
            {"redirect_uri", std::string(k_redirect)},
            {"client_id", std::string(k_cli_client_id)},
            {"code_verifier", verifier}};
  }

  TokenGrant login(SysSeconds now) {
    auto grant = oauth->token(code_form(code_at(now)), now);
    REQUIRE(grant);
    return *grant;
  }

  OAuthResult<TokenGrant> refresh(const std::string& token, SysSeconds now) {
    return oauth->token({{"grant_type", "refresh_token"}, {"refresh_token", token}}, now);
  }

  bool works(const std::string& access_token, SysSeconds now) {
    return oauth->resolve(access_token, now).has_value();
  }
};

// The refusal of `result`, which must have failed.
template <class T>
AuthorizeRefusal refusal(const AuthorizeResult<T>& result) {
  REQUIRE_FALSE(result);
  return result.error();
}

template <class T>
std::string oauth_error(const OAuthResult<T>& result) {
  if (result) return "<succeeded>";
  return std::string(oauth_error_name(result.error().code)) + ": " + result.error().description;
}

}  // namespace

TEST_CASE("oauth: a good authorization request waits for an answer", "[api][oauth]") {
  Fixture f;
  auto pending = f.oauth->begin(f.params(), t0);
  REQUIRE(pending);
  CHECK(pending->id.size() == 43);
  CHECK(pending->redirect_uri == k_redirect);
  CHECK(pending->redirect_origin == "http://127.0.0.1:54321");
  CHECK(pending->scope == "admin");
  CHECK(pending->state == "state-123");
  CHECK(pending->expires_at == after(300));
  CHECK(f.oauth->pending_count() == 1);
  auto scoped = f.params();
  scoped.scope = "admin";
  CHECK(f.oauth->begin(scoped, t0));
  CHECK(f.oauth->begin(f.params(), t0)->id != pending->id);
}

TEST_CASE("oauth: an untrusted client or redirect URI gets a page, never a redirect",
          "[api][oauth]") {
  Fixture f;
  auto p = f.params();
  p.client_id = std::nullopt;
  CHECK(refusal(f.oauth->begin(p, t0)).message == "The request names no client (client_id).");
  p.client_id = "someone-else";
  CHECK(refusal(f.oauth->begin(p, t0)).message == "The request names an unknown client.");
  p = f.params();
  p.redirect_uri = std::nullopt;
  CHECK(refusal(f.oauth->begin(p, t0)).message == "The request has no redirect_uri.");
  for (const char* uri : {"https://evil.example/cb", "http://evil.example:80/cb",
                          "http://127.0.0.1/cb", "http://127.0.0.1:8080/cb?x=1"}) {
    p.redirect_uri = uri;
    // Even with other mistakes, nothing goes to an untrusted redirect URI.
    p.code_challenge_method = "plain";
    const auto refused = refusal(f.oauth->begin(p, t0));
    CHECK_FALSE(refused.redirect);
    CHECK(refused.message.starts_with("The redirect_uri "));
  }
  CHECK(f.oauth->pending_count() == 0);
}

TEST_CASE("oauth: other mistakes go back to the trusted redirect URI with the state",
          "[api][oauth]") {
  Fixture f;
  const auto redirect_of = [&](auto change) {
    auto p = f.params();
    change(p);
    const auto refused = refusal(f.oauth->begin(p, t0));
    REQUIRE(refused.redirect);
    CHECK(refused.redirect->starts_with(std::string(k_redirect) + "?error="));
    return *refused.redirect;
  };
  auto location = redirect_of([](AuthorizeParams& p) { p.code_challenge_method = "plain"; });
  CHECK(query_value(location, "error") == "invalid_request");
  CHECK(query_value(location, "error_description") ==
        "code_challenge_method%20must%20be%20S256%20%28plain%20is%20not%20accepted%29");
  CHECK(query_value(location, "state") == "state-123");
  location = redirect_of([](AuthorizeParams& p) { p.code_challenge_method = std::nullopt; });
  CHECK(query_value(location, "error") == "invalid_request");
  location = redirect_of([](AuthorizeParams& p) { p.code_challenge = std::nullopt; });
  CHECK(query_value(location, "error") == "invalid_request");
  location = redirect_of([](AuthorizeParams& p) { p.code_challenge = "too-short"; });
  CHECK(query_value(location, "error") == "invalid_request");
  location = redirect_of([](AuthorizeParams& p) { p.code_challenge = std::string(43, '+'); });
  CHECK(query_value(location, "error") == "invalid_request");
  location = redirect_of([](AuthorizeParams& p) { p.response_type = "token"; });
  CHECK(query_value(location, "error") == "unsupported_response_type");
  location = redirect_of([](AuthorizeParams& p) { p.response_type = std::nullopt; });
  CHECK(query_value(location, "error") == "invalid_request");
  location = redirect_of([](AuthorizeParams& p) { p.scope = "admin read"; });
  CHECK(query_value(location, "error") == "invalid_scope");
  location = redirect_of([](AuthorizeParams& p) { p.state = std::nullopt; });
  CHECK(query_value(location, "error") == "invalid_request");
  CHECK(query_value(location, "state") == "<absent>");
  location = redirect_of([](AuthorizeParams& p) { p.state = std::string(513, 's'); });
  CHECK(query_value(location, "state") == "<absent>");
  CHECK(f.oauth->pending_count() == 0);
}

TEST_CASE("oauth: approve redirects with an encoded code and state, deny with access_denied",
          "[api][oauth]") {
  Fixture f;
  auto p = f.params();
  p.state = "a b&c=d/é";
  auto pending = f.oauth->begin(p, t0);
  REQUIRE(pending);
  auto location = f.oauth->decide(pending->id, Decision::approve, after(10));
  REQUIRE(location);
  CHECK(location->starts_with(std::string(k_redirect) + "?code="));
  CHECK(query_value(*location, "code").size() == 43);
  CHECK(query_value(*location, "state") == "a%20b%26c%3Dd%2F%C3%A9");
  CHECK(f.oauth->code_count() == 1);

  pending = f.oauth->begin(f.params(), t0);
  location = f.oauth->decide(pending->id, Decision::deny, t0);
  REQUIRE(location);
  CHECK(query_value(*location, "error") == "access_denied");
  CHECK(query_value(*location, "state") == "state-123");
  CHECK(query_value(*location, "code") == "<absent>");
  CHECK(f.oauth->code_count() == 1);
}

TEST_CASE("oauth: a pending request is answered once, before it expires", "[api][oauth]") {
  Fixture f;
  const std::string gone =
      "This sign-in request is unknown, was answered already or has expired. Run `cloudsignal "
      "login` again.";
  auto pending = f.oauth->begin(f.params(), t0);
  REQUIRE(f.oauth->decide(pending->id, Decision::deny, t0));
  CHECK(refusal(f.oauth->decide(pending->id, Decision::approve, t0)).message == gone);
  CHECK_FALSE(refusal(f.oauth->decide(pending->id, Decision::approve, t0)).redirect);
  CHECK(refusal(f.oauth->decide("made-up", Decision::approve, t0)).message == gone);
  CHECK(refusal(f.oauth->decide("", Decision::approve, t0)).message == gone);

  pending = f.oauth->begin(f.params(), t0);
  CHECK(refusal(f.oauth->decide(pending->id, Decision::approve, after(300))).message == gone);
  pending = f.oauth->begin(f.params(), t0);
  CHECK(f.oauth->decide(pending->id, Decision::approve, after(299)));
}

TEST_CASE("oauth: a code and its PKCE verifier give tokens that act as the local account",
          "[api][oauth]") {
  Fixture f;
  auto grant = f.oauth->token(f.code_form(f.code_at(t0)), after(5));
  REQUIRE(grant);
  CHECK(grant->access_token.starts_with("csat_"));
  CHECK(grant->access_token.size() == 5 + 43);
  CHECK(grant->refresh_token.starts_with("csrt_"));
  CHECK(grant->refresh_token.size() == 5 + 43);
  CHECK(grant->expires_in == std::chrono::seconds(3600));
  CHECK(grant->scope == "admin");

  auto principal = f.oauth->resolve(grant->access_token, after(5));
  REQUIRE(principal);
  CHECK(principal->kind == Principal::Kind::session);
  CHECK(principal->id == "session:" + grant->session_id);
  CHECK(principal->full_access);
  CHECK(principal->user_email == "developer@localhost");
  CHECK(principal->user_id == "usr_" + f.org.short_id.substr(4));
  // The refresh token is no admin credential, and nothing else is either.
  CHECK(f.oauth->resolve(grant->refresh_token, after(5)).error().code ==
        cs::ErrorCode::unauthorized);
  CHECK_FALSE(f.oauth->resolve("csat_" + std::string(43, 'A'), after(5)));
  CHECK_FALSE(f.oauth->resolve(grant->access_token.substr(5), after(5)));

  // Only hashes are stored.
  auto sessions = f.store.repos().oauth.list_sessions().value();
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].user_email == "developer@localhost");
  CHECK_FALSE(f.store.repos().oauth.find_token(grant->access_token).value());
}

TEST_CASE("oauth: a wrong PKCE verifier gets nothing and spends the code", "[api][oauth]") {
  Fixture f;
  const std::string code = f.code_at(t0);
  auto form = f.code_form(code);
  form["code_verifier"] = cs::crypto::pkce_verifier();
  CHECK(oauth_error(f.oauth->token(form, t0)) ==
        "invalid_grant: code_verifier does not match the code_challenge");
  CHECK(oauth_error(f.oauth->token(f.code_form(code), t0)) ==
        "invalid_grant: the authorization code is unknown, used already or expired");
  form["code_verifier"] = "short";
  CHECK(oauth_error(f.oauth->token(form, t0)) ==
        "invalid_request: code_verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~");
  // The challenge itself is no verifier.
  Fixture g;
  auto challenge_form = g.code_form(g.code_at(t0));
  challenge_form["code_verifier"] = cs::crypto::pkce_challenge_s256(g.verifier);
  CHECK(oauth_error(g.oauth->token(challenge_form, t0)) ==
        "invalid_grant: code_verifier does not match the code_challenge");
  CHECK(g.store.repos().oauth.list_sessions().value().empty());
}

TEST_CASE("oauth: codes live five minutes", "[api][oauth]") {
  Fixture f;
  CHECK(f.oauth->token(f.code_form(f.code_at(t0)), after(299)));
  CHECK(oauth_error(f.oauth->token(f.code_form(f.code_at(t0)), after(300))) ==
        "invalid_grant: the authorization code is unknown, used already or expired");
  CHECK(oauth_error(f.oauth->token(f.code_form(f.code_at(t0)), after(301))) ==
        "invalid_grant: the authorization code is unknown, used already or expired");
}

TEST_CASE("oauth: a code presented again is refused and revokes what it gave", "[api][oauth]") {
  Fixture f;
  const std::string code = f.code_at(t0);
  auto grant = f.oauth->token(f.code_form(code), t0);
  REQUIRE(grant);
  CHECK(f.works(grant->access_token, t0));
  CHECK(oauth_error(f.oauth->token(f.code_form(code), after(1))) ==
        "invalid_grant: the authorization code is unknown, used already or expired");
  CHECK_FALSE(f.works(grant->access_token, after(1)));
  CHECK_FALSE(f.refresh(grant->refresh_token, after(1)));
  CHECK(f.store.repos().oauth.list_sessions().value().empty());
}

TEST_CASE("oauth: the code is bound to its redirect URI and client", "[api][oauth]") {
  Fixture f;
  auto form = f.code_form(f.code_at(t0));
  form["redirect_uri"] = "http://127.0.0.1:54322/callback";
  CHECK(oauth_error(f.oauth->token(form, t0)) ==
        "invalid_grant: redirect_uri differs from the one of the authorization request");
  form = f.code_form(f.code_at(t0));
  form["redirect_uri"] = std::string(k_redirect) + "/";
  CHECK(oauth_error(f.oauth->token(form, t0)).starts_with("invalid_grant: redirect_uri"));
  form = f.code_form(f.code_at(t0));
  form["client_id"] = "other-client";
  CHECK(oauth_error(f.oauth->token(form, t0)) == "invalid_client: unknown client_id");
  // That refusal came before the code was looked at: it still works.
  form["client_id"] = std::string(k_cli_client_id);
  CHECK(f.oauth->token(form, t0));
}

TEST_CASE("oauth: malformed token requests", "[api][oauth]") {
  Fixture f;
  CHECK(oauth_error(f.oauth->token({}, t0)) == "invalid_request: grant_type is missing");
  CHECK(oauth_error(f.oauth->token({{"grant_type", "password"}}, t0)) ==
        "unsupported_grant_type: grant_type must be authorization_code or refresh_token");
  for (const char* name : {"code", "redirect_uri", "client_id", "code_verifier"}) {
    const std::string missing = std::string("invalid_request: ").append(name).append(" is missing");
    auto form = f.code_form("whatever");
    form.erase(name);
    CHECK(oauth_error(f.oauth->token(form, t0)) == missing);
    form[name] = "";
    CHECK(oauth_error(f.oauth->token(form, t0)) == missing);
  }
  auto form = f.code_form(std::string(513, 'c'));
  CHECK(oauth_error(f.oauth->token(form, t0)) == "invalid_request: code is too long");
  CHECK(oauth_error(f.oauth->token({{"grant_type", "refresh_token"}}, t0)) ==
        "invalid_request: refresh_token is missing");
}

TEST_CASE("oauth: refresh rotates both tokens", "[api][oauth]") {
  Fixture f;
  const auto first = f.login(t0);
  auto second = f.refresh(first.refresh_token, after(600));
  REQUIRE(second);
  CHECK(second->session_id == first.session_id);
  CHECK(second->refresh_token != first.refresh_token);
  CHECK(second->access_token != first.access_token);
  CHECK(f.works(second->access_token, after(600)));
  CHECK_FALSE(f.works(first.access_token, after(600)));
  // Refreshing keeps the session going past the first refresh token's life.
  auto third = f.refresh(second->refresh_token, after(30 * 24 * 3600 - 1));
  REQUIRE(third);
  CHECK(f.refresh(third->refresh_token, after(30 * 24 * 3600 + 600)));

  CHECK(oauth_error(f.refresh("csrt_" + std::string(43, 'x'), t0)) ==
        "invalid_grant: the refresh token is unknown, revoked or expired; sign in again");
  CHECK(oauth_error(f.refresh(first.access_token, t0)).starts_with("invalid_grant"));
  CHECK(oauth_error(f.oauth->token(
            {{"grant_type", "refresh_token"}, {"refresh_token", "x"}, {"client_id", "other"}},
            t0)) == "invalid_client: unknown client_id");
  CHECK(oauth_error(f.oauth->token(
            {{"grant_type", "refresh_token"}, {"refresh_token", "x"}, {"scope", "root"}}, t0)) ==
        "invalid_scope: the only scope is admin");
}

TEST_CASE("oauth: a rotated refresh token presented again revokes the whole family",
          "[api][oauth]") {
  Fixture f;
  const auto first = f.login(t0);
  const auto other = f.login(t0);  // another login, unaffected
  auto second = f.refresh(first.refresh_token, after(10));
  REQUIRE(second);
  CHECK(oauth_error(f.refresh(first.refresh_token, after(20))) ==
        "invalid_grant: the refresh token was used already, so its session is revoked; sign in "
        "again");
  CHECK_FALSE(f.works(second->access_token, after(20)));
  CHECK(oauth_error(f.refresh(second->refresh_token, after(20))).starts_with("invalid_grant"));
  CHECK(f.works(other.access_token, after(20)));
  CHECK(f.store.repos().oauth.list_sessions().value().size() == 1);
}

TEST_CASE("oauth: tokens expire", "[api][oauth]") {
  OAuthOptions options;
  options.sessions.access_ttl = std::chrono::seconds(3600);
  options.sessions.refresh_ttl = std::chrono::seconds(7200);
  Fixture f(options);
  const auto grant = f.login(t0);
  CHECK(f.works(grant.access_token, after(3599)));
  CHECK_FALSE(f.works(grant.access_token, after(3600)));
  CHECK(oauth_error(f.refresh(grant.refresh_token, after(7200))) ==
        "invalid_grant: the refresh token is unknown, revoked or expired; sign in again");
  // The next login sweeps what expired.
  f.login(after(7200));
  CHECK(f.store.repos().oauth.list_sessions().value().size() == 1);
}

TEST_CASE("oauth: revoking either token ends the session, unknown tokens are fine",
          "[api][oauth]") {
  Fixture f;
  auto grant = f.login(t0);
  REQUIRE(f.oauth->revoke(grant.refresh_token));
  CHECK_FALSE(f.works(grant.access_token, t0));
  CHECK_FALSE(f.refresh(grant.refresh_token, t0));

  grant = f.login(t0);
  REQUIRE(f.oauth->revoke(grant.access_token));
  CHECK_FALSE(f.works(grant.access_token, t0));
  CHECK_FALSE(f.refresh(grant.refresh_token, t0));

  CHECK(f.oauth->revoke(grant.access_token));  // again
  CHECK(f.oauth->revoke("csat_unknown"));
  CHECK(f.oauth->revoke("sk_live_not_ours"));
  CHECK(f.store.repos().oauth.list_sessions().value().empty());
}

TEST_CASE("oauth: pending requests, codes and sessions are bounded", "[api][oauth]") {
  OAuthOptions options;
  options.max_pending_requests = 8;
  options.max_codes = 4;
  options.sessions.max_sessions = 3;
  Fixture f(options);
  auto first = f.oauth->begin(f.params(), t0);
  for (int i = 1; i <= 100; ++i) REQUIRE(f.oauth->begin(f.params(), after(i)));
  CHECK(f.oauth->pending_count() == 8);
  // The oldest request made room for the flood.
  CHECK_FALSE(f.oauth->decide(first->id, Decision::approve, after(101)));

  const std::string oldest_code = f.code_at(after(101));
  for (int i = 0; i < 10; ++i) f.code_at(after(102));
  CHECK(f.oauth->code_count() == 4);
  CHECK_FALSE(f.oauth->token(f.code_form(oldest_code), after(103)));

  const auto oldest = f.login(after(103));
  for (int i = 0; i < 3; ++i) f.login(after(104 + i));
  CHECK(f.store.repos().oauth.list_sessions().value().size() == 3);
  CHECK_FALSE(f.works(oldest.access_token, after(110)));
}

TEST_CASE("oauth: a session lives on in the store for a new service", "[api][oauth]") {
  Fixture f;
  const auto grant = f.login(t0);
  OAuthService restarted(f.auth, local_account(f.org));
  CHECK(restarted.resolve(grant.access_token, after(60)));
  auto refreshed = restarted.token(
      {{"grant_type", "refresh_token"}, {"refresh_token", grant.refresh_token}}, after(60));
  REQUIRE(refreshed);
  CHECK(restarted.resolve(refreshed->access_token, after(60))->user_email == "developer@localhost");
}

TEST_CASE("oauth: the local account is derived from the org", "[api][oauth]") {
  cs::store::OrgRecord org;
  org.short_id = "org_k7xm4pqr2n5t";
  const auto account = local_account(org);
  CHECK(account.id == "usr_k7xm4pqr2n5t");
  CHECK(account.email == "developer@localhost");
}
