#include "common/crypto/bcrypt.h"

#include <crypt.h>

#include <memory>
#include <openssl/crypto.h>
#include <string>

#include "common/crypto/constant_time.h"

namespace cs::crypto {
namespace {

bool acceptable_password(std::string_view password) {
  return password.size() <= k_bcrypt_max_password && password.find('\0') == std::string_view::npos;
}

}  // namespace

Result<std::string> bcrypt_hash(std::string_view password, int cost) {
  if (cost < k_bcrypt_min_cost || cost > k_bcrypt_max_cost)
    return fail(ErrorCode::invalid_request, "bcrypt cost must be between 4 and 31");
  if (!acceptable_password(password))
    return fail(ErrorCode::invalid_request, "password must be at most 72 bytes and contain no NUL");

  // crypt_gensalt_rn draws its salt from the kernel's random source when given none.
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting,
                       sizeof setting) == nullptr)
    return fail(ErrorCode::internal, "could not generate a bcrypt salt");

  // crypt_data is ~32 KiB: keep it off the stack, and wipe it since it held the password.
  auto data = std::make_unique<crypt_data>();
  const std::string pw(password);
  const char* out = crypt_rn(pw.c_str(), setting, data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return fail(ErrorCode::internal, "bcrypt hashing failed");
  std::string hash(out);
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return hash;
}

bool bcrypt_verify(std::string_view password, std::string_view hash) {
  if (!acceptable_password(password)) return false;
  if (!(hash.starts_with("$2b$") || hash.starts_with("$2a$") || hash.starts_with("$2y$")))
    return false;
  auto data = std::make_unique<crypt_data>();
  const std::string pw(password);
  const std::string setting(hash);
  const char* out = crypt_rn(pw.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  const bool ok =
      out != nullptr && out[0] != '*' && constant_time_equal(std::string_view(out), hash);
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return ok;
}

}  // namespace cs::crypto
