#pragma once
// Shared by the store tests: a store in a fresh temporary directory, and times from numbers.

#include <chrono>
#include <cstdint>
#include <string>

#include "devbroker/store/store.h"
#include "tests/support/process.h"

namespace cs::test {

/// Unix time `seconds` as the store's time type.
inline SysSeconds at(std::int64_t seconds) {
  return SysSeconds(std::chrono::seconds(seconds));
}

/// A migrated store in its own temporary data directory.
struct TestStore {
  TempDir dir;
  store::Store store;
  TestStore() : store(store::open_store(dir.path(), store::Ephemeral::no).value()) {}
  store::Repositories& repos() { return store.repos(); }
  std::string db_path() const { return dir.path() + "/state.db"; }
};

/// The error of a failed `result`, or a default Error when it succeeded (so CHECKs fail).
template <class T>
Error error_of(const Result<T>& result) {
  return result ? Error{} : result.error();
}

}  // namespace cs::test
