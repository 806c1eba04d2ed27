#pragma once
// Shared keys, times and helpers for the JWT tests. Key pairs are generated once per run.

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string>
#include <string_view>

#include "common/crypto/base64url.h"
#include "common/crypto/openssl_ptr.h"
#include "common/error.h"
#include "common/jwt/jwk.h"
#include "common/jwt/keys.h"
#include "common/jwt/sign.h"
#include "common/jwt/verify.h"

namespace cs::jwt::testing {

using json = nlohmann::json;

inline constexpr std::int64_t k_now = 1'700'000'000;
inline constexpr std::string_view k_issuer = "https://issuer.example/";
inline constexpr std::string_view k_audience = "cloudsignal";

inline std::chrono::sys_seconds at(std::int64_t seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
}

/// Joins `parts` into one string (instead of operator+ chains).
inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto part : parts) out += part;
  return out;
}

inline std::string b64(std::string_view text) {
  return crypto::base64url_encode(text);
}

/// "ok", or "<error code>/<reason>" of a failed result, so one CHECK asserts both exactly.
template <class T>
std::string outcome(const Result<T>& result) {
  if (result) return "ok";
  return cat({error_code_name(result.error().code), "/", result.error().reason});
}

inline const Key& rsa_key() {
  static const Key key = generate_rsa_key(2048, "rsa-1").value();
  return key;
}
inline const Key& rsa_key_2() {
  static const Key key = generate_rsa_key(2048, "rsa-2").value();
  return key;
}
inline const Key& ec256_key() {
  static const Key key = generate_ec_key(KeyType::ec_p256, "ec-256").value();
  return key;
}
inline const Key& ec384_key() {
  static const Key key = generate_ec_key(KeyType::ec_p384, "ec-384").value();
  return key;
}
inline const Key& hmac_key() {
  static const Key key = Key::from_secret(as_bytes("a-shared-secret-of-thirty-two-bytes!")).value();
  return key;
}

/// The public half of `key` as a provider would publish it: through its JWK.
inline Key published(const Key& key) {
  return parse_jwk(public_jwk(key).value()).value();
}

/// The signing key for `alg` among the shared fixtures.
inline const Key& key_for(Alg alg) {
  switch (key_type_for(alg)) {
    case KeyType::hmac:
      return hmac_key();
    case KeyType::rsa:
      return rsa_key();
    case KeyType::ec_p256:
      return ec256_key();
    case KeyType::ec_p384:
      return ec384_key();
  }
  return hmac_key();
}

inline json good_claims() {
  return {
      {"iss", k_issuer},   {"sub", "user-1"},   {"aud", k_audience},          {"exp", k_now + 3600},
      {"iat", k_now - 10}, {"nbf", k_now - 10}, {"email", "john@example.com"}};
}

/// Options that accept `alg` from the published form of its fixture key (the secret for HMAC).
inline VerifyOptions options_for(Alg alg) {
  VerifyOptions options;
  options.allowed_algs = {alg};
  const Key& key = key_for(alg);
  options.keys = {key.type() == KeyType::hmac ? key : published(key)};
  options.issuer = std::string(k_issuer);
  options.audience = {AudienceMatch::contains_one_of, {std::string(k_audience)}};
  return options;
}

inline std::string mint(Alg alg, const json& claims = good_claims(),
                        const json& header = json::object()) {
  return sign(alg, key_for(alg), claims, header).value();
}

/// The outcome of verifying `token` with `options` at `now`.
inline std::string verify_outcome(std::string_view token, const VerifyOptions& options,
                                  std::int64_t now = k_now) {
  return outcome(verify(token, options, at(now)));
}

/// good_claims() with the members of `changes` set.
inline json claims_with(std::initializer_list<std::pair<const std::string, json>> changes) {
  json claims = good_claims();
  for (const auto& [name, value] : changes) claims[name] = value;
  return claims;
}

/// good_claims() without the member `name`.
inline json claims_without(std::string_view name) {
  json claims = good_claims();
  claims.erase(std::string(name));
  return claims;
}

/// An HS256 token whose payload is exactly `payload_json`, for claims nlohmann would not write.
inline std::string hs256_raw(std::string_view payload_json) {
  return sign_raw(Alg::hs256, hmac_key(), R"({"alg":"HS256","typ":"JWT"})", payload_json).value();
}

/// `token` with its signature segment replaced by `signature_segment`.
inline std::string with_signature(std::string_view token, std::string_view signature_segment) {
  std::string out(token.substr(0, token.rfind('.') + 1));
  out += signature_segment;
  return out;
}

/// A self-signed PEM certificate for `key`, shaped like the ones Google publishes for Firebase.
inline std::string certificate_pem(const Key& key) {
  const crypto::X509Ptr cert(X509_new());
  REQUIRE(cert);
  REQUIRE(X509_set_version(cert.get(), 2) == 1);
  REQUIRE(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1);
  REQUIRE(X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0));
  REQUIRE(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600));
  REQUIRE(X509_set_pubkey(cert.get(), key.pkey()) == 1);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string_view common_name = "securetoken.system.gserviceaccount.com";
  REQUIRE(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, as_bytes(common_name).data(),
                                     static_cast<int>(common_name.size()), -1, 0) == 1);
  REQUIRE(X509_set_issuer_name(cert.get(), name) == 1);
  REQUIRE(X509_sign(cert.get(), key.pkey(), EVP_sha256()) > 0);
  const crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_X509(bio.get(), cert.get()) == 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

/// A real 1024-bit RSA key, made with OpenSSL directly because Key refuses it.
inline EVP_PKEY* weak_rsa_pkey() {
  static const crypto::PkeyPtr pkey(EVP_RSA_gen(1024));
  return pkey.get();
}

/// The public JWK of the 1024-bit key, with key id `kid`.
inline json weak_rsa_jwk(const std::string& kid) {
  const auto member = [](const char* name) {
    BIGNUM* raw = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(weak_rsa_pkey(), name, &raw) == 1);
    const crypto::BignumPtr bn(raw);
    Bytes bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), bytes.data());
    return crypto::base64url_encode(bytes);
  };
  return {{"kty", "RSA"},
          {"kid", kid},
          {"n", member(OSSL_PKEY_PARAM_RSA_N)},
          {"e", member(OSSL_PKEY_PARAM_RSA_E)}};
}

/// A genuine RS256 token over good_claims() signed with the 1024-bit key, naming `kid`.
inline std::string weak_rsa_token(const std::string& kid) {
  const std::string input =
      cat({b64(json{{"alg", "RS256"}, {"kid", kid}}.dump()), ".", b64(good_claims().dump())});
  const crypto::MdCtxPtr md(EVP_MD_CTX_new());
  REQUIRE(EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", nullptr, nullptr, weak_rsa_pkey(),
                                nullptr) == 1);
  std::size_t length = 0;
  const auto data = as_bytes(input);
  REQUIRE(EVP_DigestSign(md.get(), nullptr, &length, data.data(), data.size()) == 1);
  Bytes signature(length);
  REQUIRE(EVP_DigestSign(md.get(), signature.data(), &length, data.data(), data.size()) == 1);
  signature.resize(length);
  return cat({input, ".", crypto::base64url_encode(signature)});
}

}  // namespace cs::jwt::testing
