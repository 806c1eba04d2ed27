#include "common/http/client.h"

#include <catch2/catch.hpp>

namespace cs::http {

TEST_CASE("API error JSON becomes an Error with code, sentence, reason and Retry-After", "[http]") {
  Response r;
  r.status = 401;
  r.body =
      R"({"error":"token_expired","error_description":"the token expired","reason":"expired"})";
  auto e = error_from_response(r);
  CHECK(e.code == ErrorCode::token_expired);
  CHECK(e.message == "the token expired");
  CHECK(e.reason == "expired");

  r.status = 429;
  r.body = R"({"error":"rate_limited","error_description":"slow down"})";
  r.headers["retry-after"] = "7";
  e = error_from_response(r);
  CHECK(e.code == ErrorCode::rate_limited);
  CHECK(e.retry_after == 7);

  // No error JSON (a proxy's page): the status decides, with a plain sentence.
  r = Response{};
  r.status = 503;
  r.body = "<html>busy</html>";
  e = error_from_response(r);
  CHECK(e.code == ErrorCode::unavailable);
  CHECK(e.message == "the server answered HTTP 503");

  // An unknown error name keeps the status's code.
  r.status = 404;
  r.body = R"({"error":"brand_new_code","error_description":"gone"})";
  e = error_from_response(r);
  CHECK(e.code == ErrorCode::not_found);
  CHECK(e.message == "gone");
}

TEST_CASE("error names map back to codes", "[http]") {
  CHECK(error_code_from_name("provider_not_found") == ErrorCode::provider_not_found);
  CHECK(error_code_from_name("invalid_request") == ErrorCode::invalid_request);
  CHECK(error_code_from_name("nope") == ErrorCode::internal);
}

TEST_CASE("form and URL encoding", "[http]") {
  CHECK(url_encode("a b/c?d=é") == "a%20b%2Fc%3Fd%3D%C3%A9");
  CHECK(url_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(form_encode({{"grant_type", "refresh_token"}, {"refresh_token", "x+y&z"}}) ==
        "grant_type=refresh_token&refresh_token=x%2By%26z");
}

}  // namespace cs::http
