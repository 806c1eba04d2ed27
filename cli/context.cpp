#include "cli/context.h"

#include <ostream>

namespace cs::cli {

std::ostream& Context::status() {
  // A stream without a buffer discards what is written to it.
  static thread_local std::ostream discard(nullptr);
  discard.clear();
  return quiet ? discard : err;
}

bool Context::env_set(std::string_view name) const {
  if (!getenv) return false;
  const auto value = getenv(name);
  return value && !value->empty();
}

}  // namespace cs::cli
