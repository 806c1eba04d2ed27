#include "cli/line_reader.h"

namespace cs::cli {
namespace {

tl::unexpected<Error> too_long(std::string_view what, std::size_t max_bytes) {
  std::string message(what);
  message.append(" is longer than ").append(std::to_string(max_bytes)).append(" bytes");
  return fail(ErrorCode::invalid_request, std::move(message));
}

}  // namespace

Result<std::optional<std::string>> read_line(std::istream& in, std::size_t max_bytes,
                                             std::string_view what) {
  std::string line;
  std::streambuf* buffer = in.rdbuf();
  if (buffer == nullptr) return std::nullopt;
  bool any = false;
  for (;;) {
    const auto c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      if (!any) return std::nullopt;
      break;
    }
    any = true;
    if (c == '\n') break;
    line.push_back(static_cast<char>(c));
    if (line.size() > max_bytes + 1) return too_long(what, max_bytes);  // room for a '\r'
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() > max_bytes) return too_long(what, max_bytes);
  return line;
}

}  // namespace cs::cli
