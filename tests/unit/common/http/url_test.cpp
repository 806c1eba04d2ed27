#include "common/http/url.h"

#include <catch2/catch.hpp>

using cs::http::is_loopback_host;
using cs::http::parse_secure_url;
using cs::http::parse_url;

TEST_CASE("URLs parse into scheme, host, port and path", "[url]") {
  auto u = parse_url("https://abc.supabase.co/auth/v1/.well-known/jwks.json").value();
  CHECK(u.scheme == "https");
  CHECK(u.host == "abc.supabase.co");
  CHECK(u.port == 443);
  CHECK(u.path == "/auth/v1/.well-known/jwks.json");
  CHECK(u.origin() == "https://abc.supabase.co:443");

  u = parse_url("http://127.0.0.1:8080").value();
  CHECK(u.port == 8080);
  CHECK(u.path == "/");
  u = parse_url("http://[::1]:9000/x?y=1").value();
  CHECK(u.host == "::1");
  CHECK(u.path == "/x?y=1");
  CHECK(u.origin() == "http://[::1]:9000");
}

TEST_CASE("bad URLs are refused with the reason", "[url]") {
  CHECK(parse_url("ftp://x/").error().message ==
        "not a usable URL 'ftp://x/': only http and https");
  CHECK(parse_url("example.com").error().message == "not a usable URL 'example.com': no scheme");
  CHECK(parse_url("https://user:pw@host/").error().message ==
        "not a usable URL 'https://user:pw@host/': user info is not allowed");
  CHECK_FALSE(parse_url("https:///path"));
  CHECK_FALSE(parse_url("https://host:0/"));
  CHECK_FALSE(parse_url("https://host:65536/"));
  CHECK_FALSE(parse_url("https://host:12x/"));
  CHECK_FALSE(parse_url("https://host/#frag"));
  CHECK_FALSE(parse_url("https://ho st/"));
  CHECK_FALSE(parse_url("https://[::1/"));
}

TEST_CASE("plain http is allowed only to loopback hosts", "[url]") {
  CHECK(parse_secure_url("http://127.0.0.1:1/jwks"));
  CHECK(parse_secure_url("http://localhost/jwks"));
  CHECK(parse_secure_url("http://[::1]/jwks"));
  CHECK(parse_secure_url("https://example.com/jwks"));
  CHECK(parse_secure_url("http://example.com/jwks").error().message ==
        "not a usable URL 'http://example.com/jwks': plain http is allowed only for 127.0.0.1, "
        "::1 and localhost");
  CHECK_FALSE(parse_secure_url("http://127.0.0.1.evil.com/"));
  CHECK_FALSE(parse_secure_url("http://10.0.0.1/"));
}

TEST_CASE("loopback hosts are recognised exactly", "[url]") {
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.255.0.9"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("127.0.0"));
  CHECK_FALSE(is_loopback_host("127.0.0.256"));
  CHECK_FALSE(is_loopback_host("127.0.0.1.nip.io"));
  CHECK_FALSE(is_loopback_host("localhost.example.com"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
}
