#include "common/crypto/random.h"

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <openssl/rand.h>

#include "common/crypto/base64url.h"

namespace cs::crypto {

Bytes random_bytes(std::size_t count) {
  Bytes out(count);
  if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    // Without a working CSPRNG no secret this program makes is safe: stop rather than go on.
    std::fputs("fatal: the system random generator failed\n", stderr);
    std::abort();
  }
  return out;
}

std::string random_secret(std::string_view prefix, std::size_t entropy_bytes) {
  std::string out(prefix);
  out += base64url_encode(random_bytes(entropy_bytes));
  return out;
}

std::string random_string(std::string_view alphabet, std::size_t length) {
  if (alphabet.empty() || alphabet.size() > 256) std::abort();
  // Accept only bytes below the largest multiple of the alphabet size, so every symbol is
  // equally likely.
  const std::size_t limit = 256 - (256 % alphabet.size());
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (std::uint8_t b : random_bytes(length - out.size() + 8)) {
      if (b >= limit) continue;
      out.push_back(alphabet[b % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

}  // namespace cs::crypto
