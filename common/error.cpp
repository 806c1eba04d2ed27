#include "common/error.h"

#include <nlohmann/json.hpp>

namespace cs {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_request:
      return "invalid_request";
    case ErrorCode::invalid_token:
      return "invalid_token";
    case ErrorCode::token_expired:
      return "token_expired";
    case ErrorCode::unauthorized:
      return "unauthorized";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::provider_not_found:
      return "provider_not_found";
    case ErrorCode::org_not_found:
      return "org_not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::jwks_unavailable:
      return "jwks_unavailable";
    case ErrorCode::unreachable:
      return "unreachable";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::usage:
      return "usage";
    case ErrorCode::io:
      return "io_error";
    case ErrorCode::internal:
      return "internal_error";
  }
  return "internal_error";
}

int exit_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::usage:
    case ErrorCode::invalid_request:
      return 2;
    case ErrorCode::invalid_token:
    case ErrorCode::token_expired:
    case ErrorCode::unauthorized:
    case ErrorCode::forbidden:
      return 3;
    case ErrorCode::not_found:
    case ErrorCode::provider_not_found:
    case ErrorCode::org_not_found:
      return 4;
    case ErrorCode::conflict:
      return 5;
    case ErrorCode::unreachable:
    case ErrorCode::jwks_unavailable:
    case ErrorCode::timeout:
      return 6;
    case ErrorCode::rate_limited:
    case ErrorCode::unavailable:
    case ErrorCode::io:
    case ErrorCode::internal:
      return 1;
  }
  return 1;
}

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_request:
    case ErrorCode::usage:
      return 400;
    case ErrorCode::invalid_token:
    case ErrorCode::token_expired:
    case ErrorCode::unauthorized:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
    case ErrorCode::provider_not_found:
    case ErrorCode::org_not_found:
      return 404;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::unavailable:
    case ErrorCode::jwks_unavailable:
    case ErrorCode::unreachable:
      return 503;
    case ErrorCode::timeout:
      return 504;
    case ErrorCode::io:
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

std::string to_http_json(const Error& error) {
  nlohmann::json body = {{"error", error_code_name(error.code)},
                         {"error_description", error.message}};
  if (!error.reason.empty()) body["reason"] = error.reason;
  return body.dump();
}

}  // namespace cs
