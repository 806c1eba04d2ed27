// Loopback redirect URIs (RFC 8252 section 7.3) and the queries sent back to them.

#include "devbroker/api/oauth_redirect.h"

#include <catch2/catch.hpp>

using cs::api::parse_loopback_redirect;
using cs::api::percent_encode;
using cs::api::with_query;

TEST_CASE("loopback redirect URIs: the three loopback hosts with a port", "[api][oauth]") {
  auto v4 = parse_loopback_redirect("http://127.0.0.1:54321/callback");
  REQUIRE(v4);
  CHECK(v4->uri == "http://127.0.0.1:54321/callback");
  CHECK(v4->origin == "http://127.0.0.1:54321");
  CHECK(parse_loopback_redirect("http://[::1]:8080/cb")->origin == "http://[::1]:8080");
  CHECK(parse_loopback_redirect("http://localhost:1/")->origin == "http://localhost:1");
  CHECK(parse_loopback_redirect("http://127.0.0.1:65535")->origin == "http://127.0.0.1:65535");
  CHECK(parse_loopback_redirect("http://127.0.0.1:8080/a-b/c.d_e~f"));
}

TEST_CASE("loopback redirect URIs: everything else is refused with the reason", "[api][oauth]") {
  const auto why = [](std::string_view uri) {
    auto parsed = parse_loopback_redirect(uri);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == cs::ErrorCode::invalid_request);
    return parsed.error().message;
  };
  CHECK(why("https://127.0.0.1:8080/callback") == "redirect_uri must start with http://");
  CHECK(why("HTTP://127.0.0.1:8080/") == "redirect_uri must start with http://");
  CHECK(why("cloudsignal://callback") == "redirect_uri must start with http://");
  CHECK(why("http://127.0.0.1/callback") == "redirect_uri must name a port");
  CHECK(why("http://[::1]/callback") == "redirect_uri must name a port");
  const std::string elsewhere =
      "redirect_uri must point at this machine: 127.0.0.1, [::1] or localhost";
  CHECK(why("http://example.com:8080/callback") == elsewhere);
  CHECK(why("http://127.0.0.2:8080/callback") == elsewhere);
  CHECK(why("http://127.0.0.1.example.com:8080/") == elsewhere);
  CHECK(why("http://user@127.0.0.1:8080/") == elsewhere);
  CHECK(why("http://127.0.0.1@evil.example:8080/") == elsewhere);
  CHECK(why("http://LOCALHOST:8080/") == elsewhere);
  CHECK(why("http://0.0.0.0:8080/") == elsewhere);
  CHECK(why("http://127.0.0.1:0/") == "redirect_uri has no valid port");
  CHECK(why("http://127.0.0.1:65536/") == "redirect_uri has no valid port");
  CHECK(why("http://127.0.0.1:+80/") == "redirect_uri has no valid port");
  CHECK(why("http://127.0.0.1:/") == "redirect_uri has no valid port");
  CHECK(why("http://127.0.0.1:8080x/") == "redirect_uri has no valid port");
  const std::string plain =
      "redirect_uri may hold only a plain path: no query, fragment or escapes";
  CHECK(why("http://127.0.0.1:8080/cb?x=1") == plain);
  CHECK(why("http://127.0.0.1:8080/cb#frag") == plain);
  CHECK(why("http://127.0.0.1:8080/c%0d%0aSet-Cookie:x") == plain);
  CHECK(why("http://127.0.0.1:8080/c\r\nLocation: x") == plain);
  CHECK(why("http://127.0.0.1:8080/" + std::string(600, 'a')) ==
        "redirect_uri is longer than 512 bytes");
}

TEST_CASE("redirect queries are percent-encoded", "[api][oauth]") {
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b&c=d/é+") == "a%20b%26c%3Dd%2F%C3%A9%2B");
  CHECK(with_query("http://127.0.0.1:1/cb", {{"code", "x_y-z"}, {"state", "s&t=u"}}) ==
        "http://127.0.0.1:1/cb?code=x_y-z&state=s%26t%3Du");
  CHECK(with_query("http://127.0.0.1:1/cb", {}) == "http://127.0.0.1:1/cb");
}
