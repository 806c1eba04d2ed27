// The token exchange end to end over a real store: provider choice, verification, name
// binding, and the MQTT credentials that come out (docs/API.md, docs/IDENTITY.md).

#include "devbroker/auth/provider_service.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <thread>

#include "tests/unit/devbroker/auth/provider_service_fixture.h"

using namespace cs::auth;
using namespace std::chrono_literals;
using cs::test::auth0_claims;
using cs::test::auth0_rs256;
using cs::test::outcome;
using cs::test::service_now;
using cs::test::ServiceFixture;
using cs::test::supabase_claims;
using cs::test::supabase_hs256;
using nlohmann::json;

TEST_CASE("exchange: a Supabase legacy HS256 token becomes MQTT credentials",
          "[provider_service]") {
  ServiceFixture f;
  f.add_supabase();
  auto issued =
      f.exchange(supabase_hs256(supabase_claims("uid-1", "john@example.com")), "supabase");
  REQUIRE(issued);
  const std::string username = "john_example_com@" + f.org.short_id;
  CHECK(issued->mqtt_username == username);
  CHECK(issued->record.provider == "supabase");
  CHECK(issued->record.user_email == "john@example.com");
  CHECK(issued->record.mqtt_name == "john_example_com");
  CHECK(issued->record.expires_at == service_now + 3600s);
  CHECK(issued->secret.starts_with("tkn_"));
  CHECK(f.login(username, issued->secret) == "john_example_com");
}

TEST_CASE("exchange: an Auth0 RS256 token verified with the provider's JWKS",
          "[provider_service]") {
  ServiceFixture f;
  f.add_auth0();
  auto issued = f.exchange(auth0_rs256(auth0_claims("auth0|7", "ann@example.com")), "auth0");
  REQUIRE(issued);
  CHECK(issued->record.provider == "auth0");
  CHECK(issued->mqtt_username == "ann_example_com@" + f.org.short_id);
  CHECK(f.fetcher->requests[std::string(cs::test::k_jwks_url)] == 1);
  // The keys are cached: a second exchange fetches nothing.
  REQUIRE(f.exchange(auth0_rs256(auth0_claims("auth0|8", "bob@example.com")), "auth0"));
  CHECK(f.fetcher->requests[std::string(cs::test::k_jwks_url)] == 1);
}

TEST_CASE("exchange: every provider type through the dev identity provider",
          "[provider_service][dev_idp]") {
  ServiceFixture f;
  for (const char* type : {"supabase", "firebase", "auth0", "clerk", "oidc"}) {
    INFO(type);
    const std::string email = std::string(type) + "@example.com";
    auto minted = f.service->mint_dev_token({type, email, "", 600s}, service_now);
    REQUIRE(minted);
    CHECK(minted->provider_created);
    CHECK(minted->provider.name == std::string("dev-") + type);
    CHECK(minted->provider.dev);
    // Named by type, and inferred from the issuer.
    auto by_type = f.exchange(minted->token, type);
    REQUIRE(by_type);
    CHECK(by_type->record.provider == type);
    CHECK(by_type->record.user_email == email);
    CHECK(by_type->record.mqtt_name == std::string(type) + "_example_com");
    CHECK(by_type->record.expires_at == service_now + 3600s);
    CHECK(f.login(by_type->mqtt_username, by_type->secret) == by_type->record.mqtt_name);
    auto inferred = f.exchange(minted->token);
    REQUIRE(inferred);
    CHECK(inferred->record.mqtt_name == by_type->record.mqtt_name);
  }
  CHECK(f.service->list().size() == 5);
  CHECK(f.fetcher->requests.empty());  // dev providers never fetch keys
}

TEST_CASE("exchange: the provider inferred from the token's issuer", "[provider_service]") {
  ServiceFixture f;
  f.add_supabase();
  f.add_auth0();
  auto supabase = f.exchange(supabase_hs256(supabase_claims("u1", "a@example.com")));
  REQUIRE(supabase);
  CHECK(supabase->record.provider == "supabase");
  auto auth0 = f.exchange(auth0_rs256(auth0_claims("u2", "b@example.com")));
  REQUIRE(auth0);
  CHECK(auth0->record.provider == "auth0");

  json other = supabase_claims("u3", "c@example.com");
  other["iss"] = "https://other.supabase.co/auth/v1";
  CHECK(outcome(f.exchange(supabase_hs256(other))) == "provider_not_found/");
  json no_iss = supabase_claims("u3", "c@example.com");
  no_iss.erase("iss");
  CHECK(outcome(f.exchange(supabase_hs256(no_iss))) == "invalid_token/missing_claim");
  CHECK(outcome(f.exchange("not-a-jwt")) == "invalid_token/malformed");
  CHECK(outcome(f.exchange(std::string(9000, 'a'))) == "invalid_token/too_large");
  CHECK(outcome(f.exchange("")) == "invalid_request/");
  CHECK(f.live_tokens() == 2);
}

TEST_CASE("exchange: the named type decides, and a wrong one refuses", "[provider_service]") {
  ServiceFixture f;
  f.add_supabase();
  const auto firebase =
      f.service->mint_dev_token({"firebase", "a@example.com", "", 600s}, service_now);
  REQUIRE(firebase);
  REQUIRE(f.service->mint_dev_token({"auth0", "b@example.com", "", 600s}, service_now));
  // A Firebase token presented as Auth0's: signed by keys the dev Auth0 trusts, wrong issuer.
  CHECK(outcome(f.exchange(firebase->token, "auth0")) == "invalid_token/bad_issuer");
  // A Supabase HS256 token presented as Firebase's: Firebase has no shared secret.
  CHECK(outcome(f.exchange(supabase_hs256(supabase_claims("u", "c@example.com")), "firebase")) ==
        "invalid_token/unsupported_alg");
  CHECK(outcome(f.exchange(firebase->token, "clerk")) == "provider_not_found/");
  CHECK(outcome(f.exchange(firebase->token, "Firebase")) == "provider_not_found/");
  CHECK(outcome(f.exchange(firebase->token, "")) == "provider_not_found/");
  CHECK(f.live_tokens() == 0);
}

TEST_CASE("exchange: several providers of one type are told apart by issuer",
          "[provider_service]") {
  ServiceFixture f;
  f.add_supabase("prod");
  f.add("supabase", "staging",
        {{"project_url", "https://staging.supabase.co"}, {"jwt_secret", "staging-secret"}});
  json staging = supabase_claims("u1", "a@example.com");
  staging["iss"] = "https://staging.supabase.co/auth/v1";
  auto issued = f.exchange(supabase_hs256(staging, "staging-secret"), "supabase");
  REQUIRE(issued);
  CHECK(issued->record.provider == "supabase");
  REQUIRE(f.exchange(supabase_hs256(supabase_claims("u2", "b@example.com")), "supabase"));
  json neither = staging;
  neither["iss"] = "https://third.supabase.co/auth/v1";
  CHECK(outcome(f.exchange(supabase_hs256(neither, "staging-secret"), "supabase")) ==
        "invalid_token/bad_issuer");
}

TEST_CASE("exchange: a disabled provider accepts nothing", "[provider_service]") {
  ServiceFixture f;
  const auto p = f.add_supabase();
  const auto token = supabase_hs256(supabase_claims("u1", "a@example.com"));
  ProviderPatch off;
  off.enabled = false;
  REQUIRE(f.service->update(p.id, off, service_now));
  CHECK(outcome(f.exchange(token, "supabase")) == "provider_not_found/");
  CHECK(outcome(f.exchange(token)) == "provider_not_found/");
  // The admin can still try tokens against it before enabling it again.
  CHECK(f.service->test(p.id, token, service_now).value().valid);
  ProviderPatch on;
  on.enabled = true;
  REQUIRE(f.service->update(p.id, on, service_now));
  CHECK(outcome(f.exchange(token)) == "ok");
}

TEST_CASE("exchange: integration_id is kept and bounded", "[provider_service]") {
  ServiceFixture f;
  f.add_supabase();
  ExchangeRequest request;
  request.token = supabase_hs256(supabase_claims("u1", "a@example.com"));
  request.integration_id = "web-app";
  auto issued = f.service->exchange(request, service_now);
  REQUIRE(issued);
  CHECK(issued->record.integration_id == "web-app");
  for (std::string bad : {std::string(), std::string(129, 'x'), std::string("a\nb")}) {
    request.integration_id = bad;
    CHECK(outcome(f.service->exchange(request, service_now)) == "invalid_request/");
  }
}

TEST_CASE("exchange: repeated exchanges keep earlier credentials alive", "[provider_service]") {
  ServiceFixture f;
  f.add_supabase();
  const auto token = supabase_hs256(supabase_claims("u1", "a@example.com"));
  auto first = f.exchange(token);
  auto second = f.exchange(token);
  REQUIRE(first);
  REQUIRE(second);
  // Another tab's exchange must not cut this one's session.
  CHECK(f.login(first->mqtt_username, first->secret) == "a_example_com");
  CHECK(f.login(second->mqtt_username, second->secret) == "a_example_com");
}

TEST_CASE("bindings: an identity keeps its first name, another gets a suffix",
          "[provider_service][bindings]") {
  ServiceFixture f;
  const auto supabase = f.add_supabase();
  const auto auth0 = f.add_auth0();
  auto first = f.exchange(supabase_hs256(supabase_claims("uid-1", "john@example.com")));
  REQUIRE(first);
  CHECK(first->record.mqtt_name == "john_example_com");
  // Same identity, new email: the name stays.
  auto again = f.exchange(supabase_hs256(supabase_claims("uid-1", "johnny@example.com")));
  REQUIRE(again);
  CHECK(again->record.mqtt_name == "john_example_com");
  CHECK(again->record.user_email == "johnny@example.com");

  // Same email, another identity (another user of the provider, or another provider).
  auto other_user = f.exchange(supabase_hs256(supabase_claims("uid-2", "john@example.com")));
  auto other_idp = f.exchange(auth0_rs256(auth0_claims("uid-1", "john@example.com")));
  REQUIRE(other_user);
  REQUIRE(other_idp);
  const auto suffix_of = [](const std::string& id, const std::string& sub) {
    return derive_unique_name("john_example_com", {id, sub},
                              [](std::string_view n) { return n == "john_example_com"; })
        .value();
  };
  CHECK(other_user->record.mqtt_name == suffix_of(supabase.id, "uid-2"));
  CHECK(other_idp->record.mqtt_name == suffix_of(auth0.id, "uid-1"));
  CHECK(other_user->record.mqtt_name.size() == std::string("john_example_com_").size() + 8);
  CHECK(other_user->record.mqtt_name != other_idp->record.mqtt_name);
  // And they keep those names.
  CHECK(f.exchange(supabase_hs256(supabase_claims("uid-2", "x@example.com")))->record.mqtt_name ==
        other_user->record.mqtt_name);

  // Bindings are in the store: a new service (a restart) gives the same names.
  f.service = f.open_service(cs::test::shared_dev_idp());
  CHECK(f.exchange(supabase_hs256(supabase_claims("uid-1", "z@example.com")))->record.mqtt_name ==
        "john_example_com");
}

TEST_CASE("bindings: username_claim sub, Firebase's unverified emails, native users",
          "[provider_service][bindings]") {
  ServiceFixture f;
  f.add("supabase", "by-sub",
        {{"project_url", cs::test::k_supabase_url}, {"jwt_secret", cs::test::k_supabase_secret}},
        "sub");
  auto issued = f.exchange(supabase_hs256(supabase_claims("device-42", "a@example.com")));
  REQUIRE(issued);
  CHECK(issued->record.mqtt_name == "device-42");
  CHECK(issued->record.user_email == "a@example.com");
  // A sub that cannot be a name is refused, not mangled.
  CHECK(outcome(f.exchange(supabase_hs256(supabase_claims("a/b", "b@example.com")))) ==
        "invalid_token/bad_identity");

  // A bound name never becomes a native user's.
  auto clash = f.auth->create_user("device-42", std::string("pw-device-42"), service_now);
  REQUIRE(!clash);
  CHECK(clash.error().code == cs::ErrorCode::conflict);
  CHECK(clash.error().message ==
        "the name 'device-42' belongs to an identity signed in through an identity provider");

  // A native MQTT user owns its name against every identity.
  REQUIRE(f.auth->create_user("device-43", std::string("pw-device-43"), service_now));
  auto taken = f.exchange(supabase_hs256(supabase_claims("device-43", "c@example.com")));
  REQUIRE(taken);
  CHECK(taken->record.mqtt_name.starts_with("device-43_"));

  // Firebase names by email only when verified; else by the subject.
  auto verified =
      f.service->mint_dev_token({"firebase", "v@example.com", "fb-1", 600s}, service_now);
  REQUIRE(verified);
  CHECK(f.exchange(verified->token)->record.mqtt_name == "v_example_com");
  const auto dev_key =
      cs::jwt::parse_private_key_pem(cs::test::shared_dev_idp().rsa_pem().value(), "dev-rs256")
          .value();
  const json unverified = {{"iss", "https://securetoken.google.com/cloudsignal-dev"},
                           {"aud", "cloudsignal-dev"},
                           {"sub", "fb-2"},
                           {"email", "v@example.com"},
                           {"email_verified", false},
                           {"auth_time", cs::test::k_service_now - 60},
                           {"iat", cs::test::k_service_now - 60},
                           {"exp", cs::test::k_service_now + 600}};
  auto fb = f.exchange(cs::jwt::sign(cs::jwt::Alg::rs256, dev_key, unverified).value());
  REQUIRE(fb);
  CHECK(fb->record.mqtt_name == "fb-2");
  CHECK(fb->record.user_email == "fb-2");
}

TEST_CASE("exchanges from 8 threads at once", "[provider_service][threads]") {
  ServiceFixture f;
  f.add_supabase();
  const auto dev = f.service->mint_dev_token({"auth0", "seed@example.com", "", 600s}, service_now);
  REQUIRE(dev);
  constexpr int k_threads = 8;
  constexpr int k_per_thread = 12;
  std::vector<std::vector<std::string>> names(k_threads);
  std::vector<int> failures(k_threads, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < k_threads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < k_per_thread; ++i) {
          // Every thread exchanges for the same identity "shared", and for one of its own whose
          // email collides with another thread's identity.
          const std::string sub = i % 2 == 0 ? "shared" : "user-" + std::to_string(t);
          const std::string email = i % 2 == 0 ? "shared@example.com" : "same@example.com";
          const auto token =
              i % 3 == 0 ? f.service->mint_dev_token({"auth0", email, sub, 600s}, service_now)
                               .value()
                               .token
                         : supabase_hs256(supabase_claims(sub, email));
          auto issued = f.exchange(token);
          if (!issued) {
            ++failures[t];
            continue;
          }
          names[t].push_back(issued->record.provider + ":" + sub + "=" + issued->record.mqtt_name);
        }
      });
    }
  }
  CHECK(std::count(failures.begin(), failures.end(), 0) == k_threads);
  // One name per identity, and no name shared by two identities.
  std::map<std::string, std::string> name_of;
  std::map<std::string, std::string> owner_of;
  for (const auto& list : names) {
    for (const auto& entry : list) {
      const auto eq = entry.find('=');
      const std::string identity = entry.substr(0, eq);
      const std::string name = entry.substr(eq + 1);
      CHECK(name_of.emplace(identity, name).first->second == name);
      CHECK(owner_of.emplace(name, identity).first->second == identity);
    }
  }
  CHECK(name_of.size() == 2 * (1 + k_threads));
  CHECK(f.live_tokens() == k_threads * k_per_thread);
}
