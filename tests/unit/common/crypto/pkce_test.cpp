#include "common/crypto/pkce.h"

#include <catch2/catch.hpp>

using namespace cs::crypto;

TEST_CASE("pkce_challenge_s256 matches RFC 7636 Appendix B", "[pkce]") {
  CHECK(pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("pkce_verifier makes valid, different verifiers", "[pkce]") {
  const auto a = pkce_verifier();
  const auto b = pkce_verifier();
  CHECK(a.size() == 43);
  CHECK(is_valid_pkce_verifier(a));
  CHECK(is_valid_pkce_verifier(b));
  CHECK(a != b);
}

TEST_CASE("is_valid_pkce_verifier holds to 43..128 unreserved characters", "[pkce]") {
  CHECK(is_valid_pkce_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  CHECK(is_valid_pkce_verifier(std::string(43, '~')));
  CHECK(is_valid_pkce_verifier(std::string(128, '.')));
  CHECK_FALSE(is_valid_pkce_verifier(std::string(42, 'a')));
  CHECK_FALSE(is_valid_pkce_verifier(std::string(129, 'a')));
  CHECK_FALSE(is_valid_pkce_verifier(""));
  std::string with_plus(43, 'a');
  with_plus[10] = '+';
  CHECK_FALSE(is_valid_pkce_verifier(with_plus));
  std::string with_space(43, 'a');
  with_space[42] = ' ';
  CHECK_FALSE(is_valid_pkce_verifier(with_space));
  std::string with_slash(43, 'a');
  with_slash[0] = '/';
  CHECK_FALSE(is_valid_pkce_verifier(with_slash));
}
