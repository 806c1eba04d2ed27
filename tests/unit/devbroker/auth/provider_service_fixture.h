#pragma once
// A ProviderService over a real SQLite store in a temporary directory, an AuthService for its
// organization, keys served from memory, and helpers to mint provider-shaped tokens.

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/jwt/jwk.h"
#include "common/jwt/sign.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/auth/provider_service.h"
#include "tests/support/process.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"
#include "tests/unit/devbroker/auth/fake_fetcher.h"

namespace cs::test {

using nlohmann::json;

inline constexpr std::int64_t k_service_now = 1'900'000'000;
inline const SysSeconds service_now{std::chrono::seconds(k_service_now)};
inline constexpr std::string_view k_supabase_secret = "super-secret-jwt-token-with-32-chars";
inline constexpr std::string_view k_supabase_url = "https://abc.supabase.co";
inline constexpr std::string_view k_supabase_issuer = "https://abc.supabase.co/auth/v1";
inline constexpr std::string_view k_auth0_issuer = "https://acme.auth0.com/";
inline constexpr std::string_view k_jwks_url = "http://127.0.0.1:1/jwks";

/// One dev identity provider per run: RSA key generation is slow.
inline const auth::DevIdentityProvider& shared_dev_idp() {
  static const auth::DevIdentityProvider idp = auth::DevIdentityProvider::generate().value();
  return idp;
}

/// "ok", or "<error code>/<reason>" (the reason may be empty).
template <class T>
std::string outcome(const Result<T>& result) {
  if (result) return "ok";
  std::string out(error_code_name(result.error().code));
  out.append("/").append(result.error().reason);
  return out;
}

inline json supabase_claims(const std::string& sub, const std::string& email) {
  return {{"iss", k_supabase_issuer},   {"sub", sub},
          {"aud", "authenticated"},     {"email", email},
          {"role", "authenticated"},    {"iat", k_service_now - 10},
          {"exp", k_service_now + 3600}};
}

inline json auth0_claims(const std::string& sub, const std::string& email) {
  return {{"iss", k_auth0_issuer},
          {"sub", sub},
          {"aud", json::array({"https://api.acme"})},
          {"email", email},
          {"iat", k_service_now - 10},
          {"exp", k_service_now + 3600}};
}

/// A Supabase legacy token: HS256 with the project's JWT secret.
inline std::string supabase_hs256(const json& claims, std::string_view secret = k_supabase_secret) {
  const auto key = jwt::Key::from_secret(as_bytes(secret)).value();
  return jwt::sign(jwt::Alg::hs256, key, claims, {{"typ", "JWT"}}).value();
}

/// An Auth0-shaped RS256 token signed with the fixture key "rsa-1" (served at k_jwks_url).
inline std::string auth0_rs256(const json& claims, const jwt::Key& key = jwt::testing::rsa_key()) {
  return jwt::sign(jwt::Alg::rs256, key, claims).value();
}

struct ServiceFixture {
  TempDir dir;
  store::Store store = store::open_store(dir.path(), store::Ephemeral::no).value();
  store::OrgRecord org = store.bootstrap(service_now).value().org;
  std::unique_ptr<auth::AuthService> auth;
  FakeFetcher* fetcher = nullptr;  // owned by the service
  std::unique_ptr<auth::ProviderService> service;

  ServiceFixture() {
    auth::AuthOptions options;
    options.bcrypt_cost = 4;
    auth = std::make_unique<auth::AuthService>(store, org, options);
    REQUIRE(auth->load());
    service = open_service(shared_dev_idp());
  }

  std::unique_ptr<auth::ProviderService> open_service(const auth::DevIdentityProvider& dev) {
    auto fake = std::make_unique<FakeFetcher>();
    fake->docs[std::string(k_jwks_url)] = {
        jwt::public_jwks({jwt::testing::rsa_key(), jwt::testing::ec256_key()}).value().dump(),
        {},
        false};
    fetcher = fake.get();
    auth::ProviderServiceOptions options;
    options.fetcher = std::move(fake);
    options.dev_idp = dev;
    options.steady_clock = [] { return auth::SteadyTime{} + std::chrono::hours(1000); };
    return auth::ProviderService::open(store, *auth, std::move(options)).value();
  }

  store::ProviderRecord add(const std::string& type, const std::string& name, json config,
                            std::string username_claim = "email", bool dev = false) {
    auth::NewProvider p;
    p.type = type;
    p.name = name;
    p.config = std::move(config);
    p.username_claim = std::move(username_claim);
    p.dev = dev;
    return service->create(p, service_now).value();
  }

  store::ProviderRecord add_supabase(const std::string& name = "supabase") {
    return add("supabase", name,
               {{"project_url", k_supabase_url}, {"jwt_secret", k_supabase_secret}});
  }

  store::ProviderRecord add_auth0(const std::string& name = "auth0") {
    return add(
        "auth0", name,
        {{"domain", "acme.auth0.com"}, {"audience", "https://api.acme"}, {"jwks_uri", k_jwks_url}});
  }

  Result<auth::AuthService::IssuedToken> exchange(const std::string& token,
                                                  std::optional<std::string> type = {},
                                                  SysSeconds now = service_now) {
    auth::ExchangeRequest request;
    request.provider = std::move(type);
    request.token = token;
    return service->exchange(request, now);
  }

  /// The name the broker gives an MQTT client logging in with `username` and `password`, or
  /// "refused".
  std::string login(const std::string& username, const std::string& password) {
    mqtt::ConnectRequest request;
    request.client_id = "c1";
    request.username = username;
    request.password = Bytes(password.begin(), password.end());
    request.peer = "127.0.0.1:5000";
    std::string name = "no decision";
    auth->authenticate(request, service_now, [&](mqtt::AuthDecision d) {
      name = d.accepted ? d.identity->name : "refused";
    });
    return name;
  }

  std::size_t live_tokens() { return auth->list_tokens(service_now).value().size(); }
};

}  // namespace cs::test
