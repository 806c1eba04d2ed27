#include "common/credentials/store.h"

#include <system_error>
#include <utility>

#include "common/fs/atomic_file.h"

namespace cs::credentials {
namespace {

std::string quoted_profile(std::string_view name) {
  std::string text = "profile \"";
  return text.append(name).append("\"");
}

tl::unexpected<Error> no_such_profile(std::string_view name) {
  std::string hint = "sign in with `cloudsignal login";
  if (name != k_default_profile) hint.append(" --profile ").append(name);
  return fail(ErrorCode::not_found, "there is no " + quoted_profile(name), hint.append("`"));
}

constexpr const char* k_keyring_hint =
    "unlock or start the OS keyring (a Secret Service such as gnome-keyring), or sign in again "
    "with CLOUDSIGNAL_CREDENTIALS_STORE=file";

}  // namespace

CredentialStore::CredentialStore(std::filesystem::path directory, StoreOptions options)
    : m_directory(std::move(directory)), m_options(std::move(options)) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(m_directory, ec);
  if (ec) absolute = m_directory;
  auto canonical = std::filesystem::weakly_canonical(absolute, ec);
  m_key_directory = ec ? absolute.string() : canonical.string();
}

std::filesystem::path CredentialStore::file() const {
  return m_directory / k_file_name;
}

Result<std::vector<NamedProfile>> CredentialStore::list() const {
  auto opened = open_existing();
  if (!opened) return fail(opened.error());
  std::vector<NamedProfile> profiles;
  for (const auto& [name, stored] : opened->document.profiles) {
    profiles.push_back({name, stored.profile});
  }
  return profiles;
}

Result<std::optional<Profile>> CredentialStore::load(std::string_view name) const {
  if (auto r = validate_profile_name(name); !r) return fail(r.error());
  auto opened = open_existing();
  if (!opened) return fail(opened.error());
  const auto it = opened->document.profiles.find(name);
  if (it == opened->document.profiles.end()) return std::optional<Profile>{};
  return std::optional<Profile>{it->second.profile};
}

Result<Secrets> CredentialStore::resolve_secrets(std::string_view name) const {
  if (auto r = validate_profile_name(name); !r) return fail(r.error());
  auto opened = open_existing();
  if (!opened) return fail(opened.error());
  Document& document = opened->document;
  const auto it = document.profiles.find(name);
  if (it == document.profiles.end()) return no_such_profile(name);
  return secrets_of(name, it->second);
}

Result<SaveOutcome> CredentialStore::save(std::string_view name, const Session& session) const {
  if (auto r = validate_profile_name(name); !r) return fail(r.error());
  auto lock = lock_creating();
  if (!lock) return fail(lock.error());
  auto document = read_locked();
  if (!document) return fail(document.error());
  return write_profile(*document, name, session);
}

Result<SaveOutcome> CredentialStore::update(std::string_view name, const UpdateFn& fn) const {
  if (auto r = validate_profile_name(name); !r) return fail(r.error());
  auto opened = open_existing();
  if (!opened) return fail(opened.error());
  Document& document = opened->document;
  const auto it = document.profiles.find(name);
  if (it == document.profiles.end()) return no_such_profile(name);
  auto secrets = secrets_of(name, it->second);
  if (!secrets) return fail(secrets.error());
  Session session{it->second.profile, std::move(*secrets)};
  if (auto r = fn(session); !r) return fail(r.error());
  return write_profile(document, name, session);
}

Result<void> CredentialStore::remove(std::string_view name) const {
  if (auto r = validate_profile_name(name); !r) return r;
  auto opened = open_existing();
  if (!opened) return fail(opened.error());
  Document& document = opened->document;
  const auto it = document.profiles.find(name);
  if (it == document.profiles.end()) return no_such_profile(name);
  if (it->second.profile.storage == Storage::keyring) {
    if (auto erased = keyring_erase(name); !erased) {
      warn("the secrets of " + quoted_profile(name) +
           " could not be deleted from the OS keyring: " + erased.error().message);
    }
  } else if (m_options.choice != StoreChoice::file && m_options.keyring &&
             m_options.keyring->probe()) {
    // Secrets an earlier keyring-stored session of this profile may have left behind.
    (void)keyring_erase(name);
  }
  document.profiles.erase(it);
  return write_document(file(), document);
}

Result<CredentialStore::Opened> CredentialStore::open_existing() const {
  // Without a file there is nothing to lock, and reading must not create the directory.
  std::error_code ec;
  if (!std::filesystem::exists(file(), ec)) return Opened{};
  if (auto r = restrict_directory(m_directory, m_options.warn); !r) return fail(r.error());
  auto lock = fs::FileLock::acquire(m_directory / k_lock_name, m_options.lock_timeout);
  if (!lock) return fail(lock.error());
  auto document = read_locked();
  if (!document) return fail(document.error());
  return Opened{std::move(*lock), std::move(*document)};
}

Result<fs::FileLock> CredentialStore::lock_creating() const {
  if (auto r = fs::make_private_dir(m_directory, 0700); !r) return fail(r.error());
  if (auto r = restrict_directory(m_directory, m_options.warn); !r) return fail(r.error());
  return fs::FileLock::acquire(m_directory / k_lock_name, m_options.lock_timeout);
}

Result<Document> CredentialStore::read_locked() const {
  auto document = read_document(file(), m_options.warn);
  if (document || document.error().reason != k_reason_corrupt) return document;
  // Never overwritten, never silently dropped: the damaged file is kept beside the new one.
  Error error = document.error();
  const auto now = m_options.now
                       ? m_options.now()
                       : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto aside = move_aside(file(), now);
  if (aside) {
    error.message.append("; it was moved to ").append(aside->string());
  } else {
    error.message.append("; it could not be moved aside: ").append(aside.error().message);
  }
  error.hint = "sign in again with `cloudsignal login`";
  return fail(std::move(error));
}

Result<Secrets> CredentialStore::secrets_of(std::string_view name,
                                            const StoredProfile& stored) const {
  if (stored.profile.storage == Storage::file) return stored.file_secrets;
  const std::string where = "the secrets of " + quoted_profile(name) + " are in the OS keyring";
  if (!m_options.keyring) {
    return fail(ErrorCode::unavailable, where + ", which cloudsignal cannot reach here",
                k_keyring_hint);
  }
  if (auto probe = m_options.keyring->probe(); !probe) {
    return fail(ErrorCode::unavailable, where + ", which does not answer: " + probe.error().message,
                k_keyring_hint);
  }
  Secrets secrets;
  for (const SecretKind kind : k_secret_kinds) {
    auto value = m_options.keyring->lookup(key(name, kind));
    if (!value) {
      return fail(ErrorCode::unavailable,
                  where + ", which failed to answer: " + value.error().message, k_keyring_hint);
    }
    secrets.get(kind) = std::move(*value);
  }
  return secrets;
}

Result<CredentialStore::Target> CredentialStore::choose_target(std::string_view name) const {
  if (m_options.choice == StoreChoice::file) return Target{Storage::file, {}};
  Result<void> probe = fail(ErrorCode::unavailable, "cloudsignal has no keyring support here");
  if (m_options.keyring) probe = m_options.keyring->probe();
  if (probe) return Target{Storage::keyring, {}};
  if (m_options.choice == StoreChoice::keyring) {
    std::string message(k_store_env);
    message.append(" is \"keyring\", but no OS keyring answers: ").append(probe.error().message);
    return fail(ErrorCode::unavailable, std::move(message),
                "start a Secret Service such as gnome-keyring, or set " + std::string(k_store_env) +
                    "=file");
  }
  return Target{Storage::file, fallback_notice(name, probe.error().message)};
}

Result<void> CredentialStore::keyring_put(std::string_view name, const Secrets& secrets) const {
  for (const SecretKind kind : k_secret_kinds) {
    const auto& secret = secrets.get(kind);
    // A kind the new session lacks is deleted, so a stale token never outlives its replacement.
    auto r = secret ? m_options.keyring->store(key(name, kind), *secret)
                    : m_options.keyring->erase(key(name, kind));
    if (!r) return r;
  }
  return {};
}

Result<void> CredentialStore::keyring_erase(std::string_view name) const {
  if (!m_options.keyring) {
    return fail(ErrorCode::unavailable, "cloudsignal has no keyring support here");
  }
  if (auto probe = m_options.keyring->probe(); !probe) return probe;
  Result<void> outcome;
  for (const SecretKind kind : k_secret_kinds) {
    auto r = m_options.keyring->erase(key(name, kind));
    if (!r && outcome) outcome = r;
  }
  return outcome;
}

Result<SaveOutcome> CredentialStore::write_profile(Document& document, std::string_view name,
                                                   const Session& session) const {
  StoredProfile stored;
  const auto existing = document.profiles.find(name);
  std::optional<Storage> previous;
  if (existing != document.profiles.end()) {
    previous = existing->second.profile.storage;
    stored.unknown = existing->second.unknown;
  } else if (document.profiles.size() >= k_max_profiles) {
    return fail(ErrorCode::invalid_request,
                "there are already " + std::to_string(k_max_profiles) + " profiles",
                "remove one with `cloudsignal logout --profile NAME`");
  }
  stored.profile = session.profile;
  stored.profile.storage = Storage::file;
  stored.file_secrets = session.secrets;
  if (auto r = validate_profile(name, stored); !r) return fail(r.error());
  auto target = choose_target(name);
  if (!target) return fail(target.error());
  if (target->storage == Storage::keyring) {
    if (auto put = keyring_put(name, session.secrets); put) {
      stored.profile.storage = Storage::keyring;
      stored.file_secrets = {};
    } else if (m_options.choice == StoreChoice::keyring) {
      return fail(put.error());
    } else {
      *target = Target{Storage::file, fallback_notice(name, put.error().message)};
    }
  }
  document.profiles.insert_or_assign(std::string(name), stored);
  if (auto r = write_document(file(), document); !r) return fail(r.error());
  if (previous == Storage::keyring && target->storage == Storage::file) {
    if (auto erased = keyring_erase(name); !erased) {
      warn("the old secrets of " + quoted_profile(name) +
           " could not be deleted from the OS keyring: " + erased.error().message);
    }
  }
  return SaveOutcome{target->storage, std::move(target->notice)};
}

std::string CredentialStore::fallback_notice(std::string_view name, std::string_view reason) const {
  std::string line = "no OS keyring took the secrets (";
  line.append(reason)
      .append("); those of ")
      .append(quoted_profile(name))
      .append(" are stored in ")
      .append(file().string())
      .append(", readable only by you");
  return line;
}

SecretKey CredentialStore::key(std::string_view name, SecretKind kind) const {
  return SecretKey{m_key_directory, std::string(name), kind};
}

void CredentialStore::warn(std::string_view line) const {
  if (m_options.warn) m_options.warn(line);
}

}  // namespace cs::credentials
