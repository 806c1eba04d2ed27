#pragma once
// Verified API keys kept in memory, so that a request presenting a known key reads no row and
// parses no scopes. An entry holds the key's record (without its bcrypt hash), its parsed scopes
// and the SHA-256 of the secret that verified; a lookup is by the key id the secret names, and
// the presented secret's digest is compared with the stored one in constant time.
//
// Rotating or revoking a key calls invalidate(), which drops the key's entry at once and starts a
// new generation. A check takes a ticket() before it reads the key's row: when a rotation or
// revocation lands while that check runs bcrypt, its ticket is of an older generation and
// remember() refuses it, so a stale key is never put back. Safe from several threads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/crypto/bytes.h"
#include "devbroker/auth/scopes.h"
#include "devbroker/store/api_key_repository.h"

namespace cs::auth {

/// A key as its last successful check found it.
struct CachedApiKey {
  store::ApiKeyRecord record;  // hash left empty
  std::vector<Scope> scopes;   // parsed, for a restricted key
};

class ApiKeyCache {
 public:
  using Clock = std::chrono::steady_clock;
  /// The generation a check started in, handed back to remember().
  using Ticket = std::uint64_t;

  /// Holds at most `capacity` keys, each for `ttl` after it was remembered.
  explicit ApiKeyCache(std::size_t capacity = 1024,
                       std::chrono::seconds ttl = std::chrono::seconds(300));

  /// The current generation: take it before reading the key's row.
  Ticket ticket() const;

  /// The key with id `id` when `secret` is the secret it was remembered with, within the TTL.
  std::optional<CachedApiKey> find(std::string_view id, std::string_view secret,
                                   Clock::time_point now) const;

  /// Records that `secret` verified as `key`, unless a key was invalidated since `ticket` was
  /// taken (the check may have seen a row that no longer holds); true when it was recorded.
  bool remember(Ticket ticket, std::string_view secret, CachedApiKey key, Clock::time_point now);

  /// Drops key `id` (rotated or revoked) and starts a new generation.
  void invalidate(std::string_view id);

  std::size_t size() const;

 private:
  struct Entry {
    Bytes digest;  // SHA-256 of the secret
    CachedApiKey key;
    Clock::time_point expires;
  };

  std::size_t m_capacity;
  std::chrono::seconds m_ttl;
  mutable std::mutex m_mutex;
  Ticket m_generation = 0;
  std::unordered_map<std::string, Entry> m_entries;  // by key id
};

}  // namespace cs::auth
