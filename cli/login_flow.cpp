#include "cli/login_flow.h"

#include <charconv>

#include "cli/session.h"
#include "common/crypto/constant_time.h"

namespace cs::cli {
namespace {

std::optional<std::string> single(const std::multimap<std::string, std::string>& params,
                                  const std::string& name) {
  if (params.count(name) != 1) return std::nullopt;
  return params.find(name)->second;
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// An error text from the server is shown to a person: printable ASCII only, and not too long.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 200)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return out;
}

}  // namespace

std::string loopback_redirect_uri(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/callback";
}

std::string authorize_url(const http::Url& api, const AuthorizeRequest& request) {
  std::string url = api.origin();
  std::string path = api.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  url.append(path).append("/oauth/authorize?response_type=code&client_id=");
  url.append(http::url_encode(k_cli_client_id))
      .append("&redirect_uri=")
      .append(http::url_encode(request.redirect_uri))
      .append("&code_challenge=")
      .append(http::url_encode(request.code_challenge))
      .append("&code_challenge_method=S256&state=")
      .append(http::url_encode(request.state));
  return url;
}

Result<std::string> read_callback(const std::multimap<std::string, std::string>& params,
                                  std::string_view expected_state) {
  const auto state = single(params, "state");
  if (!state || !crypto::constant_time_equal(*state, expected_state)) {
    return fail(ErrorCode::unauthorized,
                "the browser's answer does not belong to this login (state mismatch)",
                "run `cloudsignal login` again and finish it in the browser it opens");
  }
  if (const auto error = single(params, "error")) {
    if (*error == "access_denied") {
      return fail(ErrorCode::unauthorized, "sign-in was denied in the browser",
                  "run `cloudsignal login` again and choose Approve");
    }
    std::string message = "sign-in failed: ";
    message.append(printable(*error));
    if (const auto description = single(params, "error_description")) {
      message.append(" (").append(printable(*description)).append(")");
    }
    return fail(ErrorCode::unauthorized, std::move(message), "run `cloudsignal login` again");
  }
  const auto code = single(params, "code");
  if (!code || code->empty()) {
    return fail(ErrorCode::invalid_request, "the browser's answer carries no code",
                "run `cloudsignal login` again");
  }
  return *code;
}

std::string callback_page(bool ok, std::string_view message) {
  std::string page =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>cloudsignal login</title></head>\n<body style=\"font-family: sans-serif; margin: "
      "3em\">\n<h1>";
  page.append(ok ? "Signed in" : "Sign-in failed").append("</h1>\n<p>");
  page.append(html_escape(message))
      .append("</p>\n<p>You can close this tab.</p>\n</body></html>\n");
  return page;
}

Result<std::chrono::seconds> login_timeout(const std::optional<std::string>& value) {
  if (!value || value->empty()) return k_login_timeout;
  long long seconds = 0;
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, seconds);
  if (ec != std::errc() || ptr != end || seconds < 1 || seconds > k_max_login_timeout.count()) {
    std::string message(k_login_timeout_env);
    message.append(" must be a number of seconds from 1 to 3600");
    return fail(ErrorCode::usage, std::move(message));
  }
  return std::chrono::seconds(seconds);
}

}  // namespace cs::cli
