#include "cli/bench/stats.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

using cs::bench::latency_bucket;
using cs::bench::latency_bucket_upper;
using cs::bench::LatencyHistogram;

namespace {

// The nearest-rank percentile of `values`, computed the slow and obvious way.
std::uint64_t exact_percentile(std::vector<std::uint64_t> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace

TEST_CASE("an empty histogram reports zeros", "[bench][stats]") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.percentile(0.5) == 0);
  CHECK(h.percentile(1.0) == 0);
}

TEST_CASE("one sample is every percentile", "[bench][stats]") {
  LatencyHistogram h;
  h.record(123456);
  CHECK(h.count() == 1);
  CHECK(h.min() == 123456);
  CHECK(h.max() == 123456);
  CHECK(h.mean() == 123456.0);
  for (double f : {0.0, 0.5, 0.9, 0.99, 1.0}) CHECK(h.percentile(f) == 123456);
}

TEST_CASE("values below 256 are counted exactly: nearest-rank percentiles of 1..100",
          "[bench][stats]") {
  LatencyHistogram h;
  for (std::uint64_t v = 100; v >= 1; --v) h.record(v);
  CHECK(h.count() == 100);
  CHECK(h.percentile(0.0) == 1);  // rank is at least 1
  CHECK(h.percentile(0.01) == 1);
  CHECK(h.percentile(0.5) == 50);
  CHECK(h.percentile(0.9) == 90);
  CHECK(h.percentile(0.99) == 99);
  CHECK(h.percentile(0.999) == 100);
  CHECK(h.percentile(1.0) == 100);
  CHECK(h.mean() == Approx(50.5));
}

TEST_CASE("a percentile's fraction is clamped to [0, 1]", "[bench][stats]") {
  LatencyHistogram h;
  h.record(7);
  h.record(9);
  CHECK(h.percentile(-1.0) == 7);
  CHECK(h.percentile(2.0) == 9);
}

TEST_CASE("buckets: exact below 256, then 128 per power of two", "[bench][stats]") {
  CHECK(latency_bucket(0) == 0);
  CHECK(latency_bucket(255) == 255);
  CHECK(latency_bucket(256) == 256);
  CHECK(latency_bucket(257) == 256);  // width 2 between 256 and 511
  CHECK(latency_bucket(258) == 257);
  CHECK(latency_bucket(511) == 383);
  CHECK(latency_bucket(512) == 384);  // width 4 from 512
  CHECK(latency_bucket_upper(255) == 255);
  CHECK(latency_bucket_upper(256) == 257);
  CHECK(latency_bucket_upper(383) == 511);
  CHECK(latency_bucket_upper(384) == 515);
  // Every value lies in its bucket, and the bucket is at most 1/128 of the value wide.
  for (std::uint64_t v : {300ULL, 1000ULL, 65535ULL, 1000000ULL, 123456789ULL, 1ULL << 40}) {
    const std::uint64_t upper = latency_bucket_upper(latency_bucket(v));
    CHECK(upper >= v);
    CHECK(static_cast<double>(upper - v) <= static_cast<double>(v) / 128.0);
  }
}

TEST_CASE("values beyond the table land in the last bucket, max stays exact", "[bench][stats]") {
  LatencyHistogram h;
  const std::uint64_t huge = std::uint64_t{1} << 60;
  h.record(10);
  h.record(huge);
  CHECK(h.max() == huge);
  CHECK(h.percentile(1.0) == huge);
  CHECK(h.percentile(0.5) == 10);
}

TEST_CASE("percentiles of large values are never below the exact ones and within 1/128",
          "[bench][stats]") {
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> latency(11.0, 1.0);  // around 60 us, long tail
  std::vector<std::uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 20000; ++i) {
    const auto v = static_cast<std::uint64_t>(latency(random));
    values.push_back(v);
    h.record(v);
  }
  for (double f : {0.5, 0.9, 0.99, 0.999}) {
    INFO("fraction " << f);
    const std::uint64_t exact = exact_percentile(values, f);
    const std::uint64_t reported = h.percentile(f);
    CHECK(reported >= exact);
    CHECK(static_cast<double>(reported - exact) <= static_cast<double>(exact) / 128.0);
  }
  CHECK(h.percentile(1.0) == *std::max_element(values.begin(), values.end()));
  CHECK(h.min() == *std::min_element(values.begin(), values.end()));
}

TEST_CASE("merging histograms equals recording every sample in one", "[bench][stats]") {
  LatencyHistogram a, b, all;
  for (std::uint64_t v = 0; v < 5000; v += 7) {
    (v % 2 == 0 ? a : b).record(v * 31);
    all.record(v * 31);
  }
  LatencyHistogram empty;
  a.merge(empty);
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.min() == all.min());
  CHECK(a.max() == all.max());
  CHECK(a.mean() == Approx(all.mean()));
  for (double f : {0.1, 0.5, 0.9, 0.99}) CHECK(a.percentile(f) == all.percentile(f));

  LatencyHistogram into_empty;
  into_empty.merge(all);
  CHECK(into_empty.percentile(0.5) == all.percentile(0.5));
  CHECK(into_empty.min() == all.min());
}

TEST_CASE("per_second divides by positive durations only", "[bench][stats]") {
  CHECK(cs::bench::per_second(1000, 2.0) == 500.0);
  CHECK(cs::bench::per_second(1000, 0.0) == 0.0);
  CHECK(cs::bench::per_second(0, 1.0) == 0.0);
}
