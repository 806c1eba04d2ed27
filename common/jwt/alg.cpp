#include "common/jwt/alg.h"

#include <array>
#include <cstdlib>

namespace cs::jwt {
namespace {

struct AlgInfo {
  Alg alg;
  std::string_view name;
  KeyType key_type;
  crypto::HashAlg hash;
};

using crypto::HashAlg;

constexpr std::array<AlgInfo, 11> k_algs{{
    {Alg::hs256, "HS256", KeyType::hmac, HashAlg::sha256},
    {Alg::hs384, "HS384", KeyType::hmac, HashAlg::sha384},
    {Alg::hs512, "HS512", KeyType::hmac, HashAlg::sha512},
    {Alg::rs256, "RS256", KeyType::rsa, HashAlg::sha256},
    {Alg::rs384, "RS384", KeyType::rsa, HashAlg::sha384},
    {Alg::rs512, "RS512", KeyType::rsa, HashAlg::sha512},
    {Alg::ps256, "PS256", KeyType::rsa, HashAlg::sha256},
    {Alg::ps384, "PS384", KeyType::rsa, HashAlg::sha384},
    {Alg::ps512, "PS512", KeyType::rsa, HashAlg::sha512},
    {Alg::es256, "ES256", KeyType::ec_p256, HashAlg::sha256},
    {Alg::es384, "ES384", KeyType::ec_p384, HashAlg::sha384},
}};

constexpr std::array<Alg, k_algs.size()> k_all = [] {
  std::array<Alg, k_algs.size()> out{};
  for (std::size_t i = 0; i < k_algs.size(); ++i) out[i] = k_algs[i].alg;
  return out;
}();

const AlgInfo& info(Alg alg) {
  for (const auto& entry : k_algs)
    if (entry.alg == alg) return entry;
  std::abort();
}

}  // namespace

std::optional<Alg> alg_from_name(std::string_view name) {
  for (const auto& entry : k_algs)
    if (entry.name == name) return entry.alg;
  return std::nullopt;
}

std::string_view alg_name(Alg alg) {
  return info(alg).name;
}

std::span<const Alg> all_algs() {
  return k_all;
}

KeyType key_type_for(Alg alg) {
  return info(alg).key_type;
}

crypto::HashAlg alg_hash(Alg alg) {
  return info(alg).hash;
}

const char* alg_digest_name(Alg alg) {
  switch (alg_hash(alg)) {
    case crypto::HashAlg::sha256:
      return "SHA256";
    case crypto::HashAlg::sha384:
      return "SHA384";
    case crypto::HashAlg::sha512:
      return "SHA512";
  }
  return "SHA256";
}

bool alg_is_pss(Alg alg) {
  return alg == Alg::ps256 || alg == Alg::ps384 || alg == Alg::ps512;
}

std::string_view key_type_phrase(KeyType type) {
  switch (type) {
    case KeyType::hmac:
      return "an HMAC secret";
    case KeyType::rsa:
      return "an RSA key";
    case KeyType::ec_p256:
      return "an EC P-256 key";
    case KeyType::ec_p384:
      return "an EC P-384 key";
  }
  return "a key";
}

}  // namespace cs::jwt
