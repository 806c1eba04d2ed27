#include "devbroker/mqtt/wire.h"

#include <cstring>
#include <stdexcept>

namespace cs::mqtt::wire {
namespace {

constexpr std::uint64_t k_high_bits = 0x8080808080808080ULL;
constexpr std::uint64_t k_low_bits = 0x0101010101010101ULL;

// True when one of the eight bytes of `word` is zero; exact when no byte has its high bit set.
constexpr bool has_zero_byte(std::uint64_t word) {
  return ((word - k_low_bits) & ~word & k_high_bits) != 0;
}

constexpr bool is_continuation(std::uint8_t byte) {
  return (byte & 0xC0) == 0x80;
}

// Checks one multi-byte sequence starting at `p` with lead byte `lead`; sets `length`.
Utf8Problem check_sequence(const std::uint8_t* p, std::size_t left, std::size_t& length) {
  const std::uint8_t lead = p[0];
  if (lead < 0xC0) return Utf8Problem::ill_formed;  // a continuation byte with no lead
  if (lead < 0xC2) return Utf8Problem::overlong;    // C0 and C1 only encode U+0000..U+007F
  if (lead >= 0xF8) return Utf8Problem::ill_formed;
  length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (left < length) return Utf8Problem::ill_formed;
  for (std::size_t i = 1; i < length; ++i)
    if (!is_continuation(p[i])) return Utf8Problem::ill_formed;
  // The second byte tells the remaining bad cases apart (Unicode table 3-7).
  const std::uint8_t second = p[1];
  if (lead == 0xE0 && second < 0xA0) return Utf8Problem::overlong;
  if (lead == 0xED && second >= 0xA0) return Utf8Problem::surrogate;
  if (lead == 0xF0 && second < 0x90) return Utf8Problem::overlong;
  if ((lead == 0xF4 && second >= 0x90) || lead > 0xF4) return Utf8Problem::beyond_max;
  return Utf8Problem::none;
}

}  // namespace

std::size_t field_size(std::size_t size) {
  if (size > k_max_field)
    throw std::length_error("an MQTT string or binary field is longer than 65535 bytes");
  return 2 + size;
}

std::uint32_t checked_length(std::size_t size) {
  if (size > k_max_varint)
    throw std::length_error("an MQTT packet or property list is longer than 268435455 bytes");
  return static_cast<std::uint32_t>(size);
}

Varint read_varint(ByteView bytes) {
  Varint result;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4) {
      result.status = VarintStatus::too_long;
      return result;
    }
    const std::uint8_t byte = bytes[i];
    value |= std::uint32_t{byte & 0x7Fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      // A last group of zero after the first byte adds nothing: a shorter encoding exists.
      result.status = (byte == 0 && i > 0) ? VarintStatus::not_minimal : VarintStatus::ok;
      result.value = value;
      result.size = i + 1;
      return result;
    }
  }
  result.status = bytes.size() >= 4 ? VarintStatus::too_long : VarintStatus::incomplete;
  return result;
}

Utf8Problem check_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::uint8_t* const end = p + text.size();
  while (p != end) {
    // Topic names and identifiers are mostly ASCII: skip eight such bytes at a time.
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & k_high_bits) == 0 && !has_zero_byte(word)) {
        p += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      if (*p == 0) return Utf8Problem::null_character;
      ++p;
      continue;
    }
    std::size_t length = 0;
    const Utf8Problem problem = check_sequence(p, static_cast<std::size_t>(end - p), length);
    if (problem != Utf8Problem::none) return problem;
    p += length;
  }
  return Utf8Problem::none;
}

std::string_view describe(Utf8Problem problem) {
  switch (problem) {
    case Utf8Problem::none:
      return "is valid UTF-8";
    case Utf8Problem::ill_formed:
      return "is not well-formed UTF-8";
    case Utf8Problem::null_character:
      return "contains U+0000";
    case Utf8Problem::surrogate:
      return "contains a UTF-16 surrogate (U+D800..U+DFFF)";
    case Utf8Problem::overlong:
      return "contains an overlong UTF-8 encoding";
    case Utf8Problem::beyond_max:
      return "contains a code point above U+10FFFF";
  }
  return "is not well-formed UTF-8";
}

std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string hex(std::uint8_t value) {
  static constexpr char k_digits[] = "0123456789ABCDEF";
  return {'0', 'x', k_digits[value >> 4], k_digits[value & 15]};
}

std::uint32_t Reader::varint(std::string_view what) {
  const Varint v = read_varint(ByteView(m_pos, remaining()));
  switch (v.status) {
    case VarintStatus::ok:
      m_pos += v.size;
      return v.value;
    case VarintStatus::incomplete:
      runs_past(what);
      break;
    case VarintStatus::too_long:
      fail(ReasonCode::malformed_packet,
           concat({what, " in ", m_subject, " is longer than four bytes"}));
      break;
    case VarintStatus::not_minimal:
      fail(ReasonCode::malformed_packet,
           concat({what, " in ", m_subject, " is not minimally encoded"}));
      break;
  }
  return 0;
}

void Reader::fail(ReasonCode reason, std::string message) {
  if (!m_error) m_error = CodecError{reason, std::move(message)};
  m_pos = m_end;
}

void Reader::fail(CodecError error) {
  if (!m_error) m_error = std::move(error);
  m_pos = m_end;
}

void Reader::expect_end() {
  const std::size_t left = remaining();
  if (left == 0) return;
  fail(ReasonCode::malformed_packet,
       concat({std::to_string(left), left == 1 ? " unexpected byte" : " unexpected bytes",
               " at the end of ", m_subject}));
}

void Reader::runs_past(std::string_view what) {
  fail(ReasonCode::malformed_packet, concat({what, " runs past the end of ", m_subject}));
}

void Reader::runs_past(std::string_view what, std::size_t size) {
  const std::string count = std::to_string(size);
  fail(ReasonCode::malformed_packet,
       concat({what, " of ", count, " bytes runs past the end of ", m_subject}));
}

void Reader::bad_utf8(std::string_view what, Utf8Problem problem) {
  fail(ReasonCode::malformed_packet, concat({what, " in ", m_subject, " ", describe(problem)}));
}

}  // namespace cs::mqtt::wire
