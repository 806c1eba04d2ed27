#pragma once
// Opens a URL in the user's browser: `$BROWSER` when set, else xdg-open, run as one executable
// with the URL as its only argument (never through a shell), not waited for.

#include <optional>
#include <string>

#include "common/result.h"

namespace cs::cli {

/// Starts `browser` (the value of $BROWSER; xdg-open when unset or empty) with `url`; its stdin
/// and stdout are /dev/null so nothing it prints mixes with the command's output.
Result<void> open_in_browser(const std::string& url, const std::optional<std::string>& browser);

}  // namespace cs::cli
