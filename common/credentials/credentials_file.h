#pragma once
// credentials.json on disk: read with its permissions checked, written atomically, put aside when
// damaged. The caller holds the directory's lock (see store.h) around every call here.

#include <filesystem>
#include <functional>
#include <string_view>

#include "common/credentials/schema.h"
#include "common/result.h"
#include "common/time/rfc3339.h"

namespace cs::credentials {

inline constexpr std::string_view k_file_name = "credentials.json";
inline constexpr std::string_view k_lock_name = "credentials.lock";

/// Receives one line for a person about something repaired or left behind; may be empty.
using WarningSink = std::function<void(std::string_view)>;

/// Narrows the mode of the directory `dir` to 0700 when group or others have any access, telling
/// `warn`; an `io` error when it cannot.
Result<void> restrict_directory(const std::filesystem::path& dir, const WarningSink& warn);

/// The document in `file`, or an empty one when the file does not exist. A file that group or
/// others may access is narrowed to 0600 first, telling `warn`. Parse errors keep
/// parse_document's reason and name the file in their message.
Result<Document> read_document(const std::filesystem::path& file, const WarningSink& warn);

/// Replaces `file` with `document` atomically (temporary file, fsync, rename, fsync of the
/// directory), mode 0600; on failure the old file is untouched.
Result<void> write_document(const std::filesystem::path& file, const Document& document);

/// Renames `file` to "<file>.corrupt-<now as 20260115T130000Z>" (adding -2, -3, ... when that
/// name is taken), never replacing anything; returns the new path.
Result<std::filesystem::path> move_aside(const std::filesystem::path& file, SysSeconds now);

}  // namespace cs::credentials
