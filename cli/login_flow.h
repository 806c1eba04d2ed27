#pragma once
// The pure parts of the browser login (API.md, "CLI login"; RFC 6749, 7636, 8252): the sign-in
// URL, the redirect URI of the loopback listener, reading the browser's answer at /callback, and
// the page the browser shows afterwards.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/url.h"
#include "common/result.h"

namespace cs::cli {

/// How long `login` waits for the browser unless CLOUDSIGNAL_LOGIN_TIMEOUT says otherwise.
inline constexpr std::chrono::seconds k_login_timeout{300};
inline constexpr std::string_view k_login_timeout_env = "CLOUDSIGNAL_LOGIN_TIMEOUT";
inline constexpr std::chrono::seconds k_max_login_timeout{3600};

struct AuthorizeRequest {
  std::string redirect_uri;
  std::string code_challenge;  // S256
  std::string state;
};

/// "http://127.0.0.1:<port>/callback".
std::string loopback_redirect_uri(int port);

/// The sign-in page's URL at the API `api` for `request`.
std::string authorize_url(const http::Url& api, const AuthorizeRequest& request);

/// The authorization code in the query `params` of a request to /callback, checked against
/// `expected_state` first (a mismatch is refused whatever else the request says); a denial or an
/// error the server sent back is an `unauthorized` error saying so.
Result<std::string> read_callback(const std::multimap<std::string, std::string>& params,
                                  std::string_view expected_state);

/// The small HTML page the browser shows at /callback: `ok` or not, and `message` (escaped).
std::string callback_page(bool ok, std::string_view message);

/// The wait `value` (CLOUDSIGNAL_LOGIN_TIMEOUT, whole seconds from 1 to an hour) sets, or the
/// default when it is unset; a usage error for anything else.
Result<std::chrono::seconds> login_timeout(const std::optional<std::string>& value);

}  // namespace cs::cli
