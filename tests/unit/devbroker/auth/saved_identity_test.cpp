// The sender of a stored will as the auth stack saves it: every member the access checks read
// comes back, and damaged text is refused rather than read as a weaker or stronger identity.

#include "devbroker/auth/saved_identity.h"

#include <catch2/catch.hpp>

using cs::ErrorCode;
using cs::auth::ClientIdentity;
using cs::auth::restore_identity;
using cs::auth::save_identity;
using cs::auth::Scope;
using cs::auth::ScopeKind;

namespace {

const cs::mqtt::TopicLimits k_limits{1024, 32};

}  // namespace

TEST_CASE("saved identities: what the access checks read comes back", "[auth][will]") {
  ClientIdentity key;
  key.name = "svc";
  key.username = "svc@org_abcdefghijkl";
  key.kind = "api_key";
  key.credential_id = "key:k_1";
  key.scopes = {Scope{ScopeKind::publish, "devices/+/state"}, Scope{ScopeKind::read, ""}};
  const std::string text = save_identity(key);
  CHECK(text.find("devices/+/state") != std::string::npos);
  const auto back = restore_identity(text, k_limits).value();
  CHECK(back->name == "svc");
  CHECK(back->username == key.username);
  CHECK(back->kind == "api_key");
  CHECK(back->credential_id == "key:k_1");
  CHECK_FALSE(back->anonymous);
  CHECK_FALSE(back->full_access);
  CHECK(back->scopes == key.scopes);

  ClientIdentity anonymous;
  anonymous.anonymous = true;
  anonymous.kind = "anonymous";
  CHECK(restore_identity(save_identity(anonymous), k_limits).value()->anonymous);

  ClientIdentity full;
  full.kind = "api_key";
  full.full_access = true;
  CHECK(restore_identity(save_identity(full), k_limits).value()->full_access);
}

TEST_CASE("saved identities: damaged text is refused", "[auth][will]") {
  for (const char* text :
       {"", "not json", "[]", "{}",
        R"({"name":"a","username":"a","anonymous":false,"kind":"user","credential_id":"user:a",)"
        R"("full_access":"yes","scopes":[]})",
        R"({"name":"a","username":"a","anonymous":false,"kind":"api_key","credential_id":"k",)"
        R"("full_access":false,"scopes":["publish:a/#/b"]})"}) {
    INFO(text);
    const auto restored = restore_identity(text, k_limits);
    REQUIRE_FALSE(restored);
    CHECK(restored.error().code == ErrorCode::io);
    CHECK(restored.error().message.starts_with("the saved identity is damaged: "));
  }
}
