#pragma once
// Files that are either wholly old or wholly new: write to a temporary file beside the target,
// fsync it, rename it over the target, fsync the directory.

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace cs::fs {

/// Replaces `path` with `content` atomically, the new file having permission bits `mode`.
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content,
                               unsigned mode = 0600);

/// Creates `path` and missing parents; a directory this call creates gets mode `mode`.
Result<void> make_private_dir(const std::filesystem::path& path, unsigned mode = 0700);

}  // namespace cs::fs
