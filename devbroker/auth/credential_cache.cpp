#include "devbroker/auth/credential_cache.h"

#include "common/crypto/hash.h"
#include "common/crypto/hex.h"

namespace cs::auth {

CredentialCache::CredentialCache(std::size_t capacity, std::chrono::seconds ttl)
    : m_capacity(capacity == 0 ? 1 : capacity), m_ttl(ttl) {}

std::string CredentialCache::cache_key(std::string_view scope, std::string_view secret) {
  // The scope is part of the hashed input, so one secret checked for two users is two entries.
  std::string input(scope);
  input.push_back('\0');
  input.append(secret);
  return crypto::hex_encode(crypto::sha256(input));
}

std::optional<std::string> CredentialCache::find(std::string_view scope, std::string_view secret,
                                                 Clock::time_point now) {
  const std::string key = cache_key(scope, secret);
  std::lock_guard lock(m_mutex);
  auto it = m_index.find(key);
  if (it == m_index.end()) return std::nullopt;
  if (it->second->expires <= now) {
    m_lru.erase(it->second);
    m_index.erase(it);
    return std::nullopt;
  }
  m_lru.splice(m_lru.begin(), m_lru, it->second);
  return it->second->owner;
}

void CredentialCache::remember(std::string_view scope, std::string_view secret, std::string owner,
                               Clock::time_point now) {
  std::string key = cache_key(scope, secret);
  std::lock_guard lock(m_mutex);
  if (auto it = m_index.find(key); it != m_index.end()) {
    m_lru.erase(it->second);
    m_index.erase(it);
  }
  m_lru.push_front(Entry{key, std::move(owner), now + m_ttl});
  m_index.emplace(std::move(key), m_lru.begin());
  while (m_lru.size() > m_capacity) {
    m_index.erase(m_lru.back().key);
    m_lru.pop_back();
  }
}

void CredentialCache::forget_owner(std::string_view owner) {
  std::lock_guard lock(m_mutex);
  for (auto it = m_lru.begin(); it != m_lru.end();) {
    if (it->owner == owner) {
      m_index.erase(it->key);
      it = m_lru.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t CredentialCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_lru.size();
}

}  // namespace cs::auth
