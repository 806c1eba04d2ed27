#include "devbroker/auth/provider_service.h"

#include <algorithm>

#include "common/crypto/random.h"
#include "common/jwt/jws.h"
#include "common/jwt/refusal.h"
#include "devbroker/auth/dev_idp.h"
#include "devbroker/auth/http_fetcher.h"
#include "devbroker/auth/names.h"

namespace cs::auth {

// Immutable once built; readers share it while a write builds the next one.
struct ProviderService::Snapshot {
  std::vector<Entry> entries;
  std::vector<const Entry*> enabled;  // enabled and valid, oldest first
};

namespace {

using nlohmann::json;

constexpr std::size_t k_provider_id_length = 16;

tl::unexpected<Error> no_provider(std::string_view id) {
  std::string message = "no identity provider with id ";
  message.append(id);
  return fail(ErrorCode::provider_not_found, std::move(message),
              "list them with GET /v2/providers");
}

// A stored provider that no longer validates: only a hand editing the database makes one.
tl::unexpected<Error> damaged(const store::ProviderRecord& record) {
  std::string message = "the stored configuration of provider '";
  message.append(record.name).append("' is not valid");
  return fail(ErrorCode::internal, std::move(message), "correct it with PATCH, or delete it");
}

Result<void> check_integration_id(const std::optional<std::string>& id) {
  if (!id) return {};
  const bool control = std::any_of(id->begin(), id->end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (id->empty() || id->size() > k_max_integration_id_length || control) {
    std::string message = "'integration_id' must be 1 to ";
    message.append(std::to_string(k_max_integration_id_length))
        .append(" bytes without control characters");
    return fail(ErrorCode::invalid_request, std::move(message));
  }
  return {};
}

// Why a verification failed, as the test route reports it.
std::string reason_of(const Error& error) {
  return error.reason.empty() ? std::string(error_code_name(error.code)) : error.reason;
}

}  // namespace

ProviderService::ProviderService(store::Database db, AuthService& auth,
                                 ProviderServiceOptions options)
    : m_db(std::move(db)),
      m_repos(m_db),
      m_auth(auth),
      m_fetcher(options.fetcher ? std::move(options.fetcher) : std::make_unique<HttpFetcher>()),
      m_keys(*m_fetcher),
      m_dev(std::move(options.dev_idp)),
      m_verifier(m_keys, m_dev ? &*m_dev : nullptr),
      m_steady_clock(options.steady_clock ? std::move(options.steady_clock)
                                          : [] { return std::chrono::steady_clock::now(); }) {}

ProviderService::~ProviderService() = default;

Result<std::unique_ptr<ProviderService>> ProviderService::open(store::Store& store,
                                                               AuthService& auth,
                                                               ProviderServiceOptions options) {
  // A connection of its own: AuthService serialises the store's connection behind a lock of
  // its own, and SQLite arbitrates between connections.
  auto db = store.database().reopen();
  if (!db) return fail(db.error());
  std::unique_ptr<ProviderService> service(
      new ProviderService(std::move(*db), auth, std::move(options)));
  std::lock_guard lock(service->m_db_mutex);
  if (auto ok = service->reload_locked(); !ok) return fail(ok.error());
  return service;
}

std::shared_ptr<const ProviderService::Snapshot> ProviderService::snapshot() const {
  std::lock_guard lock(m_snapshot_mutex);
  return m_snapshot;
}

Result<void> ProviderService::reload_locked() {
  auto records = m_repos.providers.list();
  if (!records) return fail(records.error());
  auto next = std::make_shared<Snapshot>();
  next->entries.reserve(records->size());
  for (auto& record : *records) {
    Entry entry{std::move(record), std::nullopt, {}};
    auto provider = provider_from_record(entry.record);
    auto rules = provider ? rules_for(*provider) : Result<ProviderRules>(fail(provider.error()));
    if (rules) {
      entry.provider = std::move(*provider);
      entry.rules = std::move(*rules);
    }
    next->entries.push_back(std::move(entry));
  }
  for (const auto& entry : next->entries) {
    if (entry.provider && entry.record.enabled) next->enabled.push_back(&entry);
  }
  std::lock_guard lock(m_snapshot_mutex);
  m_snapshot = std::move(next);
  return {};
}

// Providers -------------------------------------------------------------------------------------

Result<store::ProviderRecord> ProviderService::create(const NewProvider& provider, SysSeconds now) {
  store::ProviderRecord record;
  record.id = "prv_" + crypto::random_string(crypto::k_lowercase_alnum, k_provider_id_length);
  record.type = provider.type;
  record.name = provider.name;
  record.enabled = provider.enabled;
  record.username_claim = provider.username_claim;
  record.config = provider.config;
  record.dev = provider.dev;
  record.created_at = now;
  record.updated_at = now;
  if (auto valid = provider_from_record(record); !valid) return fail(valid.error());

  std::lock_guard lock(m_db_mutex);
  if (snapshot()->entries.size() >= k_max_providers) {
    std::string message = "an organization has at most ";
    message.append(std::to_string(k_max_providers)).append(" identity providers");
    return fail(ErrorCode::conflict, std::move(message), "delete one you no longer use");
  }
  if (auto ok = m_repos.providers.insert(record); !ok) return fail(ok.error());
  if (auto ok = reload_locked(); !ok) return fail(ok.error());
  return record;
}

Result<store::ProviderRecord> ProviderService::get(std::string_view id) const {
  const auto providers = snapshot();
  for (const auto& entry : providers->entries) {
    if (entry.record.id == id) return entry.record;
  }
  return no_provider(id);
}

std::vector<store::ProviderRecord> ProviderService::list() const {
  const auto providers = snapshot();
  std::vector<store::ProviderRecord> out;
  out.reserve(providers->entries.size());
  for (const auto& entry : providers->entries) out.push_back(entry.record);
  return out;
}

json ProviderService::list_json(ProviderView view) const {
  json items = json::array();
  for (const auto& record : list()) {
    if (view == ProviderView::admin_view) {
      items.push_back(to_admin_json(record));
    } else if (record.enabled) {
      items.push_back(to_public_json(record));
    }
  }
  return {{"providers", std::move(items)}};
}

Result<store::ProviderRecord> ProviderService::update(std::string_view id,
                                                      const ProviderPatch& patch, SysSeconds now) {
  std::lock_guard lock(m_db_mutex);
  auto found = m_repos.providers.find(std::string(id));
  if (!found) return fail(found.error());
  if (!*found) return no_provider(id);
  store::ProviderRecord record = std::move(**found);
  if (patch.type && *patch.type != record.type) {
    return fail(ErrorCode::invalid_request, "'type' of a provider cannot be changed",
                "create a provider of the other type instead");
  }
  if (patch.name) record.name = *patch.name;
  if (patch.enabled) record.enabled = *patch.enabled;
  if (patch.username_claim) record.username_claim = *patch.username_claim;
  if (patch.dev) record.dev = *patch.dev;
  // A merge patch keeps the fields it does not name, so a secret the admin view never shows
  // survives an edit of the other fields; null removes a field.
  if (patch.config) record.config.merge_patch(*patch.config);
  record.updated_at = now;
  if (auto valid = provider_from_record(record); !valid) return fail(valid.error());
  if (auto ok = m_repos.providers.update(record); !ok) return fail(ok.error());
  if (auto ok = reload_locked(); !ok) return fail(ok.error());
  return record;
}

Result<void> ProviderService::remove(std::string_view id) {
  std::lock_guard lock(m_db_mutex);
  if (auto ok = m_repos.providers.remove(std::string(id)); !ok) return ok;
  m_bindings.forget_provider(id);
  return reload_locked();
}

// Tokens ----------------------------------------------------------------------------------------

Result<VerifiedIdentity> ProviderService::verify(const Entry& entry, std::string_view token,
                                                 SysSeconds now) const {
  return m_verifier.verify(*entry.provider, entry.rules, token, now, m_steady_clock());
}

Result<VerifiedIdentity> ProviderService::verify(const Entry& entry, jwt::Jws jws,
                                                 SysSeconds now) const {
  return m_verifier.verify(*entry.provider, entry.rules, std::move(jws), now, m_steady_clock());
}

Result<const ProviderService::Entry*> ProviderService::choose(const Snapshot& providers,
                                                              const ExchangeRequest& request,
                                                              const Result<jwt::Jws>& jws) const {
  std::vector<const Entry*> candidates;
  if (request.provider) {
    const auto type = provider_type_from_name(*request.provider);
    if (!type) {
      std::string message = "there is no provider type '";
      message.append(*request.provider).append("'");
      return fail(ErrorCode::provider_not_found, std::move(message),
                  "use supabase, firebase, auth0, clerk or oidc, or leave 'provider' out");
    }
    for (const Entry* entry : providers.enabled) {
      if (entry->provider->type == *type) candidates.push_back(entry);
    }
    if (candidates.size() == 1) return candidates.front();
    if (candidates.empty()) {
      std::string message = "the organization has no enabled ";
      message.append(*request.provider).append(" provider");
      return fail(ErrorCode::provider_not_found, std::move(message),
                  "create or enable one with the providers API");
    }
  } else {
    candidates = providers.enabled;
  }
  if (!jws) return fail(jws.error());
  auto iss = token_issuer(*jws);
  if (!iss) return fail(iss.error());
  for (const Entry* entry : candidates) {
    for (const auto& rule : entry->rules.issuers) {
      if (rule.issuer == *iss) return entry;
    }
  }
  std::string message = "no enabled provider has the token's issuer ";
  if (!request.provider) {
    message.append(*iss);
    return fail(ErrorCode::provider_not_found, std::move(message),
                "name the provider, or add one with this issuer");
  }
  // Several of the named type, and the token's issuer is none of theirs: the token's fault.
  message = "the token's issuer is none of the organization's ";
  message.append(*request.provider).append(" providers'");
  return jwt::refuse(jwt::Refusal::bad_issuer, std::move(message));
}

Result<std::string> ProviderService::bind_name(const Provider& provider,
                                               const VerifiedIdentity& identity, SysSeconds now,
                                               Bind bind) {
  // A binding never changes once made, so a remembered one is the answer for good.
  if (auto cached = m_bindings.find(identity.provider_id, identity.subject)) return *cached;
  std::lock_guard lock(m_db_mutex);
  auto bound = m_repos.bindings.find(identity.provider_id, identity.subject);
  if (!bound) return fail(bound.error());
  if (*bound) {
    m_bindings.remember(identity.provider_id, identity.subject, (*bound)->name);
    return (*bound)->name;
  }

  const EmailTrust trust =
      provider.type == ProviderType::firebase ? EmailTrust::verified_only : EmailTrust::as_given;
  auto base = derive_name(identity.claims, provider.username_claim, trust);
  if (!base) return fail(base.error());
  // Native MQTT users own their names too: an identity named like one gets a suffix, never the
  // user's topics.
  std::optional<Error> lookup_error;
  const auto is_taken = [&](std::string_view candidate) {
    const std::string name(candidate);
    auto owner = m_repos.bindings.find_by_name(name);
    if (owner && !*owner) {
      auto user = m_repos.users.find(name);
      if (user) return user->has_value();
      lookup_error = user.error();
      return true;
    }
    if (!owner) lookup_error = owner.error();
    return true;
  };
  auto name = derive_unique_name(*base, StableId{identity.provider_id, identity.subject}, is_taken);
  if (lookup_error) return fail(*lookup_error);
  if (!name) return fail(name.error());
  if (bind == Bind::record) {
    store::BindingRecord record{identity.provider_id, identity.subject, *name, now};
    if (auto ok = m_repos.bindings.insert(record); !ok) return fail(ok.error());
    m_bindings.remember(identity.provider_id, identity.subject, *name);
  }
  return name;
}

Result<TokenTestResult> ProviderService::test(std::string_view id, std::string_view token,
                                              SysSeconds now) {
  const auto providers = snapshot();
  const auto entry = std::find_if(providers->entries.begin(), providers->entries.end(),
                                  [&](const Entry& e) { return e.record.id == id; });
  if (entry == providers->entries.end()) return no_provider(id);
  if (!entry->provider) return damaged(entry->record);

  TokenTestResult result;
  auto identity = verify(*entry, token, now);
  auto name = identity ? bind_name(*entry->provider, *identity, now, Bind::dry_run)
                       : Result<std::string>(tl::unexpect, identity.error());
  if (!name) {
    result.reason = reason_of(name.error());
    result.message = name.error().message;
    // What the token says, unverified, is what an admin needs to see why it was refused.
    if (auto jws = jwt::parse_jws(token)) result.claims = std::move(jws->payload);
    return result;
  }
  result.valid = true;
  result.claims = std::move(identity->claims);
  result.mqtt_username = *name + "@" + m_auth.org().short_id;
  return result;
}

Result<AuthService::IssuedToken> ProviderService::exchange(const ExchangeRequest& request,
                                                           SysSeconds now) {
  if (request.token.empty()) {
    return fail(ErrorCode::invalid_request, "'token' is required",
                "send the identity provider's JWT as 'token'");
  }
  if (auto ok = check_integration_id(request.integration_id); !ok) return fail(ok.error());
  // Decoded once here for the provider's choice and the verification both; a token that cannot
  // be decoded is refused after a provider name that matches nothing, as the checks go.
  auto jws = jwt::parse_jws(request.token);
  const auto providers = snapshot();
  auto entry = choose(*providers, request, jws);
  if (!entry) return fail(entry.error());
  const Provider& provider = *(*entry)->provider;
  if (!jws) return fail(jws.error());
  auto identity = verify(**entry, std::move(*jws), now);
  if (!identity) return fail(identity.error());
  auto name = bind_name(provider, *identity, now, Bind::record);
  if (!name) return fail(name.error());

  AuthService::TokenRequest token;
  token.user_email = identity->email.value_or(identity->subject);
  token.mqtt_name = std::move(*name);
  token.provider = provider_type_name(provider.type);
  token.integration_id = request.integration_id;
  // Replacing would revoke every token issued to this email, including those of another
  // identity (another provider, or an unverified claim of the same address).
  token.replace_existing = false;
  return m_auth.create_token(token, now);
}

// Dev identity provider -------------------------------------------------------------------------

Result<ProviderService::Entry> ProviderService::dev_provider_for(const std::string& ref,
                                                                 SysSeconds now, bool* created) {
  const auto providers = snapshot();
  for (const auto& entry : providers->entries) {
    if (entry.record.id != ref && entry.record.name != ref) continue;
    if (!entry.provider) return damaged(entry.record);
    if (!entry.record.dev) {
      std::string message = "the provider '";
      message.append(entry.record.name).append("' does not trust the dev identity provider");
      return fail(ErrorCode::invalid_request, std::move(message),
                  "name a provider created with \"dev\": true, or a provider type");
    }
    return entry;
  }
  const auto type = provider_type_from_name(ref);
  if (!type) {
    std::string message = "no provider has the id or name '";
    message.append(ref).append("', and it is not a provider type");
    return fail(ErrorCode::provider_not_found, std::move(message),
                "use supabase, firebase, auth0, clerk or oidc to have a dev provider made");
  }
  const Entry* found = nullptr;
  for (const auto& entry : providers->entries) {
    if (!entry.record.dev || !entry.provider || entry.provider->type != *type) continue;
    if (found == nullptr || (!found->record.enabled && entry.record.enabled)) found = &entry;
  }
  if (found != nullptr) return *found;

  NewProvider fresh;
  fresh.type = provider_type_name(*type);
  fresh.name = dev_provider_name(*type);
  fresh.config = dev_provider_config(*type);
  fresh.dev = true;
  auto record = create(fresh, now);
  if (!record) return fail(record.error());
  *created = true;
  const auto after = snapshot();
  for (const auto& entry : after->entries) {
    if (entry.record.id == record->id) return entry;
  }
  return no_provider(record->id);
}

Result<DevToken> ProviderService::mint_dev_token(const DevTokenRequest& request, SysSeconds now) {
  if (!m_dev) {
    return fail(ErrorCode::unavailable, "the dev identity provider is not running here");
  }
  DevToken out;
  std::lock_guard lock(m_mint_mutex);
  auto entry = dev_provider_for(request.provider, now, &out.provider_created);
  if (!entry) return fail(entry.error());
  const DevIdentityProvider::MintRequest mint{request.email, request.subject, request.ttl};
  auto token = m_dev->mint(*entry->provider, mint, now);
  if (!token) return fail(token.error());
  out.token = std::move(*token);
  out.provider = std::move(entry->record);
  return out;
}

json TokenTestResult::to_json() const {
  json out = {{"valid", valid}, {"claims", claims}};
  if (mqtt_username) out["mqtt_username"] = *mqtt_username;
  if (!valid) {
    out["reason"] = reason;
    out["message"] = message;
  }
  return out;
}

Result<std::unique_ptr<ProviderService>> open_dev_provider_service(
    store::Store& store, AuthService& auth, const std::filesystem::path& data_dir) {
  auto dev = load_or_create_dev_idp(data_dir / "idp");
  if (!dev) return fail(dev.error());
  ProviderServiceOptions options;
  options.dev_idp = std::move(*dev);
  return ProviderService::open(store, auth, std::move(options));
}

}  // namespace cs::auth
