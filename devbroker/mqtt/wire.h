#pragma once
// MQTT's data representations (section 1.5 of both specifications): bytes, big-endian integers,
// variable byte integers, length-prefixed UTF-8 strings and binary data. Internal to the codec.
//
// The Reader never reads past its buffer and remembers the first error; after an error it is
// at its end and every read returns a zero value, so decoders check failed() once at the end.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/crypto/bytes.h"
#include "devbroker/mqtt/codec.h"

namespace cs::mqtt::wire {

/// The largest value a variable byte integer can hold (four groups of seven bits).
constexpr std::uint32_t k_max_varint = 268435455;

/// The longest UTF-8 string or binary data field: its length prefix has two bytes.
constexpr std::size_t k_max_field = 65535;

/// The number of bytes the variable byte integer encoding of `value` takes (1 to 4).
constexpr std::size_t varint_size(std::uint32_t value) {
  return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : 4;
}

/// The number of bytes a length-prefixed field of `size` bytes takes; throws std::length_error
/// when `size` exceeds k_max_field, which only a caller's bug can cause.
std::size_t field_size(std::size_t size);

/// `size` as the value of a length field; throws std::length_error above k_max_varint, which
/// only a caller's bug (a packet too large for MQTT) can cause.
std::uint32_t checked_length(std::size_t size);

enum class VarintStatus : std::uint8_t { ok, incomplete, too_long, not_minimal };

struct Varint {
  VarintStatus status = VarintStatus::incomplete;
  std::uint32_t value = 0;
  std::size_t size = 0;  // bytes consumed when status is ok
};

/// Decodes the variable byte integer at the start of `bytes`: incomplete when `bytes` ends
/// before its last byte, too_long past four bytes, not_minimal for a needlessly long encoding.
Varint read_varint(ByteView bytes);

enum class Utf8Problem : std::uint8_t {
  none,
  ill_formed,      // a stray continuation byte, a truncated sequence, bytes F8..FF
  null_character,  // U+0000
  surrogate,       // U+D800..U+DFFF
  overlong,        // a code point encoded in more bytes than needed
  beyond_max,      // above U+10FFFF
};

/// The first reason `text` is not well-formed MQTT UTF-8 (its length is not checked).
Utf8Problem check_utf8(std::string_view text);

/// The words an error message uses for `problem`, e.g. "contains U+0000".
std::string_view describe(Utf8Problem problem);

/// Joins `parts` into one string; for error messages.
std::string concat(std::initializer_list<std::string_view> parts);

/// `value` as "0x" and two uppercase hex digits, the way the specification writes codes.
std::string hex(std::uint8_t value);

class Reader {
 public:
  /// Reads `data`; `subject` names it in error messages ("PUBLISH", "CONNECT properties").
  Reader(ByteView data, std::string_view subject)
      : m_pos(data.data()), m_end(data.data() + data.size()), m_subject(subject) {}

  bool failed() const { return m_error.has_value(); }
  bool at_end() const { return m_pos == m_end; }
  std::size_t remaining() const { return static_cast<std::size_t>(m_end - m_pos); }
  std::string_view subject() const { return m_subject; }

  /// Reads one byte named `what` in errors.
  std::uint8_t u8(std::string_view what) {
    if (m_pos == m_end) {
      runs_past(what);
      return 0;
    }
    return *m_pos++;
  }

  /// Reads a big-endian two byte integer.
  std::uint16_t u16(std::string_view what) {
    if (remaining() < 2) {
      runs_past(what);
      return 0;
    }
    const auto value = static_cast<std::uint16_t>(m_pos[0] << 8 | m_pos[1]);
    m_pos += 2;
    return value;
  }

  /// Reads a big-endian four byte integer.
  std::uint32_t u32(std::string_view what) {
    if (remaining() < 4) {
      runs_past(what);
      return 0;
    }
    const std::uint32_t value = std::uint32_t{m_pos[0]} << 24 | std::uint32_t{m_pos[1]} << 16 |
                                std::uint32_t{m_pos[2]} << 8 | std::uint32_t{m_pos[3]};
    m_pos += 4;
    return value;
  }

  /// Reads a variable byte integer; longer than four bytes or not minimal is malformed.
  std::uint32_t varint(std::string_view what);

  /// Reads `size` raw bytes.
  ByteView take(std::size_t size, std::string_view what) {
    if (size > remaining()) {
      runs_past(what, size);
      return {};
    }
    const ByteView bytes(m_pos, size);
    m_pos += size;
    return bytes;
  }

  /// Reads binary data: a two byte length and that many bytes.
  ByteView binary(std::string_view what) {
    const std::uint16_t size = u16(what);
    return take(size, what);
  }

  /// Reads a UTF-8 string: a two byte length and that many bytes of well-formed UTF-8.
  std::string_view utf8(std::string_view what) {
    const ByteView bytes = binary(what);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (const Utf8Problem problem = check_utf8(text); problem != Utf8Problem::none) {
      bad_utf8(what, problem);
      return {};
    }
    return text;
  }

  /// Everything not yet read.
  ByteView rest() {
    const ByteView bytes(m_pos, remaining());
    m_pos = m_end;
    return bytes;
  }

  /// Records `message` with `reason` unless an earlier error is recorded; moves to the end.
  void fail(ReasonCode reason, std::string message);

  /// Records `error` (from a nested reader) unless an earlier error is recorded.
  void fail(CodecError error);

  /// Fails when bytes are left: the content ended before the length said it would.
  void expect_end();

  /// The recorded error, moved out; only valid when failed().
  CodecError take_error() { return std::move(*m_error); }

 private:
  void runs_past(std::string_view what);
  void runs_past(std::string_view what, std::size_t size);
  void bad_utf8(std::string_view what, Utf8Problem problem);

  const std::uint8_t* m_pos;
  const std::uint8_t* m_end;
  std::string_view m_subject;
  std::optional<CodecError> m_error;
};

class Writer {
 public:
  /// Appends to `out`; the caller reserves the room beforehand.
  explicit Writer(Bytes& out) : m_out(out) {}

  void u8(std::uint8_t value) { m_out.push_back(value); }

  void u16(std::uint16_t value) {
    m_out.push_back(static_cast<std::uint8_t>(value >> 8));
    m_out.push_back(static_cast<std::uint8_t>(value));
  }

  void u32(std::uint32_t value) {
    u16(static_cast<std::uint16_t>(value >> 16));
    u16(static_cast<std::uint16_t>(value));
  }

  void varint(std::uint32_t value) {
    do {
      std::uint8_t byte = value & 0x7F;
      value >>= 7;
      if (value != 0) byte |= 0x80;
      m_out.push_back(byte);
    } while (value != 0);
  }

  void raw(ByteView bytes) { m_out.insert(m_out.end(), bytes.begin(), bytes.end()); }

  void binary(ByteView bytes) {
    u16(static_cast<std::uint16_t>(bytes.size()));
    raw(bytes);
  }

  void utf8(std::string_view text) { binary(as_bytes(text)); }

 private:
  Bytes& m_out;
};

}  // namespace cs::mqtt::wire
