#pragma once
// The organization's identity providers and the token exchange, as the HTTP API serves them
// (API.md "Providers" and `POST /v2/tokens/exchange`): providers created, read, changed and
// deleted over the store; a provider token verified (IdpVerifier) and turned into MQTT
// credentials (AuthService) under the name its identity is bound to (IDENTITY.md rule 7); and the
// dev identity provider minting provider-shaped tokens for offline work.
//
// Threads: every method may be called from many threads at once. Verification takes no lock:
// providers are read from an in-memory snapshot that every write through this service replaces
// (the service is the only writer of providers in the broker process), and the key cache lets
// readers through while it fetches. Database access goes through the service's own connection,
// one thread at a time.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/auth/binding_cache.h"
#include "devbroker/auth/idp.h"
#include "devbroker/auth/key_cache.h"
#include "devbroker/auth/provider.h"
#include "devbroker/auth/provider_json.h"
#include "devbroker/store/repositories.h"
#include "devbroker/store/store.h"

namespace cs::auth {

/// The most providers one organization may have.
inline constexpr std::size_t k_max_providers = 100;
/// The longest `integration_id` an exchange accepts, in bytes.
inline constexpr std::size_t k_max_integration_id_length = 128;

/// The body of `POST /v2/tokens/exchange`, less what the HTTP layer checks (auth, organization).
struct ExchangeRequest {
  std::optional<std::string> provider;  // a provider type; absent: chosen by the token's `iss`
  std::string token;
  std::optional<std::string> integration_id;
};

/// The answer of `POST /v2/providers/{id}/test`.
struct TokenTestResult {
  bool valid = false;
  nlohmann::json claims = nlohmann::json::object();  // verified; when refused, as decoded
  std::optional<std::string> mqtt_username;          // when valid: name@org_short_id
  std::string reason;                                // when refused: IDENTITY.md's reason
  std::string message;                               // when refused: a sentence for a person

  /// `{"valid", "claims", "mqtt_username"?, "reason"?, "message"?}`.
  nlohmann::json to_json() const;
};

/// What `cloudsignal dev idp-token` asks for.
struct DevTokenRequest {
  std::string provider;  // a provider's id or name, or a provider type
  std::string email;
  std::string subject;  // empty: derived from the email
  std::chrono::seconds ttl{3600};
};

struct DevToken {
  std::string token;               // the JWT, shaped like `provider`'s tokens
  store::ProviderRecord provider;  // the provider that accepts it
  bool provider_created = false;   // this call created `provider`
};

/// Which view of the provider list to give.
enum class ProviderView { public_view, admin_view };

struct ProviderServiceOptions {
  std::unique_ptr<DocumentFetcher> fetcher;    // null: HttpFetcher (HTTPS, system CAs)
  std::optional<DevIdentityProvider> dev_idp;  // absent: dev providers refuse every token
  std::function<SteadyTime()> steady_clock;    // null: std::chrono::steady_clock::now
};

class ProviderService {
 public:
  /// A service for `auth`'s organization over `store` (both outlive it), with its own connection
  /// to the store's database.
  static Result<std::unique_ptr<ProviderService>> open(store::Store& store, AuthService& auth,
                                                       ProviderServiceOptions options);
  ~ProviderService();
  ProviderService(const ProviderService&) = delete;
  ProviderService& operator=(const ProviderService&) = delete;

  // Providers --------------------------------------------------------------------------------
  /// Creates `provider` at `now`: invalid_request naming the wrong field, conflict when its name
  /// is taken or k_max_providers exist.
  Result<store::ProviderRecord> create(const NewProvider& provider, SysSeconds now);
  /// The provider `id`, or provider_not_found.
  Result<store::ProviderRecord> get(std::string_view id) const;
  /// Every provider, oldest first.
  std::vector<store::ProviderRecord> list() const;
  /// `{"providers": [...]}`: every provider in the admin view, or only the enabled ones in the
  /// public view.
  nlohmann::json list_json(ProviderView view) const;
  /// Applies `patch` to provider `id` at `now`, validating the result as create() does.
  Result<store::ProviderRecord> update(std::string_view id, const ProviderPatch& patch,
                                       SysSeconds now);
  /// Deletes provider `id`; the names its identities own stay theirs (a provider made again has
  /// a new id, so its identities are new ones).
  Result<void> remove(std::string_view id);

  // Tokens -----------------------------------------------------------------------------------
  /// Verifies `token` as provider `id`'s (enabled or not) at `now` and says what an exchange
  /// would give; binds and issues nothing. provider_not_found when there is no such provider.
  Result<TokenTestResult> test(std::string_view id, std::string_view token, SysSeconds now);
  /// Exchanges the provider token in `request` for MQTT credentials at `now`. Refusals:
  /// invalid_request (no token, bad integration_id), provider_not_found (no enabled provider of
  /// the named type, or none with the token's issuer), invalid_token / token_expired with an
  /// IDENTITY.md reason, jwks_unavailable.
  Result<AuthService::IssuedToken> exchange(const ExchangeRequest& request, SysSeconds now);

  // Dev identity provider ---------------------------------------------------------------------
  /// A token from the dev identity provider for `request` at `now`. `request.provider` names a
  /// provider created with `dev: true` by id or name, or a type: the org's dev provider of that
  /// type, created as `dev-<type>` (dev_provider_config) when there is none.
  Result<DevToken> mint_dev_token(const DevTokenRequest& request, SysSeconds now);

 private:
  struct Entry {
    store::ProviderRecord record;
    std::optional<Provider> provider;  // absent when the stored record no longer validates
    ProviderRules rules;               // rules_for(*provider), when there is a provider
  };
  struct Snapshot;
  enum class Bind { record, dry_run };

  ProviderService(store::Database db, AuthService& auth, ProviderServiceOptions options);
  std::shared_ptr<const Snapshot> snapshot() const;
  Result<void> reload_locked();
  // `jws` is request.token as parsed; its error matters only when the issuer must decide.
  Result<const Entry*> choose(const Snapshot& providers, const ExchangeRequest& request,
                              const Result<jwt::Jws>& jws) const;
  Result<VerifiedIdentity> verify(const Entry& entry, std::string_view token, SysSeconds now) const;
  Result<VerifiedIdentity> verify(const Entry& entry, jwt::Jws jws, SysSeconds now) const;
  Result<std::string> bind_name(const Provider& provider, const VerifiedIdentity& identity,
                                SysSeconds now, Bind bind);
  Result<Entry> dev_provider_for(const std::string& ref, SysSeconds now, bool* created);

  store::Database m_db;
  store::Repositories m_repos;
  AuthService& m_auth;
  std::unique_ptr<DocumentFetcher> m_fetcher;
  KeyCache m_keys;
  std::optional<DevIdentityProvider> m_dev;
  IdpVerifier m_verifier;
  std::function<SteadyTime()> m_steady_clock;
  mutable std::mutex m_db_mutex;  // m_db is used by one thread at a time; held while writing
  BindingCache m_bindings;        // the names identities own: an exchange reads no binding row
  mutable std::mutex m_snapshot_mutex;
  std::shared_ptr<const Snapshot> m_snapshot;
  std::mutex m_mint_mutex;  // one dev provider per type, even when asked for twice at once
};

/// The service `cloudsignal dev` runs: the dev identity provider's keys in `data_dir`/idp
/// (load_or_create_dev_idp), keys of real providers fetched over HTTPS.
Result<std::unique_ptr<ProviderService>> open_dev_provider_service(
    store::Store& store, AuthService& auth, const std::filesystem::path& data_dir);

}  // namespace cs::auth
