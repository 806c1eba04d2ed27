#include "common/jwt/prepared_verify.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "common/crypto/openssl_ptr.h"

namespace cs::jwt {
namespace {

bool is_rsa(Alg alg) {
  return key_type_for(alg) == KeyType::rsa;
}

static_assert(static_cast<std::size_t>(Alg::es384) + 1 == 11, "one prepared check per Alg");

}  // namespace

PreparedVerifier::PreparedVerifier(EVP_PKEY* pkey) : m_pkey(pkey) {
  EVP_PKEY_up_ref(m_pkey);
}

PreparedVerifier::~PreparedVerifier() {
  for (auto& prepared : m_prepared) {
    EVP_PKEY_CTX_free(prepared.context);
    EVP_MD_free(prepared.digest);
  }
  EVP_PKEY_free(m_pkey);
}

const PreparedVerifier::Prepared& PreparedVerifier::prepared(Alg alg) const {
  const auto index = static_cast<std::size_t>(alg);
  std::call_once(m_once[index], [&] {
    crypto::PkeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, m_pkey, nullptr));
    EVP_MD* digest = EVP_MD_fetch(nullptr, alg_digest_name(alg), nullptr);
    // RFC 7518 section 3.5: MGF1 with the signature's hash (OpenSSL's default once the
    // signature's digest is set), and a salt as long as the hash.
    const bool ready =
        context && digest && EVP_PKEY_verify_init(context.get()) == 1 &&
        EVP_PKEY_CTX_set_signature_md(context.get(), digest) == 1 &&
        (!is_rsa(alg) ||
         EVP_PKEY_CTX_set_rsa_padding(
             context.get(), alg_is_pss(alg) ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) == 1) &&
        (!alg_is_pss(alg) ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(context.get(), RSA_PSS_SALTLEN_DIGEST) == 1);
    ERR_clear_error();
    if (!ready) {
      EVP_MD_free(digest);
      return;
    }
    m_prepared[index] = Prepared{context.release(), digest};
  });
  return m_prepared[index];
}

std::optional<bool> PreparedVerifier::verify(Alg alg, ByteView input, ByteView signature) const {
  if (key_type_for(alg) == KeyType::hmac) return std::nullopt;
  const Prepared& ready = prepared(alg);
  if (ready.context == nullptr) return std::nullopt;
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int hash_size = 0;
  if (EVP_Digest(input.data(), input.size(), hash, &hash_size, ready.digest, nullptr) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  const crypto::PkeyCtxPtr context(EVP_PKEY_CTX_dup(ready.context));
  if (!context) {
    ERR_clear_error();
    return std::nullopt;
  }
  const bool ok =
      EVP_PKEY_verify(context.get(), signature.data(), signature.size(), hash, hash_size) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace cs::jwt
