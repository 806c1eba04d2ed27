// Rules 1, 2 and the header part of rule 4 of docs/IDENTITY.md: size first, then compact
// serialization, strict base64url, JSON objects without duplicate names, and header members.

#include "common/jwt/jws.h"

#include <catch2/catch.hpp>

#include "common/jwt/strict_json.h"
#include "tests/unit/common/jwt/jwt_fixtures.h"

using namespace cs;
using namespace cs::jwt;
using namespace cs::jwt::testing;

namespace {

const std::string k_header = b64(R"({"alg":"HS256","typ":"JWT"})");
const std::string k_payload = b64(R"({"sub":"user-1","exp":1700003600})");
const std::string k_signature = b64("signature bytes");

std::string compact(std::string_view header, std::string_view payload, std::string_view signature) {
  return cat({header, ".", payload, ".", signature});
}

std::string parse_outcome(std::string_view token) {
  return outcome(parse_jws(token));
}

}  // namespace

TEST_CASE("parse_jws reads the header, payload, signing input and signature", "[jwt]") {
  const auto token = compact(k_header, k_payload, k_signature);
  const auto jws = parse_jws(token);
  REQUIRE(jws);
  CHECK(jws->header.alg == "HS256");
  CHECK(jws->header.typ == "JWT");
  CHECK_FALSE(jws->header.kid);
  CHECK(jws->payload["sub"] == "user-1");
  CHECK(jws->signing_input == cat({k_header, ".", k_payload}));
  CHECK(to_string(jws->signature) == "signature bytes");
}

TEST_CASE("parse_jws refuses a token over 8 KiB before decoding it", "[jwt]") {
  // Not even base64url: were it decoded first, this would be `malformed`.
  const std::string huge(k_max_token_size + 1, '!');
  CHECK(parse_outcome(huge) == "invalid_token/too_large");
  std::string padded = compact(k_header, k_payload, k_signature);
  padded.resize(k_max_token_size + 1, 'A');
  CHECK(parse_outcome(padded) == "invalid_token/too_large");
  // Exactly at the limit, size is not the problem.
  std::string at_limit(k_max_token_size, '!');
  CHECK(parse_outcome(at_limit) == "invalid_token/malformed");
  CHECK(outcome(parse_jws(compact(k_header, k_payload, k_signature), 64)) ==
        "invalid_token/too_large");
}

TEST_CASE("parse_jws wants exactly three segments", "[jwt]") {
  CHECK(parse_outcome("") == "invalid_token/malformed");
  CHECK(parse_outcome(cat({k_header, ".", k_payload})) == "invalid_token/malformed");
  CHECK(parse_outcome(cat({k_header, ".", k_payload, ".", k_signature, ".", k_signature})) ==
        "invalid_token/malformed");
  // Five segments is JWE, never accepted here.
  CHECK(parse_outcome(cat({k_header, ".a.b.c.", k_signature})) == "invalid_token/malformed");
  CHECK(parse_outcome(cat({".", k_payload, ".", k_signature})) == "invalid_token/malformed");
  CHECK(parse_outcome(cat({k_header, "..", k_signature})) == "invalid_token/malformed");
}

TEST_CASE("parse_jws refuses base64url that is not strict", "[jwt]") {
  // `{"alg":"HS256"}` encodes to a 20-character segment; padded, it gains nothing but `=`.
  const std::string header = b64(R"({"alg":"HS256","x":"?"})");
  REQUIRE(parse_outcome(compact(header, k_payload, k_signature)) == "ok");
  CHECK(parse_outcome(compact(cat({k_header, "="}), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, k_payload, cat({k_signature, "=="}))) ==
        "invalid_token/malformed");
  // Standard base64's `+` and `/` instead of `-` and `_`.
  const std::string dashed = b64("\xfb\xff\xbf");
  REQUIRE(dashed == "-_-_");
  CHECK(parse_outcome(compact(k_header, k_payload, "+_-_")) == "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, k_payload, "-/-_")) == "invalid_token/malformed");
  // Whitespace anywhere, including a trailing newline.
  CHECK(parse_outcome(compact(k_header, k_payload, cat({k_signature, "\n"}))) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(cat({" ", k_header}), k_payload, k_signature)) ==
        "invalid_token/malformed");
  const std::string_view payload = k_payload;
  const std::string spaced = cat({payload.substr(0, 8), " ", payload.substr(8)});
  CHECK(parse_outcome(compact(k_header, spaced, k_signature)) == "invalid_token/malformed");
  // "QQ" is the canonical encoding of "A"; "QR" carries the same byte with non-zero extra bits.
  CHECK(parse_outcome(compact(k_header, k_payload, "QQ")) == "ok");
  CHECK(parse_outcome(compact(k_header, k_payload, "QR")) == "invalid_token/malformed");
  // A length of 1 mod 4 cannot be base64 at all.
  CHECK(parse_outcome(compact(k_header, k_payload, "QQQQQ")) == "invalid_token/malformed");
}

TEST_CASE("parse_jws wants header and payload to be JSON objects", "[jwt]") {
  CHECK(parse_outcome(compact(b64(R"(["alg","HS256"])"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(b64(R"("HS256")"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(b64("not json"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64("[1,2]"), k_signature)) == "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64("null"), k_signature)) == "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64(R"({"a":1} {"b":2})"), k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64("\xff\xfe{}"), k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64(""), k_signature)) == "invalid_token/malformed");
}

TEST_CASE("parse_jws refuses duplicate member names in header and payload", "[jwt]") {
  CHECK(parse_outcome(compact(b64(R"({"alg":"HS256","alg":"none"})"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64(R"({"sub":"a","sub":"b"})"), k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(k_header, b64(R"({"x":{"role":"u","role":"admin"}})"),
                              k_signature)) == "invalid_token/malformed");
  // The same name in different objects is not a duplicate.
  CHECK(parse_outcome(
            compact(k_header, b64(R"({"a":{"id":1},"b":{"id":2},"id":3})"), k_signature)) == "ok");
}

TEST_CASE("parse_jws checks the header members it reads", "[jwt]") {
  CHECK(parse_outcome(compact(b64(R"({"typ":"JWT"})"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(b64(R"({"alg":256})"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(b64(R"({"alg":"HS256","kid":7})"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  CHECK(parse_outcome(compact(b64(R"({"alg":"HS256","typ":null})"), k_payload, k_signature)) ==
        "invalid_token/malformed");
  const auto with_kid = parse_jws(compact(b64(R"({"alg":"ES256","kid":"k1"})"), k_payload, ""));
  REQUIRE(with_kid);
  CHECK(with_kid->header.kid == "k1");
  CHECK(with_kid->signature.empty());
}

TEST_CASE("parse_jws refuses any crit header", "[jwt]") {
  CHECK(parse_outcome(compact(b64(R"({"alg":"HS256","crit":["exp"],"exp":1})"), k_payload,
                              k_signature)) == "invalid_token/crit_unsupported");
  CHECK(parse_outcome(compact(b64(R"({"alg":"HS256","crit":[]})"), k_payload, k_signature)) ==
        "invalid_token/crit_unsupported");
  CHECK(parse_outcome(compact(b64(R"({"alg":"HS256","crit":null})"), k_payload, k_signature)) ==
        "invalid_token/crit_unsupported");
}

TEST_CASE("parse_jws ignores jku, x5u, jwk and x5c", "[jwt]") {
  const auto header = b64(
      R"({"alg":"RS256","jku":"https://attacker.example/jwks.json","x5u":"https://attacker.example/c",)"
      R"("jwk":{"kty":"oct","k":"AAAA"},"x5c":["MIIB"]})");
  const auto jws = parse_jws(compact(header, k_payload, k_signature));
  REQUIRE(jws);
  CHECK(jws->header.alg == "RS256");
  CHECK_FALSE(jws->header.kid);
}

TEST_CASE("parse_strict_json refuses duplicates and deep nesting, and says which", "[jwt]") {
  CHECK(parse_strict_json(R"({"a":1,"b":[{"c":1,"d":2}]})").value()["b"][0]["d"] == 2);
  const auto duplicate = parse_strict_json(R"({"a":1,"a":1})");
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message == "The JSON repeats a member name in one object.");
  const std::string deep = cat({std::string(33, '['), std::string(33, ']')});
  REQUIRE_FALSE(parse_strict_json(deep));
  CHECK(parse_strict_json(deep).error().message == "The JSON is nested too deeply.");
  CHECK(parse_strict_json(cat({std::string(32, '['), std::string(32, ']')})));
  CHECK(parse_strict_json("{").error().message == "The text is not valid JSON.");
  CHECK(parse_strict_json("{} x").error().message == "The text is not valid JSON.");
}

TEST_CASE("parse_jws says in a sentence what is wrong with a part", "[jwt]") {
  const auto duplicate = parse_jws(compact(k_header, b64(R"({"sub":"a","sub":"b"})"), k_signature));
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message ==
        "The token's payload is not usable: the JSON repeats a member name in one object.");
  CHECK(parse_jws(compact(b64("[]"), k_payload, k_signature)).error().message ==
        "The token's header is not a JSON object.");
  CHECK(parse_jws(compact(k_header, "e30=", k_signature)).error().message ==
        "The token's payload is not strict base64url.");
  CHECK(parse_jws("a.b").error().message == "The token is not three segments separated by dots.");
  CHECK(parse_jws(std::string(k_max_token_size + 1, 'a')).error().message ==
        "The token is larger than the 8 KiB allowed.");
}
