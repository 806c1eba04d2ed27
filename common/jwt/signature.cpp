#include "common/jwt/signature.h"

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <string>

#include "common/crypto/constant_time.h"
#include "common/crypto/hash.h"
#include "common/crypto/openssl_ptr.h"
#include "common/jwt/prepared_verify.h"

namespace cs::jwt {
namespace {

using crypto::BignumPtr;
using crypto::EcdsaSigPtr;
using crypto::MdCtxPtr;

std::size_t ec_size(KeyType type) {
  return type == KeyType::ec_p384 ? 48 : 32;
}

// RFC 7518 section 3.5: MGF1 with the signature's hash, and a salt as long as the hash.
bool use_pss(EVP_PKEY_CTX* ctx) {
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

Result<Bytes> sign_with_pkey(Alg alg, const Key& key, ByteView input) {
  const MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* ctx = nullptr;
  std::size_t length = 0;
  if (!md ||
      EVP_DigestSignInit_ex(md.get(), &ctx, alg_digest_name(alg), nullptr, nullptr, key.pkey(),
                            nullptr) != 1 ||
      (alg_is_pss(alg) && !use_pss(ctx)) ||
      EVP_DigestSign(md.get(), nullptr, &length, input.data(), input.size()) != 1) {
    ERR_clear_error();
    return fail(ErrorCode::internal, "The signature could not be made.");
  }
  Bytes signature(length);
  if (EVP_DigestSign(md.get(), signature.data(), &length, input.data(), input.size()) != 1) {
    ERR_clear_error();
    return fail(ErrorCode::internal, "The signature could not be made.");
  }
  signature.resize(length);
  return signature;
}

bool verify_with_pkey(Alg alg, const Key& key, ByteView input, ByteView signature) {
  if (key.verifier() != nullptr) {
    if (auto checked = key.verifier()->verify(alg, input, signature)) return *checked;
  }
  const MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* ctx = nullptr;
  const bool ok = md &&
                  EVP_DigestVerifyInit_ex(md.get(), &ctx, alg_digest_name(alg), nullptr, nullptr,
                                          key.pkey(), nullptr) == 1 &&
                  (!alg_is_pss(alg) || use_pss(ctx)) &&
                  EVP_DigestVerify(md.get(), signature.data(), signature.size(), input.data(),
                                   input.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace

Result<Bytes> create_signature(Alg alg, const Key& key, ByteView input) {
  if (key.type() != key_type_for(alg)) {
    std::string message(key_type_phrase(key.type()));
    message += " cannot sign with ";
    message += alg_name(alg);
    message += '.';
    message[0] = 'A';
    return fail(ErrorCode::invalid_request, std::move(message));
  }
  if (!key.can_sign()) return fail(ErrorCode::invalid_request, "A public key cannot sign.");
  if (key.type() == KeyType::hmac) return crypto::hmac(alg_hash(alg), key.secret(), input);
  auto signature = sign_with_pkey(alg, key, input);
  if (!signature || key.type() == KeyType::rsa) return signature;
  auto raw = ecdsa_der_to_raw(*signature, ec_size(key.type()));
  if (!raw) return fail(ErrorCode::internal, "The ECDSA signature could not be converted.");
  return *raw;
}

bool check_signature(Alg alg, const Key& key, ByteView input, ByteView signature) {
  if (key.type() != key_type_for(alg)) return false;
  switch (key.type()) {
    case KeyType::hmac:
      return crypto::constant_time_equal(crypto::hmac(alg_hash(alg), key.secret(), input),
                                         signature);
    case KeyType::rsa:
      if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey()))) return false;
      return verify_with_pkey(alg, key, input, signature);
    case KeyType::ec_p256:
    case KeyType::ec_p384: {
      const auto der = ecdsa_raw_to_der(signature, ec_size(key.type()));
      return der && verify_with_pkey(alg, key, input, *der);
    }
  }
  return false;
}

std::optional<Bytes> ecdsa_raw_to_der(ByteView raw, std::size_t size) {
  if (size == 0 || raw.size() != 2 * size) return std::nullopt;
  BignumPtr r(BN_bin2bn(raw.data(), static_cast<int>(size), nullptr));
  BignumPtr s(BN_bin2bn(raw.data() + size, static_cast<int>(size), nullptr));
  // A zero r or s verifies against nothing honest; refuse it here rather than rely on the library.
  if (!r || !s || BN_is_zero(r.get()) || BN_is_zero(s.get())) return std::nullopt;
  const EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  // ECDSA_SIG_set0 took ownership of both numbers.
  (void)r.release();
  (void)s.release();
  const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return std::nullopt;
  Bytes der(static_cast<std::size_t>(length));
  unsigned char* out = der.data();
  if (i2d_ECDSA_SIG(sig.get(), &out) != length) return std::nullopt;
  return der;
}

std::optional<Bytes> ecdsa_der_to_raw(ByteView der, std::size_t size) {
  const unsigned char* in = der.data();
  const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
  if (!sig || in != der.data() + der.size()) {
    ERR_clear_error();
    return std::nullopt;
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  Bytes raw(2 * size);
  const int width = static_cast<int>(size);
  if (BN_bn2binpad(r, raw.data(), width) != width ||
      BN_bn2binpad(s, raw.data() + size, width) != width)
    return std::nullopt;
  return raw;
}

}  // namespace cs::jwt
