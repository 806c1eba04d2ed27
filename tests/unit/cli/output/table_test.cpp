#include "cli/output/table.h"

#include <catch2/catch.hpp>
#include <sstream>

using cs::cli::output::cell;
using cs::cli::output::field;
using cs::cli::output::output_style;
using cs::cli::output::printable;
using cs::cli::output::render_fields;
using cs::cli::output::render_json;
using cs::cli::output::render_table;
using cs::cli::output::Style;
using cs::cli::output::Table;

namespace {

cs::cli::Context context(std::ostream& stream, bool tty, std::optional<std::string> no_color) {
  cs::cli::Context ctx{stream, stream, [no_color](std::string_view name) {
                         return name == "NO_COLOR" ? no_color : std::optional<std::string>{};
                       }};
  ctx.stdout_is_tty = tty;
  return ctx;
}

}  // namespace

TEST_CASE("a table pads every column to its widest cell, without trailing spaces",
          "[cli][output]") {
  const Table table{{"NAME", "MQTT USERNAME", "CREATED"},
                    {{"alice", "alice@org_a", "2026-01-01T00:00:00Z"}, {"bo", "bo@org_a", "-"}}};
  CHECK(render_table(table, Style::plain) ==
        "NAME   MQTT USERNAME  CREATED\n"
        "alice  alice@org_a    2026-01-01T00:00:00Z\n"
        "bo     bo@org_a       -\n");
}

TEST_CASE("a table with no rows is its header alone", "[cli][output]") {
  CHECK(render_table(Table{{"ID", "NAME"}, {}}, Style::plain) == "ID  NAME\n");
}

TEST_CASE("a table counts UTF-8 code points, not bytes, when aligning", "[cli][output]") {
  const Table table{{"NAME", "X"}, {{"\xc3\xa9t\xc3\xa9", "1"}, {"abcd", "2"}}};
  CHECK(render_table(table, Style::plain) == "NAME  X\n\xc3\xa9t\xc3\xa9   1\nabcd  2\n");
}

TEST_CASE("only a terminal table has a bold header, reset before the newline", "[cli][output]") {
  const Table table{{"ID"}, {{"1"}}};
  CHECK(render_table(table, Style::terminal) == "\x1b[1mID\x1b[0m\n1\n");
}

TEST_CASE("styling needs a terminal and no NO_COLOR", "[cli][output]") {
  std::ostringstream s;
  CHECK(output_style(context(s, true, std::nullopt)) == Style::terminal);
  CHECK(output_style(context(s, true, std::string())) == Style::terminal);
  CHECK(output_style(context(s, true, std::string("1"))) == Style::plain);
  CHECK(output_style(context(s, false, std::nullopt)) == Style::plain);
}

TEST_CASE("control characters from the server cannot reach the terminal", "[cli][output]") {
  CHECK(printable("a\x1b[31mred\x07") == "a?[31mred?");
  CHECK(printable("line\nbreak\r\t\x7f") == "line?break???");
  CHECK(printable("c1\xc2\x9b"
                  "2J") == "c1?2J");
  CHECK(printable("caf\xc3\xa9 \xc2\xa0ok") == "caf\xc3\xa9 \xc2\xa0ok");
  const Table table{{"NAME"}, {{"evil\x1b]0;title\x07"}}};
  CHECK(render_table(table, Style::plain) == "NAME\nevil?]0;title?\n");
}

TEST_CASE("JSON values become cells a person reads", "[cli][output]") {
  CHECK(cell(nullptr) == "-");
  CHECK(cell("text") == "text");
  CHECK(cell(true) == "yes");
  CHECK(cell(false) == "no");
  CHECK(cell(42) == "42");
  CHECK(cell(nlohmann::json::array({"read", "publish:a/#"})) == "read,publish:a/#");
  CHECK(cell(nlohmann::json::array()) == "-");
  CHECK(cell(nlohmann::json{{"a", 1}}) == R"({"a":1})");
}

TEST_CASE("a missing field, or a field of something not an object, is a dash", "[cli][output]") {
  const nlohmann::json user = {{"name", "alice"}, {"last_used_at", nullptr}};
  CHECK(field(user, "name") == "alice");
  CHECK(field(user, "last_used_at") == "-");
  CHECK(field(user, "absent") == "-");
  CHECK(field(nlohmann::json::array({1}), "name") == "-");
  CHECK(field(nullptr, "name") == "-");
}

TEST_CASE("field blocks align the values after the longest name", "[cli][output]") {
  CHECK(render_fields({{"id", "p1"}, {"mqtt username", "a@org_x"}, {"empty", ""}}) ==
        "id             p1\n"
        "mqtt username  a@org_x\n"
        "empty\n");
}

TEST_CASE("JSON output is indented, parseable and ends with a newline", "[cli][output]") {
  const nlohmann::json value = {{"users", {{{"name", "alice"}}}}};
  const auto text = render_json(value);
  CHECK(text.back() == '\n');
  CHECK(nlohmann::json::parse(text) == value);
  CHECK(text.find("\n  \"users\"") != std::string::npos);
  // Invalid UTF-8 from a server is replaced, never a thrown exception.
  CHECK_NOTHROW(render_json(nlohmann::json("bad\xff")));
}
