#pragma once
// The CLI's credentials: profiles in <directory>/credentials.json, their secrets in the OS keyring
// when one answers, otherwise in the file. Every operation that finds the file holds the lock
// <directory>/credentials.lock across its read-modify-write, so concurrent cloudsignal processes
// (and threads) never tear the file or lose each other's updates.
//
// Policies, in the order they apply to an operation:
// 1. Permissions: a directory or file that group or others may access is narrowed to 0700 / 0600
//    and the warning sink is told (its secrets may have been read). New ones are 0700 / 0600.
// 2. Damage: a file that is not JSON or has the wrong shape is renamed to
//    credentials.json.corrupt-<UTC time> and the operation fails saying where it went; the next
//    operation starts from an empty file. A file written by a newer cloudsignal is an error and is
//    left in place, unread and unwritten.
// 3. Where secrets go (save, update): StoreChoice::file -> the file; StoreChoice::keyring -> the
//    keyring, or an `unavailable` error when it does not answer; automatic -> the keyring when it
//    answers and takes them, otherwise the file and a one-line notice for the caller to print.
//    Secrets are read from wherever the profile says they are, whatever the choice.
// 4. Removal deletes keyring secrets first (a failure goes to the warning sink), then the profile.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/credentials/credentials_file.h"
#include "common/credentials/profile.h"
#include "common/credentials/secret_backend.h"
#include "common/fs/file_lock.h"
#include "common/result.h"

namespace cs::credentials {

struct StoreOptions {
  StoreChoice choice = StoreChoice::automatic;  // from CLOUDSIGNAL_CREDENTIALS_STORE
  SecretBackend* keyring = nullptr;             // not owned; null when there is no keyring
  WarningSink warn;                             // repairs and leftovers a person should hear of
  std::function<SysSeconds()> now;              // names damaged copies; the system clock if empty
  std::chrono::milliseconds lock_timeout{60'000};
};

/// Where a write put the secrets.
struct SaveOutcome {
  Storage storage = Storage::file;
  std::string notice;  // one line to print when a keyring was wanted but the file was used
};

struct NamedProfile {
  std::string name;
  Profile profile;
};

class CredentialStore {
 public:
  using UpdateFn = std::function<Result<void>(Session&)>;

  /// A store over `directory` (the CLI passes $HOME/.cloudsignal) with `options`; nothing on disk
  /// is touched until an operation runs.
  CredentialStore(std::filesystem::path directory, StoreOptions options);

  /// The path of credentials.json.
  std::filesystem::path file() const;

  /// Every profile, sorted by name, without secrets.
  Result<std::vector<NamedProfile>> list() const;

  /// Profile `name` without its secrets, or nullopt when there is none.
  Result<std::optional<Profile>> load(std::string_view name) const;

  /// The secrets of profile `name` from wherever they are kept (not_found without the profile).
  Result<Secrets> resolve_secrets(std::string_view name) const;

  /// Creates or replaces profile `name` with `session`; the store sets `profile.storage`.
  Result<SaveOutcome> save(std::string_view name, const Session& session) const;

  /// Runs `fn` on profile `name` with its secrets resolved and writes what it leaves, all under
  /// the lock (so `fn` may refresh a token without racing another process); writes nothing when
  /// `fn` fails, and fails with not_found when there is no such profile.
  Result<SaveOutcome> update(std::string_view name, const UpdateFn& fn) const;

  /// Deletes profile `name` and its secrets from wherever they are (not_found without it).
  Result<void> remove(std::string_view name) const;

 private:
  struct Target {
    Storage storage = Storage::file;
    std::string notice;
  };

  // The lock and the document when the file exists; no lock and an empty document otherwise.
  struct Opened {
    std::optional<fs::FileLock> lock;
    Document document;
  };

  Result<Opened> open_existing() const;
  Result<fs::FileLock> lock_creating() const;
  Result<Document> read_locked() const;
  Result<Secrets> secrets_of(std::string_view name, const StoredProfile& stored) const;
  Result<Target> choose_target(std::string_view name) const;
  Result<void> keyring_put(std::string_view name, const Secrets& secrets) const;
  Result<void> keyring_erase(std::string_view name) const;
  Result<SaveOutcome> write_profile(Document& document, std::string_view name,
                                    const Session& session) const;
  std::string fallback_notice(std::string_view name, std::string_view reason) const;
  SecretKey key(std::string_view name, SecretKind kind) const;
  void warn(std::string_view line) const;

  std::filesystem::path m_directory;
  std::string m_key_directory;  // the absolute directory that names its keyring secrets
  StoreOptions m_options;
};

}  // namespace cs::credentials
