#pragma once
// One error type for the whole project: a machine code, a sentence for a person, and a hint.
// The CLI turns it into an exit code and the HTTP API into its error JSON, each in one place.

#include <string>
#include <string_view>

namespace cs {

enum class ErrorCode {
  invalid_request,     // the input is malformed or incomplete
  invalid_token,       // a presented token or key is not valid
  token_expired,       // a presented token was valid but has expired
  unauthorized,        // credentials are missing or wrong
  forbidden,           // authenticated, but not allowed
  not_found,           // the named thing does not exist
  provider_not_found,  // no such identity provider
  org_not_found,       // no such organization
  conflict,            // the thing already exists or changed underneath
  rate_limited,        // too many requests; retry later
  unavailable,         // a dependency (disk, broker) cannot serve now
  jwks_unavailable,    // an identity provider's keys cannot be fetched and none are cached
  unreachable,         // the server cannot be reached at all
  timeout,             // the operation did not finish in time
  usage,               // the command line is wrong
  io,                  // a local file or device failed
  internal,            // a bug or an unexpected state
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;   // one sentence a person can act on; never contains a secret
  std::string hint;      // optional: what to do next
  std::string reason;    // optional machine detail, e.g. an IDENTITY.md refusal reason
  long retry_after = 0;  // rate_limited: seconds until a retry may succeed (Retry-After)

  Error() = default;
  Error(ErrorCode code_, std::string message_, std::string hint_ = {}, std::string reason_ = {})
      : code(code_),
        message(std::move(message_)),
        hint(std::move(hint_)),
        reason(std::move(reason_)) {}
};

/// The snake_case name of `code`, as used in the HTTP error JSON (`invalid_request`, ...).
std::string_view error_code_name(ErrorCode code);

/// The CLI exit code for `code`: 1 failure, 2 usage, 3 auth, 4 not found, 5 conflict, 6
/// unreachable.
int exit_code(ErrorCode code);

/// The HTTP status for `code` (400, 401, 403, 404, 409, 429, 503, 500, ...).
int http_status(ErrorCode code);

/// The HTTP error body `{"error": ..., "error_description": ...[, "reason": ...]}` for `error`.
std::string to_http_json(const Error& error);

}  // namespace cs
