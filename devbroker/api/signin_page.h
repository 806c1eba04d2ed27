#pragma once
// The dev broker's sign-in page for the CLI's login, and its error page: self-contained HTML
// (inline CSS, no scripts, no external assets) whose every interpolated value is escaped, and the
// strict headers both are served with.

#include <map>
#include <string>
#include <string_view>

namespace cs::api {

/// What the sign-in page shows and sends back.
struct SigninPage {
  std::string org_name;
  std::string org_short_id;
  std::string account_email;
  std::string client_id;
  std::string redirect_origin;  // where the browser goes after the answer
  std::string request_id;       // the pending request, as a hidden form field
};

/// `text` with & < > " ' replaced by character references, safe in text and quoted attributes.
std::string html_escape(std::string_view text);

/// The sign-in page: who signs in to which org, what the CLI is granted, and a plain POST form to
/// /oauth/authorize with Approve and Deny buttons.
std::string render_signin_page(const SigninPage& page);

/// A page saying why sign-in cannot go on: `message`, and what to do next.
std::string render_error_page(std::string_view message);

/// The headers of both pages: a Content-Security-Policy allowing inline styles only and form
/// submissions to this server and to `form_origin` (the loopback callback the answer redirects
/// to; empty for none; any http URL for an IPv6 one, which CSP cannot name), no framing, no
/// referrer.
std::map<std::string, std::string> page_headers(std::string_view form_origin);

}  // namespace cs::api
