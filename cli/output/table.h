#pragma once
// Human output: aligned columns for lists and field/value blocks for single objects. Styling
// (a bold header) only on a terminal without NO_COLOR; values from the server are made safe to
// print (control characters cannot move the cursor or recolour the terminal).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.h"

namespace cs::cli::output {

enum class Style { plain, terminal };

/// `terminal` when `ctx`'s stdout is a TTY and NO_COLOR is unset or empty, else `plain`.
Style output_style(const Context& ctx);

/// `text` with every control character (C0, DEL, C1) replaced by '?'.
std::string printable(std::string_view text);

/// A JSON value as one table cell: strings as they are, null as "-", arrays joined by ",",
/// booleans as "yes"/"no", objects and numbers as compact JSON.
std::string cell(const nlohmann::json& value);

/// The cell of member `name` of `object`; "-" when absent or when `object` is not an object.
std::string field(const nlohmann::json& object, const std::string& name);

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

/// `table` with each column padded to its widest cell (UTF-8 aware), two spaces between
/// columns, no trailing spaces; the header bold under `style` terminal.
std::string render_table(const Table& table, Style style);

/// One "field  value" line per pair of `fields`, the names padded to the longest.
std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields);

/// `value` as indented JSON and a newline: the machine output of every `--json` flag.
std::string render_json(const nlohmann::json& value);

}  // namespace cs::cli::output
