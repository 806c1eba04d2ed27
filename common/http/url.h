#pragma once
// Absolute http(s) URLs as configuration gives them: parsed strictly enough to decide where a
// request may go (HTTPS anywhere, plain HTTP only to this machine).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cs::http {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;
  std::string path;  // starts with '/', includes any query

  /// "scheme://host:port" as cpp-httplib's Client wants it.
  std::string origin() const;
};

/// Parses an absolute http or https URL; refuses other schemes, user info, fragments, empty
/// hosts and bad ports with an invalid_request error naming the problem.
Result<Url> parse_url(std::string_view text);

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

/// Parses `text` and refuses plain http unless the host is loopback: where keys and tokens may be
/// fetched from.
Result<Url> parse_secure_url(std::string_view text);

}  // namespace cs::http
