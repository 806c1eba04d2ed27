#pragma once
// PKCE code verifiers and S256 challenges (RFC 7636), for the CLI login and the dev broker's OAuth
// endpoint.

#include <string>
#include <string_view>

namespace cs::crypto {

/// The S256 challenge of `verifier`: unpadded base64url of SHA-256 over its ASCII bytes (RFC 7636
/// section 4.2).
std::string pkce_challenge_s256(std::string_view verifier);

/// A fresh verifier: 43 characters carrying 256 random bits, as RFC 7636 section 4.1 recommends.
std::string pkce_verifier();

/// True when `verifier` is 43 to 128 characters from `A-Z a-z 0-9 - . _ ~` (RFC 7636 section 4.1).
bool is_valid_pkce_verifier(std::string_view verifier);

}  // namespace cs::crypto
