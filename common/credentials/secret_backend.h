#pragma once
// Where a profile's secrets go when they do not go into credentials.json: an OS keyring. The
// store sees only this interface; libsecret_backend.h is the one adapter (Secret Service).

#include <optional>
#include <string>
#include <string_view>

#include "common/credentials/profile.h"
#include "common/result.h"

namespace cs::credentials {

/// Names one secret: the credentials directory it belongs to (so two directories never share a
/// secret), the profile, and the kind.
struct SecretKey {
  std::string directory;
  std::string profile;
  SecretKind kind = SecretKind::access_token;
};

class SecretBackend {
 public:
  virtual ~SecretBackend() = default;

  /// Succeeds when a keyring answers within a bounded time; otherwise an `unavailable` error
  /// saying why. The first answer is remembered for the life of the object.
  virtual Result<void> probe() = 0;

  /// Stores `secret` under `key`, replacing any secret already there.
  virtual Result<void> store(const SecretKey& key, std::string_view secret) = 0;

  /// The secret under `key`, or nullopt when there is none.
  virtual Result<std::optional<std::string>> lookup(const SecretKey& key) = 0;

  /// Deletes the secret under `key`; deleting a secret that is not there succeeds.
  virtual Result<void> erase(const SecretKey& key) = 0;
};

}  // namespace cs::credentials
