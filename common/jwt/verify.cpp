#include "common/jwt/verify.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <limits>

#include "common/jwt/refusal.h"
#include "common/jwt/signature.h"

namespace cs::jwt {
namespace {

using json = nlohmann::json;

std::string sentence(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto part : parts) out += part;
  return out;
}

bool is_none(std::string_view name) {
  return name.size() == 4 && std::equal(name.begin(), name.end(), "none", [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

std::int64_t saturating_add(std::int64_t a, std::int64_t non_negative) {
  constexpr auto k_max = std::numeric_limits<std::int64_t>::max();
  return a > k_max - non_negative ? k_max : a + non_negative;
}

// Rule 3: the algorithm comes from our allow-list, and HMAC only with a configured secret,
// public-key algorithms only with public keys.
Result<Alg> choose_alg(const std::string& name, const VerifyOptions& options) {
  if (is_none(name))
    return refuse(Refusal::unsupported_alg,
                  "The token is unsigned (alg none), which is never accepted.");
  const auto alg = alg_from_name(name);
  if (!alg)
    return refuse(Refusal::unsupported_alg,
                  "The token is signed with an algorithm this verifier does not support.");
  const auto& allowed = options.allowed_algs;
  if (std::find(allowed.begin(), allowed.end(), *alg) == allowed.end())
    return refuse(Refusal::unsupported_alg, sentence({"The token is signed with ", alg_name(*alg),
                                                      ", which this provider does not allow."}));
  const bool hmac = key_type_for(*alg) == KeyType::hmac;
  const bool have_kind = std::any_of(options.keys.begin(), options.keys.end(), [&](const Key& k) {
    return (k.type() == KeyType::hmac) == hmac;
  });
  if (!have_kind)
    return refuse(Refusal::unsupported_alg,
                  sentence({"The token is signed with ", alg_name(*alg), ", but this provider has ",
                            hmac ? "no shared secret." : "no public keys."}));
  return *alg;
}

// Why `key` cannot verify `alg`, or nullopt when it can: its type must fit `alg`, and the alg
// and use its JWK was published with, if any, must agree.
std::optional<std::string> unfit_reason(const Key& key, Alg alg) {
  if (key.type() != key_type_for(alg))
    return sentence({"The token's key is ", key_type_phrase(key.type()), ", which cannot verify ",
                     alg_name(alg), "."});
  if (key.jwk_alg() && *key.jwk_alg() != alg_name(alg))
    return sentence(
        {"The token's key is published for an algorithm other than ", alg_name(alg), "."});
  if (key.jwk_use() && *key.jwk_use() != "sig")
    return std::string("The token's key is published for a use other than signatures.");
  return std::nullopt;
}

// Rule 4: the kid is only a lookup key. Without one, exactly one key may be eligible.
Result<std::vector<const Key*>> candidate_keys(Alg alg, const std::optional<std::string>& kid,
                                               const VerifyOptions& options) {
  std::vector<const Key*> eligible;
  for (const auto& key : options.keys)
    if (!unfit_reason(key, alg)) eligible.push_back(&key);
  if (!kid) {
    if (options.kid_rule == KidRule::required)
      return refuse(Refusal::unknown_kid,
                    "The token names no key (kid), which this provider requires.");
    if (eligible.size() == 1) return eligible;
    if (eligible.empty())
      return refuse(Refusal::key_mismatch,
                    sentence({"No configured key can verify ", alg_name(alg), "."}));
    return refuse(
        Refusal::unknown_kid,
        "The token names no key (kid), and more than one configured key could verify it.");
  }
  std::vector<const Key*> named;
  for (const auto& key : options.keys)
    if (key.kid() == *kid) named.push_back(&key);
  if (named.empty()) {
    // A key configured without a kid (a shared secret, a single PEM key) cannot be named by a
    // token, so it answers to any kid, but only when it is the one eligible key without a kid.
    std::vector<const Key*> unnamed;
    for (const Key* key : eligible)
      if (key->kid().empty()) unnamed.push_back(key);
    if (unnamed.size() == 1) return unnamed;
    return refuse(Refusal::unknown_kid, "The token names a key (kid) this provider does not have.");
  }
  std::vector<const Key*> fitting;
  for (const Key* key : named)
    if (!unfit_reason(*key, alg)) fitting.push_back(key);
  if (fitting.empty()) return refuse(Refusal::key_mismatch, *unfit_reason(*named.front(), alg));
  return fitting;
}

// Rule 6: time claims are JSON integers within 64 signed bits; floats, strings, booleans and
// larger numbers are refused.
Result<std::optional<std::int64_t>> time_claim(const json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto value = it->get<std::uint64_t>();
    if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(value);
  } else if (it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  return refuse(Refusal::malformed_claim,
                sentence({"The token's ", name, " claim is not a whole number of seconds."}));
}

Result<std::optional<std::string>> string_claim(const json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end()) return std::nullopt;
  if (!it->is_string())
    return refuse(Refusal::malformed_claim,
                  sentence({"The token's ", name, " claim is not a string."}));
  return it->get<std::string>();
}

Result<std::vector<std::string>> audience_claim(const json& payload) {
  const auto it = payload.find("aud");
  if (it == payload.end()) return std::vector<std::string>{};
  if (it->is_string()) return std::vector<std::string>{it->get<std::string>()};
  const bool strings = it->is_array() && std::all_of(it->begin(), it->end(),
                                                     [](const json& v) { return v.is_string(); });
  if (!strings)
    return refuse(Refusal::malformed_claim,
                  "The token's aud claim is neither a string nor an array of strings.");
  return it->get<std::vector<std::string>>();
}

Result<Claims> read_claims(Jws&& jws) {
  Claims claims;
  const json& payload = jws.payload;
  auto exp = time_claim(payload, "exp");
  if (!exp) return fail(exp.error());
  if (!*exp) return refuse(Refusal::missing_claim, "The token has no expiry (exp) claim.");
  claims.exp = **exp;
  for (auto [name, field] : {std::pair{"nbf", &claims.nbf}, std::pair{"iat", &claims.iat},
                             std::pair{"auth_time", &claims.auth_time}}) {
    auto value = time_claim(payload, name);
    if (!value) return fail(value.error());
    *field = *value;
  }
  for (auto [name, field] : {std::pair{"iss", &claims.iss}, std::pair{"sub", &claims.sub},
                             std::pair{"azp", &claims.azp}}) {
    auto value = string_claim(payload, name);
    if (!value) return fail(value.error());
    *field = std::move(*value);
  }
  auto aud = audience_claim(payload);
  if (!aud) return fail(aud.error());
  claims.aud = std::move(*aud);
  claims.header = std::move(jws.header);
  claims.payload = std::move(jws.payload);
  return claims;
}

Result<void> check_audience(const Claims& claims, const AudienceRule& rule) {
  if (rule.match == AudienceMatch::not_checked) return {};
  const auto aud = claims.payload.find("aud");
  if (aud == claims.payload.end())
    return refuse(Refusal::missing_claim, "The token has no audience (aud) claim.");
  if (rule.match == AudienceMatch::equals) {
    if (rule.values.size() != 1 || !aud->is_string() || aud->get<std::string>() != rule.values[0])
      return refuse(Refusal::bad_audience,
                    "The token's audience (aud) is not exactly this provider's audience.");
    return {};
  }
  const bool named = std::any_of(claims.aud.begin(), claims.aud.end(), [&](const std::string& a) {
    return std::find(rule.values.begin(), rule.values.end(), a) != rule.values.end();
  });
  if (!named)
    return refuse(Refusal::bad_audience,
                  "The token's audience (aud) does not include this provider's audience.");
  return {};
}

Result<void> check_recipient(const Claims& claims, const VerifyOptions& options) {
  if (options.issuer) {
    if (!claims.iss) return refuse(Refusal::missing_claim, "The token has no issuer (iss) claim.");
    if (*claims.iss != *options.issuer)
      return refuse(
          Refusal::bad_issuer,
          sentence({"The token was not issued by this provider's issuer, ", *options.issuer, "."}));
  }
  auto audience = check_audience(claims, options.audience);
  if (!audience) return audience;
  if (options.authorized_parties) {
    const auto& parties = *options.authorized_parties;
    if (!claims.azp)
      return refuse(Refusal::bad_azp,
                    "The token names no authorized party (azp), which this provider requires.");
    if (std::find(parties.begin(), parties.end(), *claims.azp) == parties.end())
      return refuse(Refusal::bad_azp,
                    "The token's authorized party (azp) is not one this provider accepts.");
  }
  return {};
}

// RFC 7519 section 4.1.4: a token must not be accepted on or after its exp, so with leeway it
// is refused from exp + leeway on; nbf, iat and auth_time may be up to leeway in the future.
Result<void> check_times(const Claims& claims, std::int64_t leeway, std::int64_t now) {
  if (now >= saturating_add(claims.exp, leeway))
    return refuse(Refusal::expired, "The token has expired.");
  const std::int64_t latest = saturating_add(now, leeway);
  if (claims.nbf && *claims.nbf > latest)
    return refuse(Refusal::not_yet_valid, "The token is not valid yet: its nbf is in the future.");
  if (claims.iat && *claims.iat > latest)
    return refuse(Refusal::iat_future, "The token says it was issued in the future (iat).");
  if (claims.auth_time && *claims.auth_time > latest)
    return refuse(Refusal::iat_future,
                  "The token says its user signed in in the future (auth_time).");
  return {};
}

}  // namespace

// Order of evaluation; each step refuses before the next runs, so no claim is read from a token
// whose signature has not been checked:
//   1. size, then syntax and header (parse_jws): too_large, malformed, crit_unsupported
//   2. algorithm, from our allow-list and the kinds of key we hold: unsupported_alg
//   3. key, by kid: unknown_kid, key_mismatch
//   4. signature: bad_signature
//   5. claim presence and types: missing_claim (exp), malformed_claim
//   6. whom the token is for: bad_issuer, bad_audience, bad_azp (missing_claim for iss, aud)
//   7. time, last, so that `expired`, which invites a refresh, is only said of a token that is
//      otherwise good: expired, not_yet_valid, iat_future
Result<Claims> verify(std::string_view token, const VerifyOptions& options,
                      std::chrono::sys_seconds now) {
  auto jws = parse_jws(token, options.max_token_size);
  if (!jws) return fail(jws.error());
  return verify(std::move(*jws), options, now);
}

Result<Claims> verify(Jws jws, const VerifyOptions& options, std::chrono::sys_seconds now) {
  auto alg = choose_alg(jws.header.alg, options);
  if (!alg) return fail(alg.error());
  auto keys = candidate_keys(*alg, jws.header.kid, options);
  if (!keys) return fail(keys.error());
  const ByteView input = as_bytes(jws.signing_input);
  const bool signed_by_us = std::any_of(keys->begin(), keys->end(), [&](const Key* key) {
    return check_signature(*alg, *key, input, jws.signature);
  });
  if (!signed_by_us)
    return refuse(Refusal::bad_signature,
                  "The token's signature does not verify with this provider's key.");
  auto claims = read_claims(std::move(jws));
  if (!claims) return claims;
  auto recipient = check_recipient(*claims, options);
  if (!recipient) return fail(recipient.error());
  const std::int64_t leeway = std::max<std::int64_t>(options.leeway.count(), 0);
  auto times = check_times(*claims, leeway, now.time_since_epoch().count());
  if (!times) return fail(times.error());
  return claims;
}

}  // namespace cs::jwt
