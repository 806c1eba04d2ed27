#pragma once
// Redirect URIs of native apps (RFC 8252 section 7.3): plain http to a loopback address with an
// explicit port, where the CLI listens for the answer of the sign-in page; and the query that a
// redirect back to them carries.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace cs::api {

inline constexpr std::size_t k_max_redirect_uri = 512;

struct LoopbackRedirect {
  std::string uri;     // as given
  std::string origin;  // "http://127.0.0.1:54321", what the sign-in page may submit towards
};

/// Accepts `uri` when it is `http://127.0.0.1:<port>`, `http://[::1]:<port>` or
/// `http://localhost:<port>` (port 1 to 65535), then an optional path of RFC 3986 unreserved
/// characters and '/', with no query, fragment or user info; else invalid_request saying why.
Result<LoopbackRedirect> parse_loopback_redirect(std::string_view uri);

/// `text` percent-encoded except for RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

/// `uri` (which has no query) with `params` appended as its query, names and values encoded.
std::string with_query(std::string_view uri,
                       const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace cs::api
