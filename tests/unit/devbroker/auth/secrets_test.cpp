#include "devbroker/auth/secrets.h"

#include <catch2/catch.hpp>

using namespace cs::auth;
using namespace std::chrono_literals;

TEST_CASE("token passwords are tkn_ and 192 random bits", "[secrets]") {
  const auto a = new_token_secret();
  const auto b = new_token_secret();
  CHECK(a.starts_with("tkn_"));
  CHECK(a.size() == 36);
  CHECK(a != b);
  CHECK(looks_like_token_secret(a));
  CHECK_FALSE(looks_like_token_secret("tkn_short"));
  CHECK_FALSE(looks_like_token_secret("sk_" + a.substr(3)));
  CHECK_FALSE(looks_like_token_secret(a.substr(0, 35) + "+"));
}

TEST_CASE("token hashes are SHA-256 hex of the whole secret", "[secrets]") {
  CHECK(token_hash("tkn_x") == token_hash("tkn_x"));
  CHECK(token_hash("tkn_x") != token_hash("tkn_y"));
  CHECK(token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("token TTLs default to the org's and are bounded", "[secrets]") {
  CHECK(token_ttl(std::nullopt).value() == 3600s);
  CHECK(token_ttl(std::nullopt, 600s).value() == 600s);
  CHECK(token_ttl(60).value() == 60s);
  CHECK(token_ttl(86400).value() == 86400s);
  CHECK(token_ttl(59).error().message == "ttl_seconds must be between 60 and 86400");
  CHECK_FALSE(token_ttl(86401));
  CHECK_FALSE(token_ttl(-5));
}

TEST_CASE("refresh is recommended 5 minutes early, or at 80% of a short life", "[secrets]") {
  const std::chrono::sys_seconds t{std::chrono::seconds(1'000'000)};
  CHECK(refresh_recommended_at(t, t + 3600s) == t + 3300s);
  CHECK(refresh_recommended_at(t, t + 1500s) == t + 1200s);  // both rules agree at 25 minutes
  CHECK(refresh_recommended_at(t, t + 600s) == t + 480s);
  CHECK(refresh_recommended_at(t, t + 60s) == t + 48s);
}

TEST_CASE("API keys carry their type and id, and only well-formed ones parse", "[secrets]") {
  const auto sk = new_api_key(KeyType::secret);
  CHECK(sk.secret.starts_with("sk_"));
  CHECK(sk.secret.size() == 3 + 12 + 32);
  CHECK(sk.prefix == sk.secret.substr(0, 15));
  CHECK(sk.id == "key_" + sk.secret.substr(3, 12));
  const auto parsed = parse_api_key(sk.secret).value();
  CHECK(parsed.type == KeyType::secret);
  CHECK(parsed.id == sk.id);

  const auto rk = new_api_key(KeyType::restricted);
  CHECK(parse_api_key(rk.secret).value().type == KeyType::restricted);
  CHECK_FALSE(parse_api_key("sk_"));
  CHECK_FALSE(parse_api_key("pk_" + sk.secret.substr(3)));
  CHECK_FALSE(parse_api_key(sk.secret + "x"));
  CHECK_FALSE(parse_api_key("sk_ABCDEFGHIJKL" + sk.secret.substr(15)));  // id part is lowercase
}

TEST_CASE("generated user passwords are long and varied", "[secrets]") {
  const auto a = new_user_password();
  CHECK(a.size() == 24);
  CHECK(a != new_user_password());
  CHECK(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        std::string::npos);
}
