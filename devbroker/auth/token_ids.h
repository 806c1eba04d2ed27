#pragma once
// Token ids ("tok_" and 20 characters) that sort by the time they were made. The tokens table's
// primary key is the id, so random ids put every insert on a random page of its B-tree (and into
// a commit that rewrites that page); ids that grow with time append to its last page instead.
//
// The 20 characters are 10 of milliseconds since 1970 and 10 of a sequence, both in a base-32
// alphabet of digits and lowercase letters that sorts like the numbers it encodes. Each new
// millisecond starts the sequence at a random value below 2^49 (so ids made elsewhere in the same
// millisecond still differ); later ids of that millisecond count up from it. A clock that steps
// back does not make ids go back: they stay on the last millisecond and keep counting.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace cs::auth {

inline constexpr std::string_view k_token_id_prefix = "tok_";

class TokenIdGenerator {
 public:
  /// Where the random start of each millisecond's sequence comes from.
  using Random = std::function<std::uint64_t()>;

  /// Draws sequence starts from `random`, by default the CSPRNG.
  explicit TokenIdGenerator(Random random = {});

  /// A new id for a token made at `now`, greater than every id this generator made before.
  std::string next(std::chrono::system_clock::time_point now);

 private:
  Random m_random;
  std::mutex m_mutex;
  std::int64_t m_last_ms = -1;
  std::uint64_t m_sequence = 0;
};

/// The id for millisecond `ms` and `sequence` (below 2^50): "tok_" and 20 characters.
std::string encode_token_id(std::int64_t ms, std::uint64_t sequence);

}  // namespace cs::auth
