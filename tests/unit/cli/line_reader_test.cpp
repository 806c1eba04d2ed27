#include "cli/line_reader.h"

#include <catch2/catch.hpp>
#include <sstream>

using cs::cli::read_line;

TEST_CASE("lines: newline and CRLF endings, a last line without one", "[cli]") {
  std::istringstream in("one\ntwo\r\n\nthree");
  for (const char* expected : {"one", "two", "", "three"}) {
    auto line = read_line(in, 100, "a line");
    REQUIRE(line);
    REQUIRE(*line);
    CHECK(**line == expected);
  }
  auto end = read_line(in, 100, "a line");
  REQUIRE(end);
  CHECK_FALSE(*end);
}

TEST_CASE("lines: bytes pass unchanged, including NUL", "[cli]") {
  std::istringstream in(std::string("a\0\xff\n", 4));
  auto line = read_line(in, 100, "a line");
  REQUIRE(line);
  CHECK(**line == std::string("a\0\xff", 3));
}

TEST_CASE("lines: a line over the limit is refused, one at the limit is not", "[cli]") {
  std::istringstream ok("12345\r\n");
  auto line = read_line(ok, 5, "a line on stdin");
  REQUIRE(line);
  CHECK(**line == "12345");
  std::istringstream long_line("123456\n");
  line = read_line(long_line, 5, "a line on stdin");
  REQUIRE_FALSE(line);
  CHECK(line.error().code == cs::ErrorCode::invalid_request);
  CHECK(line.error().message == "a line on stdin is longer than 5 bytes");
  std::istringstream endless(std::string(1000, 'x'));
  CHECK_FALSE(read_line(endless, 5, "a line"));
}

TEST_CASE("lines: empty input is the end at once", "[cli]") {
  std::istringstream in("");
  auto line = read_line(in, 5, "a line");
  REQUIRE(line);
  CHECK_FALSE(*line);
}
