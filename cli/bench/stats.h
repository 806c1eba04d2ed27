#pragma once
// Latency figures for the load generator: a histogram with constant memory and a bounded
// relative error, cheap to record into and mergeable, so each subscriber keeps its own and the
// run adds them up at the end.

#include <cstdint>
#include <vector>

namespace cs::bench {

/// Counts non-negative durations (nanoseconds) in log-linear buckets: values below 256 are
/// exact, larger ones share a bucket with values at most 1/128 (0.8 %) larger. Values above
/// about 2.4 hours land in the last bucket; min, max and mean stay exact.
class LatencyHistogram {
 public:
  /// Counts one sample of `value`.
  void record(std::uint64_t value);
  /// Adds every sample counted by `other`.
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return m_count; }
  /// The smallest and largest samples; 0 when there are none.
  std::uint64_t min() const { return m_count == 0 ? 0 : m_min; }
  std::uint64_t max() const { return m_max; }
  /// The arithmetic mean of the samples; 0 when there are none.
  double mean() const;

  /// The nearest-rank percentile for `fraction` (0.5 = median, 1.0 = max): the smallest value
  /// such that at least `fraction` of the samples are at or below it, reported as the upper end
  /// of its bucket but never above max(). 0 when there are no samples; `fraction` is clamped
  /// to [0, 1].
  std::uint64_t percentile(double fraction) const;

 private:
  std::vector<std::uint64_t> m_buckets;  // allocated on the first sample
  std::uint64_t m_count = 0;
  std::uint64_t m_min = 0;
  std::uint64_t m_max = 0;
  long double m_sum = 0;
};

/// The bucket that holds `value` (exposed for tests).
std::size_t latency_bucket(std::uint64_t value);

/// The largest value that falls in bucket `index` (exposed for tests).
std::uint64_t latency_bucket_upper(std::size_t index);

/// `count` events over `seconds`, per second; 0 when `seconds` is not positive.
double per_second(std::uint64_t count, double seconds);

}  // namespace cs::bench
