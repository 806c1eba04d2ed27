#include "common/crypto/constant_time.h"

#include <openssl/crypto.h>

namespace cs::crypto {

bool constant_time_equal(ByteView a, ByteView b) {
  // Lengths of our secrets are public (fixed formats), so an early length check leaks nothing.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cs::crypto
