// The sign-in page: what it says, its form, escaping of every value, and its headers.

#include "devbroker/api/signin_page.h"

#include <catch2/catch.hpp>

using namespace cs::api;

namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the sign-in page names org, account and grant, and posts a plain form", "[api][oauth]") {
  const std::string html =
      render_signin_page({"cloudsignal dev", "org_k7xm4pqr2n5t", "developer@localhost",
                          "cloudsignal-cli", "http://127.0.0.1:54321", "REQ-id_1"});
  CHECK(html.starts_with("<!doctype html>"));
  CHECK(contains(html, "cloudsignal dev <code>org_k7xm4pqr2n5t</code>"));
  CHECK(contains(html, "<dd>developer@localhost</dd>"));
  CHECK(contains(html, "Full access to this organization."));
  CHECK(contains(html, "<form method=\"post\" action=\"/oauth/authorize\">"));
  CHECK(contains(html, "<input type=\"hidden\" name=\"request_id\" value=\"REQ-id_1\">"));
  CHECK(contains(html, "name=\"decision\" value=\"approve\""));
  CHECK(contains(html, "name=\"decision\" value=\"deny\""));
  CHECK(contains(html, "<code>http://127.0.0.1:54321</code>"));
  // Self-contained: no scripts and nothing fetched from elsewhere.
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "src="));
  CHECK_FALSE(contains(html, "href="));
  CHECK_FALSE(contains(html, "url("));
}

TEST_CASE("every value on the pages is HTML-escaped", "[api][oauth]") {
  CHECK(html_escape(R"(<a href='x'>"&"</a>)") ==
        "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  const std::string hostile = R"("><script>alert(1)</script>)";
  const std::string html =
      render_signin_page({hostile, hostile, hostile, hostile, hostile, hostile});
  CHECK_FALSE(contains(html, "<script>"));
  CHECK_FALSE(contains(html, hostile));
  CHECK(contains(html, "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  const std::string error = render_error_page("bad <b>input</b> & \"quotes\"");
  CHECK(contains(error, "bad &lt;b&gt;input&lt;/b&gt; &amp; &quot;quotes&quot;"));
  CHECK(contains(error, "cloudsignal login"));
  CHECK_FALSE(contains(error, "<form"));
}

TEST_CASE("the pages forbid scripts, framing and referrers", "[api][oauth]") {
  auto headers = page_headers("http://127.0.0.1:54321");
  CHECK(headers["Content-Security-Policy"] ==
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' "
        "http://127.0.0.1:54321; frame-ancestors 'none'; base-uri 'none'");
  CHECK(headers["X-Frame-Options"] == "DENY");
  CHECK(headers["Referrer-Policy"] == "no-referrer");
  CHECK(page_headers("http://[::1]:54321")["Content-Security-Policy"] ==
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http:; "
        "frame-ancestors 'none'; base-uri 'none'");
  CHECK(page_headers("")["Content-Security-Policy"] ==
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors "
        "'none'; base-uri 'none'");
}
