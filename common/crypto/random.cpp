#include "common/crypto/random.h"

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <openssl/rand.h>

#include "common/crypto/base64url.h"
#include "common/crypto/hex.h"

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

std::string random_uuid_v4() {
  Bytes b = random_bytes(16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // variant 10
  const std::string hex = hex_encode(b);
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    out.push_back(hex[i]);
  }
  return out;
}

}  // namespace cs::crypto
