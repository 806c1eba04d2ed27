#include "common/jwt/jwk.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include "common/crypto/base64url.h"
#include "common/crypto/openssl_ptr.h"

namespace cs::jwt {
namespace {

using crypto::BignumPtr;
using crypto::ParamBldPtr;
using crypto::ParamPtr;
using crypto::PkeyCtxPtr;
using crypto::PkeyPtr;
using json = nlohmann::json;

// An RSA public exponent is small in practice (65537 is three bytes); eight bytes is generous.
constexpr std::size_t k_max_rsa_exponent_bytes = 8;

tl::unexpected<Error> jwk_error(std::string message) {
  ERR_clear_error();
  return fail(ErrorCode::invalid_request, std::move(message));
}

Result<std::optional<std::string>> optional_string(const json& object, const std::string& name) {
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (!it->is_string()) return jwk_error("The JWK member " + name + " is not a string.");
  return it->get<std::string>();
}

Result<Bytes> required_bytes(const json& jwk, const std::string& name) {
  auto text = optional_string(jwk, name);
  if (!text) return fail(text.error());
  if (!*text) return jwk_error("The JWK has no " + name + " member.");
  auto bytes = crypto::base64url_decode(**text);
  if (!bytes || bytes->empty())
    return jwk_error("The JWK member " + name + " is not non-empty base64url.");
  return bytes;
}

// Loads the public key described by `bld` and checks it as OpenSSL would before trusting it: the
// point must lie on the curve, the RSA modulus and exponent must be plausible.
Result<Key> load_public_key(const char* type, OSSL_PARAM_BLD* bld) {
  const ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return jwk_error(std::string("The JWK does not describe a valid ") + type + " public key.");
  const PkeyPtr pkey(raw);
  const PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1)
    return jwk_error(std::string("The JWK's ") + type + " public key fails OpenSSL's checks.");
  return Key::from_pkey(pkey.get());
}

Result<Key> rsa_from_jwk(const json& jwk) {
  auto n = required_bytes(jwk, "n");
  if (!n) return fail(n.error());
  auto e = required_bytes(jwk, "e");
  if (!e) return fail(e.error());
  if (e->size() > k_max_rsa_exponent_bytes) return jwk_error("The RSA exponent is too large.");
  // Refuse outsized moduli before OpenSSL spends any work on them.
  if (n->size() * 8 > static_cast<std::size_t>(k_max_rsa_bits) + 8)
    return jwk_error("The RSA key has more than 8192 bits.");
  const BignumPtr bn_n(BN_bin2bn(n->data(), static_cast<int>(n->size()), nullptr));
  const BignumPtr bn_e(BN_bin2bn(e->data(), static_cast<int>(e->size()), nullptr));
  const ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
    return jwk_error("The RSA JWK could not be loaded.");
  if (BN_num_bits(bn_n.get()) < k_min_rsa_bits)
    return jwk_error("The RSA key has " + std::to_string(BN_num_bits(bn_n.get())) +
                     " bits; at least 2048 are required.");
  return load_public_key("RSA", bld.get());
}

Result<Key> ec_from_jwk(const json& jwk) {
  auto crv = optional_string(jwk, "crv");
  if (!crv) return fail(crv.error());
  if (!*crv) return jwk_error("The EC JWK has no crv member.");
  std::size_t size = 0;
  const char* group = nullptr;
  if (**crv == "P-256") {
    size = 32;
    group = "prime256v1";
  } else if (**crv == "P-384") {
    size = 48;
    group = "secp384r1";
  } else {
    return jwk_error("The EC JWK is on a curve other than P-256 or P-384.");
  }
  auto x = required_bytes(jwk, "x");
  if (!x) return fail(x.error());
  auto y = required_bytes(jwk, "y");
  if (!y) return fail(y.error());
  // RFC 7518 section 6.2.1.2: coordinates are exactly the size of the field, leading zeros kept.
  if (x->size() != size || y->size() != size)
    return jwk_error("The EC JWK's coordinates do not match the size of its curve.");
  Bytes point{0x04};
  point.insert(point.end(), x->begin(), x->end());
  point.insert(point.end(), y->begin(), y->end());
  const ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1)
    return jwk_error("The EC JWK could not be loaded.");
  return load_public_key("EC", bld.get());
}

Result<Key> oct_from_jwk(const json& jwk) {
  auto k = required_bytes(jwk, "k");
  if (!k) return fail(k.error());
  return Key::from_secret(*k);
}

Result<Key> key_of_type(const std::string& kty, const json& jwk) {
  if (kty == "RSA") return rsa_from_jwk(jwk);
  if (kty == "EC") return ec_from_jwk(jwk);
  if (kty == "oct") return oct_from_jwk(jwk);
  return jwk_error("The JWK's key type is not RSA, EC or oct.");
}

std::string skipped_sentence(std::string_view where, const std::string& why) {
  std::string out(where);
  out += ": ";
  out += why;
  return out;
}

Result<Bytes> bn_param(EVP_PKEY* pkey, const char* name, std::size_t pad_to) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return jwk_error("The key cannot be exported.");
  const BignumPtr bn(raw);
  const int length = pad_to > 0 ? static_cast<int>(pad_to) : BN_num_bytes(bn.get());
  Bytes out(static_cast<std::size_t>(length));
  if (BN_bn2binpad(bn.get(), out.data(), length) != length)
    return jwk_error("The key cannot be exported.");
  return out;
}

}  // namespace

Result<Key> parse_jwk(const json& jwk) {
  if (!jwk.is_object()) return jwk_error("A JWK must be a JSON object.");
  auto kty = optional_string(jwk, "kty");
  if (!kty) return fail(kty.error());
  auto kid = optional_string(jwk, "kid");
  if (!kid) return fail(kid.error());
  auto alg = optional_string(jwk, "alg");
  if (!alg) return fail(alg.error());
  auto use = optional_string(jwk, "use");
  if (!use) return fail(use.error());
  if (!*kty) return jwk_error("The JWK has no kty member.");
  auto key = key_of_type(**kty, jwk);
  if (!key) return key;
  return key->with_kid(kid->value_or("")).with_jwk_labels(*alg, *use);
}

Result<KeySet> parse_jwks(std::string_view document) {
  const json doc = json::parse(document, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return fail(ErrorCode::invalid_request, "The key set is not a JSON object.");
  const auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_array())
    return fail(ErrorCode::invalid_request, "The key set has no keys array.");
  KeySet out;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const std::string where = "Key " + std::to_string(i);
    auto key = parse_jwk((*keys)[i]);
    if (!key)
      out.skipped.push_back(skipped_sentence(where, key.error().message));
    else if (key->type() == KeyType::hmac)
      out.skipped.push_back(skipped_sentence(
          where,
          "A symmetric key in a published key set is known to everyone, so it is not used."));
    else
      out.keys.push_back(std::move(*key));
  }
  return out;
}

Result<KeySet> parse_x509_map(std::string_view document) {
  const json doc = json::parse(document, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return fail(ErrorCode::invalid_request, "The certificate map is not a JSON object.");
  KeySet out;
  for (const auto& [kid, pem] : doc.items()) {
    const std::string where = "Certificate " + kid;
    if (!pem.is_string()) {
      out.skipped.push_back(skipped_sentence(where, "The entry is not a PEM string."));
      continue;
    }
    auto key = parse_certificate_pem(pem.get<std::string>(), kid);
    if (!key)
      out.skipped.push_back(skipped_sentence(where, key.error().message));
    else
      out.keys.push_back(std::move(*key));
  }
  return out;
}

Result<json> public_jwk(const Key& key) {
  json jwk;
  if (key.type() == KeyType::hmac) {
    return fail(ErrorCode::invalid_request, "An HMAC secret is never published as a JWK.");
  } else if (key.type() == KeyType::rsa) {
    auto n = bn_param(key.pkey(), OSSL_PKEY_PARAM_RSA_N, 0);
    if (!n) return fail(n.error());
    auto e = bn_param(key.pkey(), OSSL_PKEY_PARAM_RSA_E, 0);
    if (!e) return fail(e.error());
    jwk = {
        {"kty", "RSA"}, {"n", crypto::base64url_encode(*n)}, {"e", crypto::base64url_encode(*e)}};
  } else {
    const bool p256 = key.type() == KeyType::ec_p256;
    const std::size_t size = p256 ? 32 : 48;
    auto x = bn_param(key.pkey(), OSSL_PKEY_PARAM_EC_PUB_X, size);
    if (!x) return fail(x.error());
    auto y = bn_param(key.pkey(), OSSL_PKEY_PARAM_EC_PUB_Y, size);
    if (!y) return fail(y.error());
    jwk = {{"kty", "EC"},
           {"crv", p256 ? "P-256" : "P-384"},
           {"x", crypto::base64url_encode(*x)},
           {"y", crypto::base64url_encode(*y)}};
  }
  if (!key.kid().empty()) jwk["kid"] = key.kid();
  if (key.jwk_alg()) jwk["alg"] = *key.jwk_alg();
  if (key.jwk_use()) jwk["use"] = *key.jwk_use();
  return jwk;
}

Result<json> public_jwks(const std::vector<Key>& keys) {
  json list = json::array();
  for (const auto& key : keys) {
    auto jwk = public_jwk(key);
    if (!jwk) return fail(jwk.error());
    list.push_back(std::move(*jwk));
  }
  return json{{"keys", std::move(list)}};
}

}  // namespace cs::jwt
