#pragma once
// Why a token was refused: the machine reasons of docs/IDENTITY.md, carried in Error::reason.

#include <string>
#include <string_view>

#include "common/error.h"
#include "common/result.h"

namespace cs::jwt {

enum class Refusal {
  too_large,         // over the size limit, refused before decoding
  malformed,         // segments, base64url, JSON, duplicate members, header types
  unsupported_alg,   // none, case variants, not allowed, no key of that kind configured
  crit_unsupported,  // any `crit` header
  key_mismatch,      // no configured key fits the algorithm, or the JWK's alg/use disagree
  unknown_kid,       // the named key is unknown, or no kid where one is needed
  bad_signature,     // the signature does not verify
  expired,           // `exp` is past, beyond the leeway
  not_yet_valid,     // `nbf` is in the future, beyond the leeway
  iat_future,        // `iat` or `auth_time` is in the future, beyond the leeway
  missing_claim,     // a required claim is absent
  malformed_claim,   // a claim has the wrong JSON type (string, float, huge or boolean times)
  bad_issuer,        // `iss` is not the provider's issuer
  bad_audience,      // `aud` does not name us
  bad_azp,           // `azp` is absent or not an authorized party
  bad_identity,      // no usable identity (decided by the provider layer)
};

/// The reason string for `refusal`, spelled as in IDENTITY.md (`too_large`, `bad_signature`, ...).
std::string_view refusal_name(Refusal refusal);

/// An Error for a refused token: code token_expired for `expired` and invalid_token otherwise,
/// the sentence `message`, a hint suited to `refusal`, and the refusal's name as the reason.
Error refusal_error(Refusal refusal, std::string message);

/// The failed side of a Result for a refused token, as refusal_error() builds it.
inline tl::unexpected<Error> refuse(Refusal refusal, std::string message) {
  return fail(refusal_error(refusal, std::move(message)));
}

}  // namespace cs::jwt
