#pragma once
// Expected failures are values: a function that can fail for a reason a person should hear
// returns Result<T>, holding either the value or an Error.

#include <tl/expected.hpp>

#include "common/error.h"

namespace cs {

template <class T>
using Result = tl::expected<T, Error>;

/// Builds the failed side of a Result: `return fail(ErrorCode::not_found, "no such user");`.
inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {},
                                  std::string reason = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(hint), std::move(reason)});
}

/// Passes an Error on unchanged: `if (!r) return fail(r.error());`.
inline tl::unexpected<Error> fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace cs
