#pragma once
// The MQTT names identities own (identity_bindings), kept in memory so that an exchange for an
// identity seen before reads no row. A binding never changes once made (the first identity to
// claim a name keeps it for good), so an entry stays true; the cache only forgets to stay
// bounded, or when its provider is deleted. Safe from several threads.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cs::auth {

class BindingCache {
 public:
  /// Holds at most `capacity` bindings.
  explicit BindingCache(std::size_t capacity = 100000);

  /// The name identity (`provider_id`, `subject`) owns, if remembered.
  std::optional<std::string> find(std::string_view provider_id, std::string_view subject) const;

  /// Records that identity (`provider_id`, `subject`) owns `name`.
  void remember(std::string_view provider_id, std::string_view subject, std::string name);

  /// Drops every binding of provider `provider_id`.
  void forget_provider(std::string_view provider_id);

  std::size_t size() const;

 private:
  std::size_t m_capacity;
  mutable std::mutex m_mutex;
  std::unordered_map<std::string, std::string> m_names;  // provider id, NUL, subject -> name
};

}  // namespace cs::auth
