#include "devbroker/api/signin_page.h"

namespace cs::api {
namespace {

constexpr std::string_view k_head = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>)html";

// Light and dark, readable without any external font or image.
constexpr std::string_view k_style = R"html(</title>
<style>
:root { color-scheme: light dark; --bg: #f4f5f7; --card: #fff; --text: #1d2330; --muted: #5c6474;
  --line: #dde1e7; --accent: #3b5bdb; --accent-text: #fff; --soft: #eef2ff; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171c; --card: #1e2128; --text: #e6e8ee; --muted: #9aa3b2; --line: #333844;
    --accent: #748ffc; --accent-text: #10131a; --soft: #262c3d; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { width: min(28rem, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--line);
  border-radius: 12px; padding: 2rem; box-shadow: 0 1px 3px rgba(0, 0, 0, .08); }
.brand { margin: 0 0 .25rem; color: var(--accent); font-size: .8rem; font-weight: 700;
  letter-spacing: .08em; text-transform: uppercase; }
h1 { margin: 0 0 1.25rem; font-size: 1.3rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; margin: 0 0 1.25rem; }
dt { color: var(--muted); }
dd { margin: 0; font-weight: 500; overflow-wrap: anywhere; }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
.grant { margin: 0 0 1.5rem; padding: .8rem 1rem; border-radius: 8px; background: var(--soft); }
.actions { display: flex; gap: .75rem; }
button { flex: 1; padding: .65rem 1rem; border: 1px solid var(--line); border-radius: 8px;
  background: var(--card); color: var(--text); font: inherit; font-weight: 600; cursor: pointer; }
button.approve { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.note { margin: 1.25rem 0 0; color: var(--muted); font-size: .85rem; }
</style>
</head>
<body>
<main>
<p class="brand">CloudSignal</p>
)html";

constexpr std::string_view k_tail = "</main>\n</body>\n</html>\n";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_signin_page(const SigninPage& page) {
  std::string html(k_head);
  html.append("Sign in to the cloudsignal CLI").append(k_style);
  html.append("<h1>Sign in to the cloudsignal CLI</h1>\n<dl>\n<dt>Organization</dt><dd>")
      .append(html_escape(page.org_name))
      .append(" <code>")
      .append(html_escape(page.org_short_id))
      .append("</code></dd>\n<dt>Account</dt><dd>")
      .append(html_escape(page.account_email))
      .append("</dd>\n<dt>Application</dt><dd>cloudsignal CLI <code>")
      .append(html_escape(page.client_id))
      .append("</code></dd>\n</dl>\n");
  html.append(
      "<p class=\"grant\"><strong>Full access to this organization.</strong> The CLI will be able "
      "to manage its users, API keys, tokens, access rules and identity providers, and to publish "
      "messages, until you sign out.</p>\n");
  html.append("<form method=\"post\" action=\"/oauth/authorize\">\n")
      .append("<input type=\"hidden\" name=\"request_id\" value=\"")
      .append(html_escape(page.request_id))
      .append("\">\n<div class=\"actions\">\n")
      .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n")
      .append(
          "<button type=\"submit\" name=\"decision\" value=\"approve\" "
          "class=\"approve\">Approve</button>\n")
      .append("</div>\n</form>\n");
  html.append(
          "<p class=\"note\">The local development broker (cloudsignal dev) answers for this "
          "account. Your answer returns you to <code>")
      .append(html_escape(page.redirect_origin))
      .append("</code>, where the CLI is waiting.</p>\n");
  html.append(k_tail);
  return html;
}

std::string render_error_page(std::string_view message) {
  std::string html(k_head);
  html.append("Sign-in failed").append(k_style);
  html.append("<h1>Sign-in cannot go on</h1>\n<p>")
      .append(html_escape(message))
      .append(
          "</p>\n<p class=\"note\">Nothing was granted. Start again from the CLI with "
          "<code>cloudsignal login</code>.</p>\n");
  html.append(k_tail);
  return html;
}

std::map<std::string, std::string> page_headers(std::string_view form_origin) {
  std::string form_action = "form-action 'self'";
  // A CSP host source cannot name an IPv6 address (CSP3: host-char is ALPHA / DIGIT / "-"), and
  // browsers then block the redirect to http://[::1]:<port>; the scheme stands in for it there.
  if (form_origin.starts_with("http://[")) {
    form_action.append(" http:");
  } else if (!form_origin.empty()) {
    form_action.append(" ").append(form_origin);
  }
  std::string policy = "default-src 'none'; style-src 'unsafe-inline'; ";
  policy.append(form_action).append("; frame-ancestors 'none'; base-uri 'none'");
  return {{"Content-Security-Policy", std::move(policy)},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"}};
}

}  // namespace cs::api
