#pragma once
// Identity providers the token exchange accepts (Supabase, Firebase, Auth0, Clerk, OIDC), with
// their per-type configuration as JSON.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/store/database.h"

namespace cs::store {

struct ProviderRecord {
  std::string id;
  std::string type;  // supabase, firebase, auth0, clerk, oidc
  std::string name;  // unique
  bool enabled = true;
  std::string username_claim = "email";              // "email" or "sub"
  nlohmann::json config = nlohmann::json::object();  // may hold a secret (jwt_secret)
  bool dev = false;  // created for local development rather than by an admin
  SysSeconds created_at{};
  SysSeconds updated_at{};
  bool operator==(const ProviderRecord&) const = default;
};

class ProviderRepository {
 public:
  explicit ProviderRepository(Database& db) : m_db(db) {}

  /// Stores `provider`; a conflict error when its id or name is taken.
  Result<void> insert(const ProviderRecord& provider);
  /// The provider with `id`, or nullopt.
  Result<std::optional<ProviderRecord>> find(const std::string& id) const;
  /// The provider called `name`, or nullopt.
  Result<std::optional<ProviderRecord>> find_by_name(const std::string& name) const;
  /// Every provider, oldest first.
  Result<std::vector<ProviderRecord>> list() const;
  /// Replaces every field but `id` and `created_at` of provider `provider.id`;
  /// provider_not_found when there is none, conflict when the new name is taken.
  Result<void> update(const ProviderRecord& provider);
  /// Deletes provider `id`; provider_not_found when there is none.
  Result<void> remove(const std::string& id);

 private:
  Database& m_db;
};

}  // namespace cs::store
