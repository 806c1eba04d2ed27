#include "devbroker/auth/api_key_cache.h"

#include "common/crypto/constant_time.h"
#include "common/crypto/hash.h"

namespace cs::auth {

ApiKeyCache::ApiKeyCache(std::size_t capacity, std::chrono::seconds ttl)
    : m_capacity(capacity == 0 ? 1 : capacity), m_ttl(ttl) {}

ApiKeyCache::Ticket ApiKeyCache::ticket() const {
  std::lock_guard lock(m_mutex);
  return m_generation;
}

std::optional<CachedApiKey> ApiKeyCache::find(std::string_view id, std::string_view secret,
                                              Clock::time_point now) const {
  // Hashed outside the lock; the digest, not the secret, is what is compared.
  const Bytes digest = crypto::sha256(secret);
  std::lock_guard lock(m_mutex);
  const auto it = m_entries.find(std::string(id));
  if (it == m_entries.end() || it->second.expires <= now) return std::nullopt;
  if (!crypto::constant_time_equal(it->second.digest, digest)) return std::nullopt;
  return it->second.key;
}

bool ApiKeyCache::remember(Ticket ticket, std::string_view secret, CachedApiKey key,
                           Clock::time_point now) {
  key.record.hash.clear();
  Bytes digest = crypto::sha256(secret);
  std::lock_guard lock(m_mutex);
  if (ticket != m_generation) return false;
  if (m_entries.size() >= m_capacity && !m_entries.contains(key.record.id)) {
    // Expired entries go first; failing that, any one (keys are few, and a miss costs one row
    // read, not a bcrypt: the credential cache still knows the secret).
    std::erase_if(m_entries, [now](const auto& item) { return item.second.expires <= now; });
    if (m_entries.size() >= m_capacity) m_entries.erase(m_entries.begin());
  }
  std::string id = key.record.id;
  m_entries.insert_or_assign(std::move(id), Entry{std::move(digest), std::move(key), now + m_ttl});
  return true;
}

void ApiKeyCache::invalidate(std::string_view id) {
  std::lock_guard lock(m_mutex);
  ++m_generation;
  m_entries.erase(std::string(id));
}

std::size_t ApiKeyCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_entries.size();
}

}  // namespace cs::auth
