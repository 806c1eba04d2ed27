#pragma once
// Shared by the store tests: times from numbers, and the error of a failed result.

#include <chrono>
#include <cstdint>

#include "common/result.h"
#include "common/time/rfc3339.h"

namespace cs::test {

/// Unix time `seconds` as the store's time type.
inline SysSeconds at(std::int64_t seconds) {
  return SysSeconds(std::chrono::seconds(seconds));
}

/// The error of a failed `result`, or a default Error when it succeeded (so CHECKs fail).
template <class T>
Error error_of(const Result<T>& result) {
  return result ? Error{} : result.error();
}

}  // namespace cs::test
