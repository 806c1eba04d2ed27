#include "cli/context.h"

#include <ostream>

namespace cs::cli {

std::ostream& Context::status() {
  // A stream without a buffer discards what is written to it.
  static thread_local std::ostream discard(nullptr);
  discard.clear();
  return quiet ? discard : err;
}

}  // namespace cs::cli
