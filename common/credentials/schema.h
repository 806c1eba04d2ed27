#pragma once
// credentials.json as text, with no file in sight: parsing that refuses anything a compatible
// cloudsignal did not write, the validation every profile passes before it is written, and the
// one serialisation. Version 1:
//   {"version": 1, "profiles": {"default": {"api_url": "https://api.cloudsignal.io",
//    "email": "a@example.com", "org_id": "...", "org_short_id": "...",
//    "access_token_expires_at": "2026-01-15T13:00:00Z", "api_key_file": "/path/admin.key",
//    "ca_file": "/path/ca.pem", "storage": "keyring" | "file",
//    "access_token": "...", "refresh_token": "...", "api_key": "..."}}}
// Secrets appear only in profiles whose storage is "file". Members this version does not know
// are kept as they are, so an older cloudsignal rewriting the file does not drop them.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/credentials/profile.h"
#include "common/result.h"

namespace cs::credentials {

/// Error reasons of parse_document: the file is damaged, or a newer cloudsignal wrote it.
inline constexpr std::string_view k_reason_corrupt = "corrupt";
inline constexpr std::string_view k_reason_newer_version = "newer_version";

/// One profile as the file holds it.
struct StoredProfile {
  Profile profile;
  Secrets file_secrets;  // empty unless profile.storage is Storage::file
  nlohmann::json unknown = nlohmann::json::object();  // members this version does not know
};

/// The whole file.
struct Document {
  std::map<std::string, StoredProfile, std::less<>> profiles;
  nlohmann::json unknown = nlohmann::json::object();  // top-level members besides the two known
};

/// Parses the file's `text`; failures are `io` errors whose reason is k_reason_corrupt (not JSON,
/// wrong shape, a value out of bounds) or k_reason_newer_version, and whose message never quotes
/// the file's content.
Result<Document> parse_document(std::string_view text);

/// The file's text for `document`: indented JSON with sorted members, ending in a newline.
std::string serialize_document(const Document& document);

/// Refuses (invalid_request) a profile that parse_document would not read back unchanged under
/// `name`: a bad name or URL, a field over the size limit, text that is not UTF-8, secrets in the
/// file of a keyring profile.
Result<void> validate_profile(std::string_view name, const StoredProfile& profile);

}  // namespace cs::credentials
