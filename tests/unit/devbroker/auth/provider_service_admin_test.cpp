// The provider routes' service: create, read, update, delete with validation; the test route;
// the dev identity provider's tokens.

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/auth/provider_service_fixture.h"

using namespace cs::auth;
using namespace std::chrono_literals;
using cs::test::outcome;
using cs::test::service_now;
using cs::test::ServiceFixture;
using cs::test::supabase_claims;
using cs::test::supabase_hs256;
using nlohmann::json;

namespace {

NewProvider supabase(const std::string& name, json config) {
  NewProvider p;
  p.type = "supabase";
  p.name = name;
  p.config = std::move(config);
  return p;
}

std::string message_of(const cs::Result<cs::store::ProviderRecord>& r) {
  return r ? "ok" : r.error().message;
}

}  // namespace

TEST_CASE("providers: created, read, listed, deleted", "[provider_service][crud]") {
  ServiceFixture f;
  const auto created = f.add_supabase("main");
  CHECK(created.id.starts_with("prv_"));
  CHECK(created.id.size() == 20);
  CHECK(created.type == "supabase");
  CHECK(created.enabled);
  CHECK(created.username_claim == "email");
  CHECK_FALSE(created.dev);
  CHECK(created.created_at == service_now);
  CHECK(f.service->get(created.id).value() == created);
  CHECK(f.store.repos().providers.find(created.id).value() == created);
  f.add_auth0("second");
  REQUIRE(f.service->list().size() == 2);

  REQUIRE(f.service->remove(created.id));
  CHECK(outcome(f.service->get(created.id)) == "provider_not_found/");
  CHECK(outcome(f.service->remove(created.id)) == "provider_not_found/");
  CHECK(f.service->list().size() == 1);
  CHECK(outcome(f.exchange(supabase_hs256(supabase_claims("u", "a@example.com")))) ==
        "provider_not_found/");
  CHECK(outcome(f.service->get("prv_nope")) == "provider_not_found/");
}

TEST_CASE("providers: what create refuses", "[provider_service][crud]") {
  ServiceFixture f;
  const json good = {{"project_url", "https://abc.supabase.co"}};
  CHECK(message_of(f.service->create(supabase("", good), service_now)) ==
        "'name' must be 1 to 64 bytes without control characters");
  CHECK(message_of(f.service->create(supabase(std::string(65, 'n'), good), service_now)) ==
        "'name' must be 1 to 64 bytes without control characters");
  CHECK(message_of(f.service->create(supabase("a\tb", good), service_now)) ==
        "'name' must be 1 to 64 bytes without control characters");
  NewProvider bad_type = supabase("x", good);
  bad_type.type = "okta";
  CHECK(message_of(f.service->create(bad_type, service_now)) ==
        "'type' must be one of supabase, firebase, auth0, clerk, oidc (not 'okta')");
  NewProvider bad_claim = supabase("x", good);
  bad_claim.username_claim = "name";
  CHECK(message_of(f.service->create(bad_claim, service_now)) ==
        "'username_claim' must be \"email\" or \"sub\"");
  CHECK(message_of(f.service->create(supabase("x", json::object()), service_now)) ==
        "a provider of type supabase needs 'project_url' in its config");
  CHECK(message_of(f.service->create(supabase("x", {{"project_url", "http://abc.supabase.co"}}),
                                     service_now))
            .starts_with("'project_url': "));
  CHECK(message_of(f.service->create(supabase("x", {{"project_url", "https://a"}, {"x", 1}}),
                                     service_now)) ==
        "unknown field 'x' in the config of a supabase provider");
  CHECK(
      message_of(f.service->create(
          supabase("x", {{"project_url", "https://a.co"}, {"jwt_secret", std::string(17000, 's')}}),
          service_now)) == "'config' must be at most 16384 bytes of JSON");
  CHECK(outcome(f.service->create(supabase("", good), service_now)) == "invalid_request/");
  CHECK(f.service->list().empty());
}

TEST_CASE("providers: names are unique, and their number bounded", "[provider_service][crud]") {
  ServiceFixture f;
  f.add_supabase("main");
  const auto again =
      f.service->create(supabase("main", {{"project_url", "https://b.co"}}), service_now);
  CHECK(outcome(again) == "conflict/");
  CHECK(again.error().message == "an identity provider named 'main' already exists");
  for (std::size_t i = 1; i < k_max_providers; ++i) {
    REQUIRE(f.service->create(supabase("p" + std::to_string(i), {{"project_url", "https://b.co"}}),
                              service_now));
  }
  CHECK(outcome(f.service->create(supabase("one-more", {{"project_url", "https://b.co"}}),
                                  service_now)) == "conflict/");
}

TEST_CASE("providers: PATCH changes only what it names", "[provider_service][crud]") {
  ServiceFixture f;
  const auto p = f.add_supabase("main");
  f.add_auth0("other");
  const auto later = service_now + 60s;

  ProviderPatch rename;
  rename.name = "renamed";
  auto renamed = f.service->update(p.id, rename, later).value();
  CHECK(renamed.name == "renamed");
  CHECK(renamed.config == p.config);
  CHECK(renamed.enabled);
  CHECK(renamed.created_at == service_now);
  CHECK(renamed.updated_at == later);

  // The config is merged: the secret, never shown, survives an edit of another field.
  ProviderPatch url;
  url.config = json{{"project_url", "https://new.supabase.co"}};
  auto moved = f.service->update(p.id, url, later).value();
  CHECK(moved.config["project_url"] == "https://new.supabase.co");
  CHECK(moved.config["jwt_secret"] == cs::test::k_supabase_secret);
  json new_claims = supabase_claims("u", "a@example.com");
  new_claims["iss"] = "https://new.supabase.co/auth/v1";
  CHECK(outcome(f.exchange(supabase_hs256(new_claims))) == "ok");
  // null removes a field.
  ProviderPatch drop;
  drop.config = json{{"jwt_secret", nullptr}};
  CHECK_FALSE(f.service->update(p.id, drop, later).value().config.contains("jwt_secret"));

  ProviderPatch taken;
  taken.name = "other";
  CHECK(outcome(f.service->update(p.id, taken, later)) == "conflict/");
  ProviderPatch retype;
  retype.type = "auth0";
  CHECK(f.service->update(p.id, retype, later).error().message ==
        "'type' of a provider cannot be changed");
  retype.type = "supabase";
  CHECK(f.service->update(p.id, retype, later));
  ProviderPatch broken;
  broken.config = json{{"project_url", nullptr}};
  CHECK(f.service->update(p.id, broken, later).error().message ==
        "a provider of type supabase needs 'project_url' in its config");
  ProviderPatch claim;
  claim.username_claim = "phone";
  CHECK(outcome(f.service->update(p.id, claim, later)) == "invalid_request/");
  // Refused patches change nothing.
  CHECK(f.service->get(p.id).value().config["project_url"] == "https://new.supabase.co");
  CHECK(f.store.repos().providers.find(p.id).value()->name == "renamed");
  CHECK(outcome(f.service->update("prv_nope", rename, later)) == "provider_not_found/");
}

TEST_CASE("providers: the lists' two views", "[provider_service][crud]") {
  ServiceFixture f;
  const auto on = f.add_supabase("on");
  const auto off = f.add_auth0("off");
  ProviderPatch disable;
  disable.enabled = false;
  REQUIRE(f.service->update(off.id, disable, service_now));

  const json pub = f.service->list_json(ProviderView::public_view);
  CHECK(pub == json{{"providers",
                     {{{"id", on.id}, {"type", "supabase"}, {"name", "on"}, {"enabled", true}}}}});
  const json admin = f.service->list_json(ProviderView::admin_view);
  REQUIRE(admin["providers"].size() == 2);
  for (const auto& item : admin["providers"]) {
    CHECK(item == to_admin_json(f.service->get(item["id"].get<std::string>()).value()));
    CHECK(item["enabled"] == (item["id"] == on.id));
  }
  CHECK(to_admin_json(on)["secrets_set"] == json::array({"jwt_secret"}));
  CHECK(admin.dump().find(cs::test::k_supabase_secret) == std::string::npos);
}

TEST_CASE("test: says what an exchange would give, and issues nothing",
          "[provider_service][test_route]") {
  ServiceFixture f;
  const auto p = f.add_supabase();
  auto result =
      f.service->test(p.id, supabase_hs256(supabase_claims("u1", "a@example.com")), service_now);
  REQUIRE(result);
  CHECK(result->valid);
  CHECK(result->mqtt_username == "a_example_com@" + f.org.short_id);
  CHECK(result->claims["sub"] == "u1");
  CHECK(result->to_json() == json{{"valid", true},
                                  {"claims", result->claims},
                                  {"mqtt_username", "a_example_com@" + f.org.short_id}});
  CHECK(f.live_tokens() == 0);
  CHECK_FALSE(f.store.repos().bindings.find_by_name("a_example_com").value());

  json expired = supabase_claims("u1", "a@example.com");
  expired["exp"] = cs::test::k_service_now - 100;
  auto refused = f.service->test(p.id, supabase_hs256(expired), service_now);
  REQUIRE(refused);
  CHECK_FALSE(refused->valid);
  CHECK(refused->reason == "expired");
  CHECK(refused->claims["exp"] == expired["exp"]);  // as decoded, to show why
  CHECK_FALSE(refused->mqtt_username);
  const json body = refused->to_json();
  CHECK(body["reason"] == "expired");
  CHECK_FALSE(body.contains("mqtt_username"));
  CHECK(f.service->test(p.id, "garbage", service_now).value().reason == "malformed");
  CHECK(outcome(f.service->test("prv_nope", "garbage", service_now)) == "provider_not_found/");

  // Once bound, the test shows the bound name, suffixes included.
  REQUIRE(f.exchange(supabase_hs256(supabase_claims("u1", "a@example.com"))));
  auto other =
      f.service->test(p.id, supabase_hs256(supabase_claims("u2", "a@example.com")), service_now);
  CHECK(other.value().mqtt_username.value().starts_with("a_example_com_"));
}

TEST_CASE("dev tokens: the provider is found or made once", "[provider_service][dev_idp]") {
  ServiceFixture f;
  auto first = f.service->mint_dev_token({"supabase", "a@example.com", "", 600s}, service_now);
  REQUIRE(first);
  CHECK(first->provider_created);
  CHECK(first->provider.name == "dev-supabase");
  CHECK(first->provider.config == json{{"project_url", "https://dev-project.supabase.co"}});
  auto second = f.service->mint_dev_token({"supabase", "b@example.com", "", 600s}, service_now);
  REQUIRE(second);
  CHECK_FALSE(second->provider_created);
  CHECK(second->provider.id == first->provider.id);
  // By id and by name too.
  CHECK(f.service->mint_dev_token({first->provider.id, "c@example.com", "", 60s}, service_now));
  CHECK(f.service->mint_dev_token({"dev-supabase", "c@example.com", "", 60s}, service_now));
  CHECK(f.service->list().size() == 1);

  // A real provider does not trust dev tokens, so none is minted for it.
  const auto real = f.add_auth0("real");
  CHECK(
      f.service->mint_dev_token({"real", "a@example.com", "", 60s}, service_now).error().message ==
      "the provider 'real' does not trust the dev identity provider");
  CHECK(outcome(f.service->mint_dev_token({"okta", "a@example.com", "", 60s}, service_now)) ==
        "provider_not_found/");
  CHECK(outcome(f.service->mint_dev_token({"clerk", "", "", 60s}, service_now)) ==
        "invalid_request/");
  CHECK(outcome(f.service->mint_dev_token({"clerk", "a@example.com", "", 48h}, service_now)) ==
        "invalid_request/");

  // A dev token of the right shape, refused by the real provider of that type.
  auto dev_auth0 = f.service->mint_dev_token({"auth0", "a@example.com", "", 60s}, service_now);
  REQUIRE(dev_auth0);
  CHECK(dev_auth0->provider.name == "dev-auth0");
  CHECK(f.service->test(real.id, dev_auth0->token, service_now).value().reason == "unknown_kid");
  CHECK(f.service->test(dev_auth0->provider.id, dev_auth0->token, service_now).value().valid);
}

TEST_CASE("dev tokens: a name taken by another provider is a conflict",
          "[provider_service][dev_idp]") {
  ServiceFixture f;
  f.add("auth0", "dev-clerk",
        {{"domain", "acme.auth0.com"}, {"audience", "a"}, {"jwks_uri", cs::test::k_jwks_url}});
  CHECK(outcome(f.service->mint_dev_token({"clerk", "a@example.com", "", 60s}, service_now)) ==
        "conflict/");
  CHECK(outcome(f.service->mint_dev_token({"firebase", "a@example.com", "", 60s}, service_now)) ==
        "ok");
}
