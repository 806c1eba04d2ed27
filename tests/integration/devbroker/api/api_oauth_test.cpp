// The CLI login through a real socket against `cloudsignal dev`: the sign-in page and its answer,
// the token endpoint, sessions as admin credentials, refresh rotation with reuse detection,
// revocation, refusals, expiry (under libfaketime) and a session surviving a restart.

#include <catch2/catch.hpp>
#include <fstream>

#include "common/crypto/pkce.h"
#include "common/crypto/random.h"
#include "tests/integration/devbroker/api/oauth_login.h"
#include "tests/support/dev_broker.h"

namespace cs::test {
namespace {

// Moves the clock of a broker started with faketime_env(): `offset` like "+301".
struct FakeClock {
  TempDir dir;
  std::string file = dir.path() + "/faketime";
  FakeClock() { set("+0"); }
  void set(const std::string& offset) const { std::ofstream(file) << offset << "\n"; }
  std::map<std::string, std::string> env() const {
    return {{"LD_PRELOAD", CS_LIBFAKETIME},
            {"FAKETIME_TIMESTAMP_FILE", file},
            {"FAKETIME_NO_CACHE", "1"},
            {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}};
  }
};

void check_page_headers(const HttpReply& reply, const std::string& form_origin) {
  CHECK(reply.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(reply.header("Content-Security-Policy") ==
        std::string("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
            .append(form_origin)
            .append("; frame-ancestors 'none'; base-uri 'none'"));
  CHECK(reply.header("X-Frame-Options") == "DENY");
  CHECK(reply.header("Referrer-Policy") == "no-referrer");
  CHECK(reply.header("Cache-Control") == "no-store");
}

}  // namespace

TEST_CASE("oauth: sign in, use the session, refresh, catch a reused refresh token, sign out",
          "[integration][api][oauth]") {
  DevBroker broker{{}};
  OAuthLogin login(broker.http_port());

  auto page = login.page();
  REQUIRE(page.status == 200);
  check_page_headers(page, " http://127.0.0.1:49152");
  CHECK(page.text.find("<form method=\"post\" action=\"/oauth/authorize\">") != std::string::npos);
  CHECK(page.text.find(broker.org_short_id()) != std::string::npos);
  CHECK(page.text.find("developer@localhost") != std::string::npos);
  const std::string request_id = request_id_of(page.text);
  REQUIRE(request_id.size() == 43);

  auto approved = login.answer(request_id, "approve");
  REQUIRE(approved.status == 302);
  const std::string location = approved.header("Location");
  CHECK(location.starts_with(login.redirect_uri + "?code="));
  CHECK(query_param(location, "state") == login.state);
  const std::string code = query_param(location, "code");
  // The form is single use.
  auto again = login.answer(request_id, "approve");
  CHECK(again.status == 400);
  CHECK(again.header("Location").empty());

  auto tokens = login.exchange(code);
  REQUIRE(tokens.status == 200);
  CHECK(tokens.header("Cache-Control") == "no-store");
  CHECK(tokens.header("Pragma") == "no-cache");
  CHECK(tokens.body["token_type"] == "Bearer");
  CHECK(tokens.body["expires_in"] == 3600);
  CHECK(tokens.body["scope"] == "admin");
  const std::string access = tokens.body["access_token"];
  const std::string refresh = tokens.body["refresh_token"];
  CHECK(access.starts_with("csat_"));
  CHECK(refresh.starts_with("csrt_"));

  ApiClient session(broker.http_port(), access);
  auto me = session.get("/v2/me");
  REQUIRE(me.status == 200);
  CHECK(me.body["user"]["email"] == "developer@localhost");
  CHECK(me.body["user"]["id"] == "usr_" + broker.org_short_id().substr(4));
  CHECK(me.body["organization"]["short_id"] == broker.org_short_id());
  CHECK(me.body["credential"] == nlohmann::json{{"kind", "session"}, {"full_access", true}});
  CHECK(session.post("/v2/users", {{"name", "made_by_cli"}}).status == 201);
  CHECK(ApiClient(broker.http_port(), refresh).get("/v2/me").status == 401);

  auto rotated = login.refresh(refresh);
  REQUIRE(rotated.status == 200);
  const std::string access2 = rotated.body["access_token"];
  const std::string refresh2 = rotated.body["refresh_token"];
  CHECK(refresh2 != refresh);
  CHECK(session.get("/v2/me").status == 401);
  CHECK(session.with_bearer(access2).get("/v2/me").status == 200);

  // The old refresh token again: a thief or a confused client; the whole family ends.
  auto reused = login.refresh(refresh);
  CHECK(reused.status == 400);
  CHECK(reused.body["error"] == "invalid_grant");
  CHECK(session.with_bearer(access2).get("/v2/me").status == 401);
  CHECK(login.refresh(refresh2).body["error"] == "invalid_grant");

  // A new login, then logout with its refresh token.
  auto fresh = login.exchange(login.approved_code());
  REQUIRE(fresh.status == 200);
  const std::string access3 = fresh.body["access_token"];
  CHECK(session.with_bearer(access3).get("/v2/me").status == 200);
  auto revoked = login.revoke(fresh.body["refresh_token"]);
  CHECK(revoked.status == 200);
  CHECK(session.with_bearer(access3).get("/v2/me").status == 401);
  CHECK(login.revoke(fresh.body["refresh_token"]).status == 200);
  CHECK(login.revoke("csrt_never_issued").status == 200);
  auto no_token = login.post_form("/oauth/revoke", {{"token_type_hint", "refresh_token"}});
  CHECK(no_token.status == 400);
  CHECK(no_token.body["error"] == "invalid_request");
}

TEST_CASE("oauth: deny sends access_denied back to the CLI", "[integration][api][oauth]") {
  DevBroker broker{{}};
  OAuthLogin login(broker.http_port());
  auto denied = login.answer(request_id_of(login.page().text), "deny");
  REQUIRE(denied.status == 302);
  const std::string location = denied.header("Location");
  CHECK(location.starts_with(login.redirect_uri + "?error=access_denied"));
  CHECK(query_param(location, "state") == login.state);
  CHECK(query_param(location, "code") == "<absent>");
  CHECK(login.answer("", "approve").status == 400);
  CHECK(login.answer(request_id_of(login.page().text), "maybe").status == 400);
}

TEST_CASE("oauth: PKCE mismatch, wrong redirect URI, wrong client, reused and unknown codes",
          "[integration][api][oauth]") {
  DevBroker broker{{}};
  OAuthLogin login(broker.http_port());

  auto fields = login.code_fields(login.approved_code());
  fields["code_verifier"] = crypto::pkce_verifier();
  auto reply = login.post_form("/oauth/token", fields);
  CHECK(reply.status == 400);
  CHECK(reply.body["error"] == "invalid_grant");
  CHECK(reply.body["error_description"] == "code_verifier does not match the code_challenge");
  CHECK(reply.header("Pragma") == "no-cache");

  fields = login.code_fields(login.approved_code());
  fields["redirect_uri"] = "http://127.0.0.1:49153/callback";
  reply = login.post_form("/oauth/token", fields);
  CHECK(reply.body["error"] == "invalid_grant");
  CHECK(reply.body["error_description"] ==
        "redirect_uri differs from the one of the authorization request");

  fields = login.code_fields(login.approved_code());
  fields["client_id"] = "another-app";
  CHECK(login.post_form("/oauth/token", fields).body["error"] == "invalid_client");

  const std::string code = login.approved_code();
  auto first = login.exchange(code);
  REQUIRE(first.status == 200);
  ApiClient session(broker.http_port(), first.body["access_token"]);
  CHECK(session.get("/v2/me").status == 200);
  auto second = login.exchange(code);
  CHECK(second.status == 400);
  CHECK(second.body["error"] == "invalid_grant");
  // What the code gave is revoked with it.
  CHECK(session.get("/v2/me").status == 401);
  CHECK(login.refresh(first.body["refresh_token"]).body["error"] == "invalid_grant");

  CHECK(login.exchange("made-up-code").body["error"] == "invalid_grant");
  CHECK(login.post_form("/oauth/token", {{"grant_type", "password"}}).body["error"] ==
        "unsupported_grant_type");
  CHECK(login.post_form("/oauth/token", {}).body["error"] == "invalid_request");
  reply = ApiClient(broker.http_port())
              .post("/oauth/token", {{"grant_type", "refresh_token"}, {"refresh_token", "x"}});
  CHECK(reply.status == 400);
  CHECK(reply.body["error"] == "invalid_request");  // JSON is not the form RFC 6749 asks for
}

TEST_CASE("oauth: untrusted clients and redirect URIs get an error page, never a redirect",
          "[integration][api][oauth]") {
  DevBroker broker{{}};
  OAuthLogin login(broker.http_port());
  for (const std::string uri :
       {"http://evil.example:8080/callback", "https://127.0.0.1:8080/callback",
        "http://127.0.0.1/callback", "http://192.168.1.10:8080/callback",
        "http://127.0.0.1:8080/callback?next=http://evil.example"}) {
    auto params = login.params();
    params["redirect_uri"] = uri;
    auto reply = login.page(params);
    CHECK(reply.status == 400);
    CHECK(reply.header("Location").empty());
    check_page_headers(reply, "");
    CHECK(reply.text.find("redirect_uri") != std::string::npos);
    CHECK(reply.text.find("<form") == std::string::npos);
  }
  auto params = login.params();
  params["client_id"] = "someone-else";
  auto reply = login.page(params);
  CHECK(reply.status == 400);
  CHECK(reply.header("Location").empty());
  CHECK(reply.text.find("unknown client") != std::string::npos);

  params = login.params();
  params["redirect_uri"] = "http://evil.example:8080/callback";
  auto query = login.authorize_path(params)
                   .append("&redirect_uri=")
                   .append(httplib::detail::encode_query_param(login.redirect_uri));
  reply = ApiClient(broker.http_port()).get(query);
  CHECK(reply.status == 400);
  CHECK(reply.header("Location").empty());
  CHECK(reply.text.find("redirect_uri is repeated") != std::string::npos);

  // A hostile Host header (DNS rebinding) gets no page.
  reply = ApiClient(broker.http_port())
              .raw("GET", login.authorize_path(login.params()), "", "",
                   {{"Host", "rebind.evil.example:" + std::to_string(broker.http_port())}});
  CHECK(reply.status == 403);
  CHECK(reply.text.find("<form") == std::string::npos);
}

TEST_CASE("oauth: a plain or missing PKCE challenge goes back to the CLI as invalid_request",
          "[integration][api][oauth]") {
  DevBroker broker{{}};
  OAuthLogin login(broker.http_port());
  auto params = login.params();
  params["code_challenge_method"] = "plain";
  params["code_challenge"] = login.verifier;
  auto reply = login.page(params);
  REQUIRE(reply.status == 302);
  CHECK(query_param(reply.header("Location"), "error") == "invalid_request");
  CHECK(query_param(reply.header("Location"), "error_description") ==
        "code_challenge_method must be S256 (plain is not accepted)");
  CHECK(query_param(reply.header("Location"), "state") == login.state);
  params = login.params();
  params.erase("code_challenge");
  CHECK(query_param(login.page(params).header("Location"), "error") == "invalid_request");
  params = login.params();
  params["response_type"] = "token";
  CHECK(query_param(login.page(params).header("Location"), "error") == "unsupported_response_type");
}

TEST_CASE("oauth: token failures from one address are slowed down", "[integration][api][oauth]") {
  DevBroker broker{{}};
  OAuthLogin login(broker.http_port());
  int limited = 0;
  HttpReply reply;
  for (int i = 0; i < 20 && limited == 0; ++i) {
    reply = login.exchange("guess-" + std::to_string(i));
    if (reply.status == 429) limited = i;
  }
  REQUIRE(limited >= 10);
  CHECK(reply.body["error"] == "rate_limited");
  CHECK_FALSE(reply.header("Retry-After").empty());
  // Even a good code waits now.
  CHECK(login.exchange(login.approved_code()).status == 429);
}

TEST_CASE("oauth: codes expire after five minutes and access tokens after an hour",
          "[integration][api][oauth]") {
  FakeClock clock;
  DevBroker broker({}, {}, clock.env());
  OAuthLogin login(broker.http_port());

  const std::string late_code = login.approved_code();
  const std::string early_code = login.approved_code();
  auto early = login.exchange(early_code);
  REQUIRE(early.status == 200);
  clock.set("+301");
  auto late = login.exchange(late_code);
  CHECK(late.status == 400);
  CHECK(late.body["error"] == "invalid_grant");

  // The sign-in form expires with the same window.
  const std::string request_id = request_id_of(login.page().text);
  clock.set("+602");
  CHECK(login.answer(request_id, "approve").status == 400);

  ApiClient session(broker.http_port(), early.body["access_token"]);
  CHECK(session.get("/v2/me").status == 200);
  clock.set("+3601");
  CHECK(session.get("/v2/me").status == 401);
  auto refreshed = login.refresh(early.body["refresh_token"]);
  REQUIRE(refreshed.status == 200);
  CHECK(session.with_bearer(refreshed.body["access_token"]).get("/v2/me").status == 200);
}

TEST_CASE("oauth: a CLI session survives a restart of cloudsignal dev",
          "[integration][api][oauth]") {
  TempDir dir;
  std::string access;
  std::string refresh;
  {
    DevBroker broker({}, dir.path());
    OAuthLogin login(broker.http_port());
    auto tokens = login.exchange(login.approved_code());
    REQUIRE(tokens.status == 200);
    access = tokens.body["access_token"];
    refresh = tokens.body["refresh_token"];
    REQUIRE(broker.stop() == 0);
  }
  DevBroker broker({}, dir.path());
  ApiClient session(broker.http_port(), access);
  auto me = session.get("/v2/me");
  REQUIRE(me.status == 200);
  CHECK(me.body["user"]["email"] == "developer@localhost");
  OAuthLogin login(broker.http_port());
  auto rotated = login.refresh(refresh);
  REQUIRE(rotated.status == 200);
  CHECK(session.get("/v2/me").status == 401);
  CHECK(session.with_bearer(rotated.body["access_token"]).get("/v2/me").status == 200);
  // The database holds hashes only.
  const std::string db =
      read_file(dir.path() + "/state.db") + read_file(dir.path() + "/state.db-wal");
  CHECK(db.find(access) == std::string::npos);
  CHECK(db.find(refresh) == std::string::npos);
  CHECK(db.find(std::string(rotated.body["refresh_token"])) == std::string::npos);
}

}  // namespace cs::test
