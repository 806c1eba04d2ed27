#include "common/jwt/sign.h"

#include "common/crypto/base64url.h"
#include "common/jwt/signature.h"

namespace cs::jwt {

Result<std::string> sign(Alg alg, const Key& key, const nlohmann::json& claims,
                         nlohmann::json header) {
  if (!claims.is_object() || !header.is_object())
    return fail(ErrorCode::invalid_request, "A token's header and claims must be JSON objects.");
  header["alg"] = alg_name(alg);
  if (!key.kid().empty() && !header.contains("kid")) header["kid"] = key.kid();
  try {
    return sign_raw(alg, key, header.dump(), claims.dump());
  } catch (const nlohmann::json::type_error&) {
    return fail(ErrorCode::invalid_request, "A token's header and claims must be valid UTF-8.");
  }
}

Result<std::string> sign_raw(Alg alg, const Key& key, std::string_view header_json,
                             std::string_view payload_json) {
  std::string token = crypto::base64url_encode(header_json);
  token += '.';
  token += crypto::base64url_encode(payload_json);
  auto signature = create_signature(alg, key, as_bytes(token));
  if (!signature) return fail(signature.error());
  token += '.';
  token += crypto::base64url_encode(*signature);
  return token;
}

}  // namespace cs::jwt
