#include "common/error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using cs::Error;
using cs::ErrorCode;

TEST_CASE("errors map to the CLI's documented exit codes", "[error]") {
  CHECK(cs::exit_code(ErrorCode::internal) == 1);
  CHECK(cs::exit_code(ErrorCode::usage) == 2);
  CHECK(cs::exit_code(ErrorCode::unauthorized) == 3);
  CHECK(cs::exit_code(ErrorCode::invalid_token) == 3);
  CHECK(cs::exit_code(ErrorCode::token_expired) == 3);
  CHECK(cs::exit_code(ErrorCode::forbidden) == 3);
  CHECK(cs::exit_code(ErrorCode::not_found) == 4);
  CHECK(cs::exit_code(ErrorCode::provider_not_found) == 4);
  CHECK(cs::exit_code(ErrorCode::conflict) == 5);
  CHECK(cs::exit_code(ErrorCode::unreachable) == 6);
  CHECK(cs::exit_code(ErrorCode::timeout) == 6);
}

TEST_CASE("errors map to the HTTP statuses of API.md", "[error]") {
  CHECK(cs::http_status(ErrorCode::invalid_request) == 400);
  CHECK(cs::http_status(ErrorCode::invalid_token) == 401);
  CHECK(cs::http_status(ErrorCode::token_expired) == 401);
  CHECK(cs::http_status(ErrorCode::unauthorized) == 401);
  CHECK(cs::http_status(ErrorCode::forbidden) == 403);
  CHECK(cs::http_status(ErrorCode::provider_not_found) == 404);
  CHECK(cs::http_status(ErrorCode::org_not_found) == 404);
  CHECK(cs::http_status(ErrorCode::conflict) == 409);
  CHECK(cs::http_status(ErrorCode::rate_limited) == 429);
  CHECK(cs::http_status(ErrorCode::unavailable) == 503);
  CHECK(cs::http_status(ErrorCode::jwks_unavailable) == 503);
  CHECK(cs::error_code_name(ErrorCode::jwks_unavailable) == "jwks_unavailable");
  CHECK(cs::http_status(ErrorCode::internal) == 500);
}

TEST_CASE("the HTTP error body carries code, description and optional reason", "[error]") {
  const auto plain = nlohmann::json::parse(
      cs::to_http_json(Error{ErrorCode::provider_not_found, "no provider named clerk"}));
  CHECK(plain == nlohmann::json{{"error", "provider_not_found"},
                                {"error_description", "no provider named clerk"}});

  const auto with_reason = nlohmann::json::parse(
      cs::to_http_json(Error{ErrorCode::invalid_token, "the token has expired", "", "expired"}));
  CHECK(with_reason["error"] == "invalid_token");
  CHECK(with_reason["reason"] == "expired");
  CHECK_FALSE(with_reason.contains("hint"));
}

TEST_CASE("every error code has a snake_case name", "[error]") {
  for (int i = 0; i <= static_cast<int>(ErrorCode::internal); ++i) {
    const auto name = cs::error_code_name(static_cast<ErrorCode>(i));
    INFO(i);
    CHECK_FALSE(name.empty());
    CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
  }
}
