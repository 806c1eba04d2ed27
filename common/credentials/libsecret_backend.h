#pragma once
// The OS keyring through libsecret and the freedesktop Secret Service (GNOME Keyring, KeePassXC,
// KWallet's bridge): the one SecretBackend adapter. Each secret is an item of the schema
// "io.cloudsignal.cli" in the default collection, with the attributes `directory`, `profile` and
// `kind` (access_token, refresh_token, api_key). Every D-Bus exchange has a deadline, and without
// a session bus the keyring is unavailable at once: a missing or stuck keyring costs at most one
// timeout per process, never a hang. libsecret itself is loaded on first use (dlopen), so a
// machine without it has no keyring rather than no CLI.

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>

#include "common/credentials/secret_backend.h"

namespace cs::credentials {

inline constexpr std::string_view k_libsecret_schema = "io.cloudsignal.cli";

struct LibsecretOptions {
  // Whether a Secret Service answers at all: short, as every command may ask.
  std::chrono::milliseconds probe_timeout{3'000};
  // One store, lookup or delete: longer, as the keyring may ask a person to unlock it.
  std::chrono::milliseconds operation_timeout{20'000};
};

class LibsecretBackend final : public SecretBackend {
 public:
  /// A backend whose D-Bus calls are bounded by `options`; nothing is contacted until used.
  explicit LibsecretBackend(LibsecretOptions options = {});

  /// Connects to the session bus and opens a Secret Service session, once per object.
  Result<void> probe() override;
  Result<void> store(const SecretKey& key, std::string_view secret) override;
  Result<std::optional<std::string>> lookup(const SecretKey& key) override;
  Result<void> erase(const SecretKey& key) override;

 private:
  LibsecretOptions m_options;
  std::mutex m_mutex;
  std::optional<Result<void>> m_probe;
};

}  // namespace cs::credentials
