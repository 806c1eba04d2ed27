#include "common/time/rfc3339.h"

#include <cstdio>

namespace cs {
namespace {

using namespace std::chrono;

// Reads exactly `width` decimal digits at `pos`; -1 when any is not a digit.
int read_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool expect(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

auto bad(std::string_view why) {
  return fail(ErrorCode::invalid_request, "not an RFC 3339 time: " + std::string(why),
              "use the form 2026-01-15T13:00:00Z");
}

}  // namespace

std::string format_rfc3339(SysSeconds t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<SysSeconds> parse_rfc3339(std::string_view text) {
  // full-date "T" partial-time time-offset; positions are fixed up to the seconds.
  const int y = read_digits(text, 0, 4);
  const int mo = read_digits(text, 5, 2);
  const int d = read_digits(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || !expect(text, 4, '-') || !expect(text, 7, '-'))
    return bad("expected a date YYYY-MM-DD");
  if (!(expect(text, 10, 'T') || expect(text, 10, 't') || expect(text, 10, ' ')))
    return bad("expected 'T' between date and time");
  const int h = read_digits(text, 11, 2);
  const int mi = read_digits(text, 14, 2);
  const int s = read_digits(text, 17, 2);
  if (h < 0 || mi < 0 || s < 0 || !expect(text, 13, ':') || !expect(text, 16, ':'))
    return bad("expected a time hh:mm:ss");

  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("the date does not exist");
  if (h > 23 || mi > 59 || s > 60) return bad("the time is out of range");

  std::size_t pos = 19;
  if (expect(text, pos, '.')) {
    const std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return bad("expected digits after '.'");
  }

  int offset_minutes = 0;
  if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
    ++pos;
  } else if (expect(text, pos, '+') || expect(text, pos, '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    const int oh = read_digits(text, pos + 1, 2);
    const int om = read_digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || !expect(text, pos + 3, ':') || oh > 23 || om > 59)
      return bad("the offset must be +hh:mm or -hh:mm");
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return bad("expected 'Z' or an offset");
  }
  if (pos != text.size()) return bad("unexpected text after the offset");

  const SysSeconds local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
  return local - minutes{offset_minutes};
}

}  // namespace cs
