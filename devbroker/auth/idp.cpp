#include "devbroker/auth/idp.h"

#include <algorithm>

#include "common/crypto/hash.h"
#include "common/crypto/hex.h"
#include "common/jwt/jws.h"
#include "common/jwt/refusal.h"
#include "common/jwt/sign.h"
#include "common/jwt/verify.h"

namespace cs::auth {
namespace {

using jwt::Refusal;
using nlohmann::json;

constexpr std::size_t k_max_firebase_subject = 128;

bool is_hmac(jwt::Alg alg) {
  return jwt::key_type_for(alg) == jwt::KeyType::hmac;
}

// The identity checks that follow a valid signature and valid registered claims.
Result<VerifiedIdentity> identity_from(const Provider& p, const ProviderRules& rules,
                                       jwt::Claims&& claims) {
  VerifiedIdentity id;
  id.provider_id = p.id;
  id.type = p.type;
  if (!claims.sub || claims.sub->empty()) {
    return jwt::refuse(Refusal::missing_claim, "the token has no subject ('sub')");
  }
  id.subject = *claims.sub;
  const json& c = claims.payload;
  const auto email = c.find("email");
  const bool has_email =
      email != c.end() && email->is_string() && !email->get_ref<const std::string&>().empty();

  switch (p.type) {
    case ProviderType::firebase:
      if (id.subject.size() > k_max_firebase_subject) {
        return jwt::refuse(Refusal::bad_identity,
                           "the Firebase subject is longer than 128 characters");
      }
      if (!claims.auth_time) {
        return jwt::refuse(Refusal::missing_claim, "the Firebase token has no 'auth_time'");
      }
      // Firebase vouches for an email only when it says it verified it.
      if (has_email && c.value("email_verified", false) == true)
        id.email = email->get<std::string>();
      break;
    case ProviderType::supabase:
      if (c.value("is_anonymous", false) == true && !rules.allow_anonymous_users) {
        return jwt::refuse(Refusal::bad_identity,
                           "anonymous Supabase users are not allowed by this provider");
      }
      if (has_email) id.email = email->get<std::string>();
      break;
    default:
      if (has_email) id.email = email->get<std::string>();
      break;
  }
  id.claims = std::move(claims.payload);
  return id;
}

std::string derived_subject(const std::string& email) {
  const auto digest = crypto::sha256(email);
  return "dev_" + crypto::hex_encode(ByteView(digest).first(12));
}

}  // namespace

Result<VerifiedIdentity> IdpVerifier::verify(const Provider& p, std::string_view token,
                                             std::chrono::sys_seconds now,
                                             SteadyTime steady_now) const {
  auto rules = rules_for(p);
  if (!rules) return fail(rules.error());
  return verify(p, *rules, token, now, steady_now);
}

Result<VerifiedIdentity> IdpVerifier::verify(const Provider& p, const ProviderRules& rules,
                                             std::string_view token, std::chrono::sys_seconds now,
                                             SteadyTime steady_now) const {
  auto jws = jwt::parse_jws(token);
  if (!jws) return fail(jws.error());
  return verify(p, rules, std::move(*jws), now, steady_now);
}

Result<VerifiedIdentity> IdpVerifier::verify(const Provider& p, const ProviderRules& rules,
                                             jwt::Jws jws, std::chrono::sys_seconds now,
                                             SteadyTime steady_now) const {
  // Pick the issuer the token claims among the provider's (Clerk has two); a token naming
  // another is refused as bad_issuer by the verifier below.
  const auto iss = jws.payload.find("iss");
  const std::string claimed =
      iss != jws.payload.end() && iss->is_string() ? iss->get<std::string>() : std::string();
  const IssuerRule* issuer = &rules.issuers.front();
  for (const auto& rule : rules.issuers) {
    if (rule.issuer == claimed) issuer = &rule;
  }

  jwt::VerifyOptions options;
  options.issuer = issuer->issuer;
  options.audience = rules.audience;
  options.leeway = rules.leeway;
  options.kid_rule = rules.kid_rule;
  options.authorized_parties = rules.authorized_parties;
  options.allowed_algs = rules.algs;

  const auto token_alg = jwt::alg_from_name(jws.header.alg);
  if (rules.hmac_secret) {
    options.allowed_algs.push_back(jwt::Alg::hs256);
    auto secret = jwt::Key::from_secret(as_bytes(*rules.hmac_secret));
    if (!secret) return fail(secret.error());
    options.keys.push_back(std::move(*secret));
  }
  if (p.dev) {
    if (m_dev == nullptr) {
      return fail(ErrorCode::unavailable,
                  "this provider trusts the dev identity provider, which is not running");
    }
    for (auto& k : m_dev->keys()) options.keys.push_back(k);
  } else if (token_alg && !is_hmac(*token_alg) &&
             std::find(options.allowed_algs.begin(), options.allowed_algs.end(), *token_alg) !=
                 options.allowed_algs.end()) {
    // Fetch only for a token the rules could accept: a bogus alg never costs a request.
    auto keys = m_cache.keys(issuer->keys, jws.header.kid, steady_now);
    if (!keys) return fail(keys.error());
    options.keys.insert(options.keys.end(), keys->begin(), keys->end());
  }

  auto claims = jwt::verify(std::move(jws), options, now);
  if (!claims) return fail(claims.error());
  return identity_from(p, rules, std::move(*claims));
}

Result<std::string> token_issuer(std::string_view token) {
  auto jws = jwt::parse_jws(token);
  if (!jws) return fail(jws.error());
  return token_issuer(*jws);
}

Result<std::string> token_issuer(const jwt::Jws& jws) {
  const auto iss = jws.payload.find("iss");
  if (iss == jws.payload.end() || !iss->is_string()) {
    return jwt::refuse(Refusal::missing_claim,
                       "the token has no issuer ('iss') to choose a provider by");
  }
  return iss->get<std::string>();
}

Result<std::size_t> find_provider_for_token(const std::vector<Provider>& providers,
                                            std::string_view token) {
  auto iss = token_issuer(token);
  if (!iss) return fail(iss.error());
  for (std::size_t i = 0; i < providers.size(); ++i) {
    if (!providers[i].enabled) continue;
    auto rules = rules_for(providers[i]);
    if (!rules) continue;
    for (const auto& rule : rules->issuers) {
      if (rule.issuer == *iss) return i;
    }
  }
  return fail(ErrorCode::provider_not_found, "no enabled provider has the token's issuer " + *iss,
              "name the provider, or add one with this issuer");
}

Result<DevIdentityProvider> DevIdentityProvider::generate() {
  auto rsa = jwt::generate_rsa_key(2048, "dev-rs256");
  if (!rsa) return fail(rsa.error());
  auto ec = jwt::generate_ec_key(jwt::KeyType::ec_p256, "dev-es256");
  if (!ec) return fail(ec.error());
  return DevIdentityProvider(std::move(*rsa), std::move(*ec));
}

Result<DevIdentityProvider> DevIdentityProvider::from_pem(std::string_view rsa_pem,
                                                          std::string_view ec_pem) {
  auto rsa = jwt::parse_private_key_pem(rsa_pem, "dev-rs256");
  if (!rsa) return fail(rsa.error());
  auto ec = jwt::parse_private_key_pem(ec_pem, "dev-es256");
  if (!ec) return fail(ec.error());
  if (rsa->type() != jwt::KeyType::rsa || ec->type() != jwt::KeyType::ec_p256) {
    return fail(ErrorCode::invalid_request,
                "the dev identity provider's saved keys have the wrong types");
  }
  return DevIdentityProvider(std::move(*rsa), std::move(*ec));
}

Result<std::string> DevIdentityProvider::rsa_pem() const {
  return jwt::private_key_pem(m_rsa);
}
Result<std::string> DevIdentityProvider::ec_pem() const {
  return jwt::private_key_pem(m_ec);
}

Result<std::string> DevIdentityProvider::mint(const Provider& p, const MintRequest& request,
                                              std::chrono::sys_seconds now) const {
  auto rules = rules_for(p);
  if (!rules) return fail(rules.error());
  if (request.email.empty() && request.subject.empty()) {
    return fail(ErrorCode::invalid_request, "give an email or a subject for the token");
  }
  if (request.ttl.count() <= 0 || request.ttl > std::chrono::hours(24)) {
    return fail(ErrorCode::invalid_request, "the token's lifetime must be between 1 s and 24 h");
  }
  const std::int64_t iat = now.time_since_epoch().count();
  json claims = {
      {"iss", rules->issuers.front().issuer},
      {"sub", request.subject.empty() ? derived_subject(request.email) : request.subject},
      {"iat", iat},
      {"exp", iat + request.ttl.count()}};
  if (!request.email.empty()) claims["email"] = request.email;
  const auto& aud = rules->audience.values;
  switch (p.type) {
    case ProviderType::supabase:
      claims["aud"] = "authenticated";
      claims["role"] = "authenticated";
      claims["is_anonymous"] = false;
      break;
    case ProviderType::firebase:
      claims["aud"] = aud.front();
      claims["auth_time"] = iat;
      claims["email_verified"] = true;
      claims["user_id"] = claims["sub"];
      break;
    case ProviderType::clerk:
      claims["nbf"] = iat;
      if (rules->authorized_parties) claims["azp"] = rules->authorized_parties->front();
      break;
    case ProviderType::auth0:
    case ProviderType::oidc:
      claims["aud"] = json::array({aud.front()});
      break;
  }
  // A provider given a shared secret gets what such a project issues (Supabase legacy: HS256).
  if (rules->hmac_secret) {
    auto secret = jwt::Key::from_secret(as_bytes(*rules->hmac_secret));
    if (!secret) return fail(secret.error());
    return jwt::sign(jwt::Alg::hs256, *secret, claims, {{"typ", "JWT"}});
  }
  if (p.type == ProviderType::supabase)
    return jwt::sign(jwt::Alg::es256, m_ec, claims, {{"typ", "JWT"}});
  return jwt::sign(jwt::Alg::rs256, m_rsa, claims, {{"typ", "JWT"}});
}

}  // namespace cs::auth
