#pragma once
// What the CLI keeps per profile (a signed-in account on one API), the names these values have
// in credentials.json and in the keyring, and the limits a credentials file must respect.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time/rfc3339.h"

namespace cs::credentials {

inline constexpr int k_schema_version = 1;
inline constexpr std::size_t k_max_file_bytes = 1024 * 1024;
inline constexpr std::size_t k_max_profiles = 100;
inline constexpr std::size_t k_max_profile_name_length = 64;
inline constexpr std::size_t k_max_field_bytes = 16 * 1024;  // a long JWT fits several times

/// The profile used when none is named.
inline constexpr std::string_view k_default_profile = "default";

/// The environment variable that forces where secrets are written.
inline constexpr std::string_view k_store_env = "CLOUDSIGNAL_CREDENTIALS_STORE";

enum class SecretKind { access_token, refresh_token, api_key };
inline constexpr std::array<SecretKind, 3> k_secret_kinds = {
    SecretKind::access_token, SecretKind::refresh_token, SecretKind::api_key};

/// Where a profile's secrets are kept.
enum class Storage { keyring, file };

/// Where new secrets should go: the keyring when one answers (automatic), or one place forced.
enum class StoreChoice { automatic, file, keyring };

/// The secrets of one profile; a CLI session has tokens, `login --with-token` an API key.
struct Secrets {
  std::optional<std::string> access_token;
  std::optional<std::string> refresh_token;
  std::optional<std::string> api_key;

  /// The member holding the secret of `kind`.
  std::optional<std::string>& get(SecretKind kind);
  const std::optional<std::string>& get(SecretKind kind) const;
  /// True when no secret is set.
  bool empty() const;
  bool operator==(const Secrets&) const = default;
};

/// Everything about a profile except its secrets; safe to show (`whoami`).
struct Profile {
  std::string api_url;
  std::optional<std::string> email;
  std::optional<std::string> org_id;
  std::optional<std::string> org_short_id;
  std::optional<SysSeconds> access_token_expires_at;
  // A profile that reads its API key from a file instead of holding it (the `dev` profile that
  // `cloudsignal dev` writes names its admin.key).
  std::optional<std::string> api_key_file;
  std::optional<std::string> ca_file;  // a CA trusted besides the system CAs (the dev CA)
  Storage storage = Storage::file;     // set by the store on every write
  bool operator==(const Profile&) const = default;
};

/// A profile with its secrets resolved from wherever they are kept.
struct Session {
  Profile profile;
  Secrets secrets;
};

/// "access_token", "refresh_token" or "api_key": the JSON member and the keyring attribute.
std::string_view secret_kind_name(SecretKind kind);

/// "keyring" or "file", as written in the profile's `storage` member.
std::string_view storage_name(Storage storage);

/// Parses "keyring" or "file".
std::optional<Storage> parse_storage(std::string_view text);

/// Refuses (usage error) a profile name that is empty, longer than the limit, or has characters
/// other than ASCII letters, digits, '-' and '_'.
Result<void> validate_profile_name(std::string_view name);

/// The choice made by `value`, the content of CLOUDSIGNAL_CREDENTIALS_STORE: automatic when unset
/// or empty, otherwise "file" or "keyring" (anything else is a usage error).
Result<StoreChoice> parse_store_choice(std::optional<std::string_view> value);

}  // namespace cs::credentials
