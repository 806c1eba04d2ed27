#include "common/crypto/pkce.h"

#include <algorithm>

#include "common/crypto/base64url.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"

namespace cs::crypto {
namespace {

constexpr std::size_t k_min_verifier = 43;
constexpr std::size_t k_max_verifier = 128;

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string pkce_challenge_s256(std::string_view verifier) {
  return base64url_encode(sha256(verifier));
}

std::string pkce_verifier() {
  // base64url of 32 bytes is 43 characters, all of them unreserved.
  return random_secret("", 32);
}

bool is_valid_pkce_verifier(std::string_view verifier) {
  return verifier.size() >= k_min_verifier && verifier.size() <= k_max_verifier &&
         std::all_of(verifier.begin(), verifier.end(), is_unreserved);
}

}  // namespace cs::crypto
