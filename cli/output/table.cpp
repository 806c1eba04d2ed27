#include "cli/output/table.h"

#include <algorithm>

namespace cs::cli::output {
namespace {

constexpr std::string_view k_bold = "\x1b[1m";
constexpr std::string_view k_reset = "\x1b[0m";

// Columns are measured in code points: good enough for names and topics, which are rarely
// double-width.
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void append_row(std::string& out, const std::vector<std::string>& row,
                const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const std::string value = i < row.size() ? printable(row[i]) : std::string();
    line.append(value);
    if (i + 1 < widths.size()) line.append(widths[i] - display_width(value) + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out.append(line).push_back('\n');
}

}  // namespace

Style output_style(const Context& ctx) {
  if (!ctx.stdout_is_tty) return Style::plain;
  const auto no_color = ctx.getenv ? ctx.getenv("NO_COLOR") : std::nullopt;
  return no_color && !no_color->empty() ? Style::plain : Style::terminal;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // C1 controls are U+0080..U+009F, encoded as C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        out.push_back('?');
        ++i;
        continue;
      }
    }
    out.push_back(c < 0x20 || c == 0x7F ? '?' : text[i]);
  }
  return out;
}

std::string cell(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_array()) {
    if (value.empty()) return "-";
    std::string out;
    for (const auto& item : value) {
      if (!out.empty()) out.push_back(',');
      out.append(cell(item));
    }
    return out;
  }
  return value.dump();
}

std::string field(const nlohmann::json& object, const std::string& name) {
  if (!object.is_object()) return "-";
  const auto it = object.find(name);
  return it == object.end() ? "-" : cell(*it);
}

std::string render_table(const Table& table, Style style) {
  std::vector<std::size_t> widths(table.headers.size(), 0);
  const auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < widths.size() && i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(printable(row[i])));
    }
  };
  measure(table.headers);
  for (const auto& row : table.rows) measure(row);
  std::string out;
  if (style == Style::terminal) out.append(k_bold);
  append_row(out, table.headers, widths);
  if (style == Style::terminal) out.insert(out.size() - 1, k_reset);
  for (const auto& row : table.rows) append_row(out, row, widths);
  return out;
}

std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  std::size_t width = 0;
  for (const auto& [name, value] : fields) width = std::max(width, display_width(name));
  for (const auto& [name, value] : fields) {
    std::string line = printable(name);
    line.append(width - display_width(name) + 2, ' ').append(printable(value));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.append(line).push_back('\n');
  }
  return out;
}

std::string render_json(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace cs::cli::output
