#include "cli/bench/stats.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cs::bench {
namespace {

// 128 sub-buckets per power of two after an exact range of 256 values; the top exponent bounds
// the table at 2^44 ns.
constexpr unsigned k_sub_bits = 7;
constexpr std::uint64_t k_sub_count = std::uint64_t{1} << k_sub_bits;
constexpr std::uint64_t k_exact = 2 * k_sub_count;
constexpr unsigned k_max_exponent = 43;
constexpr std::size_t k_bucket_count = k_exact + (k_max_exponent - k_sub_bits) * k_sub_count;

}  // namespace

std::size_t latency_bucket(std::uint64_t value) {
  if (value < k_exact) return static_cast<std::size_t>(value);
  const unsigned exponent = static_cast<unsigned>(std::bit_width(value)) - 1;
  if (exponent > k_max_exponent) return k_bucket_count - 1;
  const unsigned shift = exponent - k_sub_bits;
  const std::uint64_t sub = (value >> shift) - k_sub_count;
  return static_cast<std::size_t>(k_exact + (exponent - k_sub_bits - 1) * k_sub_count + sub);
}

std::uint64_t latency_bucket_upper(std::size_t index) {
  if (index < k_exact) return index;
  const std::uint64_t above = index - k_exact;
  const unsigned exponent = static_cast<unsigned>(above / k_sub_count) + k_sub_bits + 1;
  const unsigned shift = exponent - k_sub_bits;
  const std::uint64_t sub = above % k_sub_count;
  return ((k_sub_count + sub + 1) << shift) - 1;
}

void LatencyHistogram::record(std::uint64_t value) {
  if (m_buckets.empty()) m_buckets.resize(k_bucket_count);
  ++m_buckets[latency_bucket(value)];
  m_min = m_count == 0 ? value : std::min(m_min, value);
  m_max = std::max(m_max, value);
  m_sum += static_cast<long double>(value);
  ++m_count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.m_count == 0) return;
  if (m_buckets.empty()) m_buckets.resize(k_bucket_count);
  for (std::size_t i = 0; i < k_bucket_count; ++i) m_buckets[i] += other.m_buckets[i];
  m_min = m_count == 0 ? other.m_min : std::min(m_min, other.m_min);
  m_max = std::max(m_max, other.m_max);
  m_sum += other.m_sum;
  m_count += other.m_count;
}

double LatencyHistogram::mean() const {
  return m_count == 0 ? 0.0 : static_cast<double>(m_sum / static_cast<long double>(m_count));
}

std::uint64_t LatencyHistogram::percentile(double fraction) const {
  if (m_count == 0) return 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const auto wanted =
      static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(m_count)));
  const std::uint64_t rank = std::clamp<std::uint64_t>(wanted, 1, m_count);
  if (rank == m_count) return m_max;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i + 1 < m_buckets.size(); ++i) {
    seen += m_buckets[i];
    if (seen >= rank) return std::clamp(latency_bucket_upper(i), m_min, m_max);
  }
  return m_max;  // the last bucket has no upper end
}

double per_second(std::uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

}  // namespace cs::bench
