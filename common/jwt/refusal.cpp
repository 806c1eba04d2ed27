#include "common/jwt/refusal.h"

namespace cs::jwt {
namespace {

std::string_view hint_for(Refusal refusal) {
  switch (refusal) {
    case Refusal::too_large:
      return "Send the token the identity provider issued, not a larger document.";
    case Refusal::malformed:
      return "Send the token exactly as the identity provider issued it.";
    case Refusal::unsupported_alg:
      return "Check the provider's allowed algorithms, and that HMAC tokens come with a configured "
             "shared secret.";
    case Refusal::crit_unsupported:
      return "Issue the token without a crit header.";
    case Refusal::key_mismatch:
      return "Check that the provider's keys include the key this token was signed with.";
    case Refusal::unknown_kid:
      return "The provider may have rotated its keys; try again shortly or sign in again.";
    case Refusal::bad_signature:
      return "Use a token issued by this provider, unaltered.";
    case Refusal::expired:
      return "Sign in again or refresh the token to get a new one.";
    case Refusal::not_yet_valid:
    case Refusal::iat_future:
      return "Check that the clocks of the identity provider and this machine agree.";
    case Refusal::missing_claim:
    case Refusal::malformed_claim:
      return "Check the token's claims against the provider's documentation.";
    case Refusal::bad_issuer:
      return "Check the provider's issuer setting: it must equal the token's iss exactly, "
             "trailing slash included.";
    case Refusal::bad_audience:
      return "Check the provider's audience setting against the token's aud.";
    case Refusal::bad_azp:
      return "Add the application to the provider's authorized parties.";
    case Refusal::bad_identity:
      return "Sign in with an account that has a usable email or subject.";
  }
  return {};
}

}  // namespace

std::string_view refusal_name(Refusal refusal) {
  switch (refusal) {
    case Refusal::too_large:
      return "too_large";
    case Refusal::malformed:
      return "malformed";
    case Refusal::unsupported_alg:
      return "unsupported_alg";
    case Refusal::crit_unsupported:
      return "crit_unsupported";
    case Refusal::key_mismatch:
      return "key_mismatch";
    case Refusal::unknown_kid:
      return "unknown_kid";
    case Refusal::bad_signature:
      return "bad_signature";
    case Refusal::expired:
      return "expired";
    case Refusal::not_yet_valid:
      return "not_yet_valid";
    case Refusal::iat_future:
      return "iat_future";
    case Refusal::missing_claim:
      return "missing_claim";
    case Refusal::malformed_claim:
      return "malformed_claim";
    case Refusal::bad_issuer:
      return "bad_issuer";
    case Refusal::bad_audience:
      return "bad_audience";
    case Refusal::bad_azp:
      return "bad_azp";
    case Refusal::bad_identity:
      return "bad_identity";
  }
  return "malformed";
}

Error refusal_error(Refusal refusal, std::string message) {
  const ErrorCode code =
      refusal == Refusal::expired ? ErrorCode::token_expired : ErrorCode::invalid_token;
  return Error{code, std::move(message), std::string(hint_for(refusal)),
               std::string(refusal_name(refusal))};
}

}  // namespace cs::jwt
