#include "devbroker/auth/binding_cache.h"

namespace cs::auth {
namespace {

// Provider ids hold no NUL, so the pair maps to one key and back.
std::string key_of(std::string_view provider_id, std::string_view subject) {
  std::string key;
  key.reserve(provider_id.size() + 1 + subject.size());
  key.append(provider_id).push_back('\0');
  key.append(subject);
  return key;
}

}  // namespace

BindingCache::BindingCache(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

std::optional<std::string> BindingCache::find(std::string_view provider_id,
                                              std::string_view subject) const {
  const std::string key = key_of(provider_id, subject);
  std::lock_guard lock(m_mutex);
  const auto it = m_names.find(key);
  if (it == m_names.end()) return std::nullopt;
  return it->second;
}

void BindingCache::remember(std::string_view provider_id, std::string_view subject,
                            std::string name) {
  std::string key = key_of(provider_id, subject);
  std::lock_guard lock(m_mutex);
  // Bounded by dropping an arbitrary entry: a forgotten binding costs one row read.
  if (m_names.size() >= m_capacity && !m_names.contains(key)) m_names.erase(m_names.begin());
  m_names.insert_or_assign(std::move(key), std::move(name));
}

void BindingCache::forget_provider(std::string_view provider_id) {
  std::string prefix(provider_id);
  prefix.push_back('\0');
  std::lock_guard lock(m_mutex);
  std::erase_if(m_names, [&](const auto& item) { return item.first.starts_with(prefix); });
}

std::size_t BindingCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_names.size();
}

}  // namespace cs::auth
