#include "devbroker/auth/token_ids.h"

#include <algorithm>
#include <cstring>

#include "common/crypto/random.h"

namespace cs::auth {
namespace {

// Crockford's base 32 in lowercase: ASCII order is numeric order.
constexpr std::string_view k_alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr int k_digits = 10;  // per field: 50 bits
constexpr std::uint64_t k_sequence_limit = std::uint64_t{1} << 50;
constexpr std::uint64_t k_start_mask = (std::uint64_t{1} << 49) - 1;  // room to count up

std::uint64_t random_u64() {
  const Bytes bytes = crypto::random_bytes(sizeof(std::uint64_t));
  std::uint64_t value = 0;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

void append_base32(std::string& out, std::uint64_t value) {
  char digits[k_digits];
  for (int i = k_digits - 1; i >= 0; --i) {
    digits[i] = k_alphabet[value & 31];
    value >>= 5;
  }
  out.append(digits, k_digits);
}

}  // namespace

std::string encode_token_id(std::int64_t ms, std::uint64_t sequence) {
  std::string id(k_token_id_prefix);
  id.reserve(k_token_id_prefix.size() + 2 * k_digits);
  append_base32(id, static_cast<std::uint64_t>(ms));
  append_base32(id, sequence);
  return id;
}

TokenIdGenerator::TokenIdGenerator(Random random)
    : m_random(random ? std::move(random) : Random(random_u64)) {}

std::string TokenIdGenerator::next(std::chrono::system_clock::time_point now) {
  const std::int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::lock_guard lock(m_mutex);
  if (ms > m_last_ms) {
    m_last_ms = ms;
    m_sequence = m_random() & k_start_mask;
  } else if (++m_sequence >= k_sequence_limit) {
    // 2^49 ids in one millisecond: borrow the next one.
    ++m_last_ms;
    m_sequence = m_random() & k_start_mask;
  }
  return encode_token_id(std::max<std::int64_t>(m_last_ms, 0), m_sequence);
}

}  // namespace cs::auth
