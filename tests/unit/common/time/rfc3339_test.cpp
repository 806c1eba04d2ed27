#include "common/time/rfc3339.h"

#include <catch2/catch.hpp>

using namespace std::chrono;
using cs::format_rfc3339;
using cs::parse_rfc3339;
using cs::SysSeconds;

namespace {

std::string normalised(std::string_view text) {
  return format_rfc3339(parse_rfc3339(text).value());
}

}  // namespace

TEST_CASE("RFC 3339 formats UTC seconds", "[rfc3339]") {
  CHECK(format_rfc3339(SysSeconds{seconds{0}}) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(SysSeconds{seconds{1768482000}}) == "2026-01-15T13:00:00Z");
  CHECK(format_rfc3339(SysSeconds{seconds{4102444800}}) == "2100-01-01T00:00:00Z");
  CHECK(format_rfc3339(SysSeconds{seconds{951782400}}) == "2000-02-29T00:00:00Z");
}

TEST_CASE("RFC 3339 parses the examples of section 5.8", "[rfc3339]") {
  CHECK(normalised("1985-04-12T23:20:50.52Z") == "1985-04-12T23:20:50Z");
  CHECK(normalised("1996-12-19T16:39:57-08:00") == "1996-12-20T00:39:57Z");
  CHECK(normalised("1990-12-31T23:59:60Z") == "1991-01-01T00:00:00Z");
  CHECK(normalised("1990-12-31T15:59:60-08:00") == "1991-01-01T00:00:00Z");
  CHECK(normalised("1937-01-01T12:00:27.87+00:20") == "1937-01-01T11:40:27Z");
}

TEST_CASE("RFC 3339 round-trips", "[rfc3339]") {
  for (std::int64_t s : {0LL, 1LL, 86399LL, 951782400LL, 1768482000LL, 4102444799LL}) {
    const SysSeconds t{seconds{s}};
    CHECK(parse_rfc3339(format_rfc3339(t)).value() == t);
  }
  CHECK(normalised("2026-01-15t13:00:00z") == "2026-01-15T13:00:00Z");
  CHECK(normalised("2026-01-15 13:00:00Z") == "2026-01-15T13:00:00Z");
}

TEST_CASE("RFC 3339 refuses bad strings with a clear error", "[rfc3339]") {
  const char* bad[] = {
      "",
      "2026-01-15",
      "2026-01-15T13:00:00",   // no offset
      "2026-01-15T13:00Z",     // no seconds
      "2026-1-15T13:00:00Z",   // one-digit month
      "2026-13-01T00:00:00Z",  // month 13
      "2026-02-29T00:00:00Z",  // not a leap year
      "2026-04-31T00:00:00Z",
      "2026-00-10T00:00:00Z",
      "2026-01-00T00:00:00Z",
      "2026-01-15T24:00:00Z",
      "2026-01-15T13:60:00Z",
      "2026-01-15T13:00:61Z",
      "2026-01-15T13:00:00.Z",  // empty fraction
      "2026-01-15T13:00:00+2:00",
      "2026-01-15T13:00:00+0200",
      "2026-01-15T13:00:00+24:00",
      "2026-01-15T13:00:00Zjunk",
      "2026-01-15X13:00:00Z",
      " 2026-01-15T13:00:00Z",
      "２０２６-01-15T13:00:00Z",
  };
  for (const char* text : bad) {
    INFO(text);
    const auto r = parse_rfc3339(text);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == cs::ErrorCode::invalid_request);
    CHECK(r.error().message.starts_with("not an RFC 3339 time: "));
  }
  CHECK(parse_rfc3339("2026-02-30T00:00:00Z").error().message ==
        "not an RFC 3339 time: the date does not exist");
}
