#include "common/crypto/base64url.h"

#include <array>

namespace cs::crypto {
namespace {

constexpr std::string_view k_url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view k_std_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> reverse_table(std::string_view alphabet) {
  std::array<int, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  return table;
}

constexpr auto k_url_reverse = reverse_table(k_url_alphabet);
constexpr auto k_std_reverse = reverse_table(k_std_alphabet);

std::string encode(ByteView data, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t v = data[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (data[i] << 16) | (data[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

// Decodes unpadded symbols; rejects a dangling single symbol and non-zero trailing bits so that
// every byte string has exactly one accepted encoding.
Result<Bytes> decode_unpadded(std::string_view text, const std::array<int, 256>& reverse) {
  if (text.size() % 4 == 1) return fail(ErrorCode::invalid_request, "base64 text has a bad length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = reverse[static_cast<unsigned char>(c)];
    if (v < 0)
      return fail(ErrorCode::invalid_request, "base64 text has a character outside its alphabet");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0)
    return fail(ErrorCode::invalid_request, "base64 text has non-zero trailing bits");
  return out;
}

}  // namespace

std::string base64url_encode(ByteView data) {
  return encode(data, k_url_alphabet, false);
}

Result<Bytes> base64url_decode(std::string_view text) {
  return decode_unpadded(text, k_url_reverse);
}

std::string base64_encode(ByteView data) {
  return encode(data, k_std_alphabet, true);
}

Result<Bytes> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return fail(ErrorCode::invalid_request, "base64 text has a bad length");
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  return decode_unpadded(text.substr(0, text.size() - pad), k_std_reverse);
}

}  // namespace cs::crypto
