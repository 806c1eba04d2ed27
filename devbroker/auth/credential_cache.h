#pragma once
// Remembers recent successful secret checks so that a reconnect storm or an API burst does not
// pay bcrypt (~50 ms) per attempt. Keyed by SHA-256 of the presented secret, never the secret;
// entries expire, the cache is bounded, and revoking or rotating an owner drops its entries.
// Failed checks are never cached. Safe from several threads.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cs::auth {

class CredentialCache {
 public:
  using Clock = std::chrono::steady_clock;

  /// Holds at most `capacity` entries, each for `ttl`.
  explicit CredentialCache(std::size_t capacity = 10000,
                           std::chrono::seconds ttl = std::chrono::seconds(300));

  /// The owner (user name, key id) that `secret` was verified for under `scope` ("user:alice",
  /// "key"), if that happened within the TTL.
  std::optional<std::string> find(std::string_view scope, std::string_view secret,
                                  Clock::time_point now);

  /// Records that `secret` under `scope` verified as `owner`.
  void remember(std::string_view scope, std::string_view secret, std::string owner,
                Clock::time_point now);

  /// Drops every entry of `owner` (password changed, key revoked or rotated).
  void forget_owner(std::string_view owner);

  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::string owner;
    Clock::time_point expires;
  };
  static std::string cache_key(std::string_view scope, std::string_view secret);

  std::size_t m_capacity;
  std::chrono::seconds m_ttl;
  mutable std::mutex m_mutex;
  std::list<Entry> m_lru;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
};

}  // namespace cs::auth
