#pragma once
// Identity providers' public keys, fetched and cached by the rules of docs/IDENTITY.md (rule 8):
// kept for the publisher's Cache-Control max-age (else 10 minutes); an unknown kid refetches at
// most once per 30 seconds; when the endpoint fails the last good keys keep serving; with none,
// jwks_unavailable. Safe to use from many threads: a fetch runs outside every lock, and while one
// is in flight other threads keep using the keys already held, waiting only when they need the
// fetch's answer (no keys yet, or a kid the held keys lack).

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/jwt/keys.h"
#include "common/result.h"
#include "devbroker/auth/provider.h"

namespace cs::auth {

using SteadyTime = std::chrono::steady_clock::time_point;

struct FetchedDocument {
  std::string body;
  std::optional<std::chrono::seconds> max_age;  // from Cache-Control, when given
};

/// Where documents come from: HTTPS in production, a fake in unit tests.
class DocumentFetcher {
 public:
  virtual ~DocumentFetcher() = default;
  /// GETs `url`; an error when the request fails or the answer is not 200.
  virtual Result<FetchedDocument> fetch(const std::string& url) = 0;
};

inline constexpr std::chrono::seconds k_default_key_ttl{600};
inline constexpr std::chrono::seconds k_refetch_interval{30};

class KeyCache {
 public:
  /// Fetches through `fetcher`, which must outlive the cache.
  explicit KeyCache(DocumentFetcher& fetcher) : m_fetcher(fetcher) {}

  /// The keys at `location` for a token whose header names `kid` (nullopt: none), at `now`.
  Result<std::vector<jwt::Key>> keys(const KeyLocation& location,
                                     const std::optional<std::string>& kid, SteadyTime now);

  /// Forgets everything; calls in flight finish with what they hold.
  void clear();

 private:
  struct Entry {
    std::mutex mutex;
    std::condition_variable fetched;                    // signalled when a fetch ends
    std::shared_ptr<const std::vector<jwt::Key>> keys;  // null until a fetch succeeds
    SteadyTime fresh_until{};
    std::optional<SteadyTime> last_attempt;
    std::optional<Error> last_error;  // of the last fetch, when it failed
    bool fetching = false;            // one fetch per location at a time
  };
  std::shared_ptr<Entry> entry(const KeyLocation& location);
  void refresh(Entry& e, const KeyLocation& location, SteadyTime now,
               std::unique_lock<std::mutex>& lock);
  Result<std::pair<std::vector<jwt::Key>, std::chrono::seconds>> load(const KeyLocation& location);

  DocumentFetcher& m_fetcher;
  std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<Entry>> m_entries;  // by url, format and issuer
};

/// The max-age of a Cache-Control header value, if it has one ("public, max-age=3600").
std::optional<std::chrono::seconds> parse_max_age(std::string_view cache_control);

}  // namespace cs::auth
