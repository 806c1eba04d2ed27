#pragma once
// The auth stack as one service: MQTT users, tokens, API keys and access lists over the store,
// and the decisions the broker asks for (who may connect, publish, subscribe). Safe to call from
// the broker's event loop, HTTP threads and bcrypt workers; database access is serialised here.
//
// Token writes (create, refresh, revoke) go through a group-commit StoreWriter of the service's
// own: many concurrent callers share one transaction and one fsync, and each call returns only
// once the commit holding its write is durable, so a caller that answers after it never promises
// a token the disk does not hold. Reads (the broker's CONNECT checks, listings) see a write once
// it is committed, never before, so what the broker accepts is what the disk holds. Counting an
// API key's uses and deleting expired tokens ride on the same writer without waiting.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/auth/acl_index.h"
#include "devbroker/auth/api_key_cache.h"
#include "devbroker/auth/bcrypt_pool.h"
#include "devbroker/auth/credential_cache.h"
#include "devbroker/auth/scopes.h"
#include "devbroker/auth/secrets.h"
#include "devbroker/auth/token_ids.h"
#include "devbroker/mqtt/authorizer.h"
#include "devbroker/mqtt/topic.h"
#include "devbroker/store/store.h"

namespace cs::auth {

struct AuthOptions {
  bool allow_anonymous = false;    // clients without credentials (--allow-anonymous)
  int bcrypt_cost = 10;            // for new passwords and keys
  std::size_t bcrypt_threads = 2;  // concurrent bcrypt checks
  std::size_t bcrypt_queue = 256;  // checks waiting beyond that are refused (server busy)
  mqtt::TopicLimits topic_limits{1024, 32};
};

/// Who an MQTT client authenticated as, with what the access checks need. Every identity the
/// broker holds while an AuthService decides comes from AuthService::authenticate.
struct ClientIdentity : mqtt::Identity {
  bool full_access = false;   // an sk_ key: every topic but the server's own `$` topics
  std::vector<Scope> scopes;  // an rk_ key: narrows what the access list allows
};

class AuthService {
 public:
  using RevokeHook = std::function<void(const std::string& credential_id, mqtt::ReasonCode)>;

  /// Serves the organization `org` from `store`, which must outlive the service.
  AuthService(store::Store& store, store::OrgRecord org, AuthOptions options);
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  const store::OrgRecord& org() const { return m_org; }
  /// The topic limits rules, scopes and checks are held to.
  const mqtt::TopicLimits& topic_limits() const { return m_options.topic_limits; }

  /// Loads the access list from the store and starts the token writer; call once before
  /// serving (token writes fail with `internal` before).
  Result<void> load();

  /// Called, from any thread, with the credential id ("token:<id>", "user:<name>",
  /// "key:<id>") whose MQTT sessions must end now, and the reason to give them.
  void set_revoke_hook(RevokeHook hook);

  // MQTT users -------------------------------------------------------------------------------
  struct CreatedUser {
    store::UserRecord record;
    std::string password;  // shown once
  };
  /// Creates the native MQTT user `name` with `password`, or a generated strong one.
  Result<CreatedUser> create_user(std::string_view name, std::optional<std::string> password,
                                  SysSeconds now);
  /// Replaces user `name`'s password and ends its sessions.
  Result<void> set_user_password(std::string_view name, std::string_view password);
  /// Deletes user `name` and ends its sessions.
  Result<void> delete_user(std::string_view name);
  Result<std::vector<store::UserRecord>> list_users();

  // Tokens ----------------------------------------------------------------------------------
  struct TokenRequest {
    std::string user_email;
    std::optional<std::string> mqtt_name;  // default: the sanitised email
    std::string provider = "native";
    std::optional<std::string> integration_id;
    bool replace_existing = true;  // revoke the user's other tokens first
    std::optional<std::int64_t> ttl_seconds;
  };
  struct IssuedToken {
    store::TokenRecord record;
    std::string secret;         // the tkn_ password, shown once
    std::string mqtt_username;  // name@org_short_id
    SysSeconds refresh_recommended_at{};
  };
  /// Issues a token (API.md "Token service"); returns once it is committed. Blocks the caller
  /// for the commit: never call it on the broker's event loop.
  Result<IssuedToken> create_token(const TokenRequest& request, SysSeconds now);
  /// Gives token `id` a new password and expiry when `current_secret` is its password; the old
  /// password stops working at once, and sessions bound to the token live on.
  Result<IssuedToken> refresh_token(std::string_view id, std::string_view current_secret,
                                    SysSeconds now);
  /// Revokes token `id` and ends its sessions.
  Result<void> revoke_token(std::string_view id, SysSeconds now);
  Result<std::vector<store::TokenRecord>> list_tokens(SysSeconds now);
  /// Ends the sessions of tokens that expired by `now` and queues the deletion of expired
  /// tokens (it does not wait for the disk: safe on the broker's event loop).
  void sweep(SysSeconds now);
  /// Waits until every write queued so far (token writes, key use counts, deletions) has
  /// committed or failed.
  void flush_writes();
  /// How the token writer has batched its commits so far (zero before load()).
  store::StoreWriterStats write_stats() const;

  // API keys --------------------------------------------------------------------------------
  struct CreatedKey {
    store::ApiKeyRecord record;
    std::string secret;  // shown once
  };
  /// Creates an API key; `scopes` only for restricted keys, `ip_allowlist` as CIDR blocks.
  Result<CreatedKey> create_key(std::string_view name, KeyType type,
                                const std::vector<std::string>& scopes,
                                const std::vector<std::string>& ip_allowlist, SysSeconds now);
  /// Replaces key `id`'s secret; the old one stops working at once.
  Result<CreatedKey> rotate_key(std::string_view id);
  /// Revokes key `id` and ends its sessions.
  Result<void> revoke_key(std::string_view id, SysSeconds now);
  /// Every key, with use counts that include every use verified before the call.
  Result<std::vector<store::ApiKeyRecord>> list_keys();

  /// A verified API key: its record (without the secret) and, for a restricted key, its scopes.
  struct KeyAccess {
    store::ApiKeyRecord record;
    std::vector<Scope> scopes;
    bool full_access() const { return record.type == "secret"; }
  };
  /// Checks the API key `secret` presented from `peer` ("1.2.3.4:5"; its IP allowlist applies)
  /// and counts a use; `done` runs once, inline when the check is cached, else on a bcrypt
  /// worker, with the key or unauthorized (unknown, revoked, wrong), forbidden (address not
  /// allowed) or unavailable (busy).
  void verify_api_key(const std::string& secret, const std::string& peer, SysSeconds now,
                      std::function<void(Result<KeyAccess>)> done);

  // Access lists ----------------------------------------------------------------------------
  /// Appends `rule` (its id is generated) after validating it.
  Result<store::AclRuleRecord> add_rule(AclRule rule, SysSeconds now);
  Result<void> remove_rule(std::string_view id);
  /// The rules as the broker applies them now.
  std::shared_ptr<const AclIndex> acl() const;

  // MQTT decisions --------------------------------------------------------------------------
  /// Decides a CONNECT: `done` runs once, inline when no bcrypt is needed, else on a worker.
  void authenticate(const mqtt::ConnectRequest& request, SysSeconds now,
                    std::function<void(mqtt::AuthDecision)> done);
  /// True when `identity` (from authenticate), connected as `client_id`, may do `action` on
  /// `topic_or_filter`.
  bool may(const mqtt::Identity& identity, std::string_view client_id,
           std::string_view topic_or_filter, Action action) const;

  // Other tables ----------------------------------------------------------------------------
  /// Runs `work` with the store while holding the lock that serialises every use of its
  /// connection, for services keeping tables of their own (CLI login sessions); `work` must not
  /// call back into this service.
  template <class Work>
  auto with_store(Work&& work) {
    std::lock_guard db(m_db_mutex);
    return work(m_store);
  }

 private:
  Result<void> reload_acl_locked();
  // Runs `write` on the token writer and waits for the commit that holds it; its error, or the
  // commit's.
  Result<void> commit(store::StoreWriter::Write write);
  // Queues `write` on the token writer without waiting; a failure is logged as `what`.
  void submit_quietly(store::StoreWriter::Write write, std::string what);
  // Counts a use of key `id` at `now`: uses gather until the writer takes them, one row update
  // per key and commit however many requests used it.
  void count_key_use(const std::string& id, SysSeconds now);
  void revoke_sessions(const std::string& credential_id, mqtt::ReasonCode reason);
  std::shared_ptr<ClientIdentity> named_identity(const std::string& name, std::string kind,
                                                 std::string credential_id) const;
  mqtt::AuthDecision accept(std::shared_ptr<const ClientIdentity> identity) const;
  mqtt::AuthDecision authenticate_certificate(const mqtt::ConnectRequest& request) const;
  void authenticate_token(const std::string& name, const std::string& secret, SysSeconds now,
                          const std::function<void(mqtt::AuthDecision)>& done);
  void authenticate_key(const std::string& name, const std::string& secret,
                        const mqtt::ConnectRequest& request, SysSeconds now,
                        std::function<void(mqtt::AuthDecision)> done);
  void authenticate_user(const std::string& name, const std::string& password,
                         std::function<void(mqtt::AuthDecision)> done);

  store::Store& m_store;
  store::OrgRecord m_org;
  AuthOptions m_options;
  // Every anonymous client shares this one, so that idle anonymous connections stay small.
  std::shared_ptr<const ClientIdentity> m_anonymous;
  mutable std::mutex m_db_mutex;  // the store's connection is used by one thread at a time
  mutable std::mutex m_state_mutex;
  std::shared_ptr<const AclIndex> m_acl;
  std::map<std::string, SysSeconds> m_live_tokens;  // token id -> expiry, for bound sessions
  RevokeHook m_revoke_hook;
  struct KeyUses {
    std::int64_t count = 0;
    SysSeconds last{};
  };
  std::mutex m_uses_mutex;  // before the writer, whose last writes take the uses
  std::map<std::string, KeyUses> m_pending_uses;
  bool m_uses_queued = false;  // a write that takes m_pending_uses is on the writer's queue
  // Before the bcrypt pool: its workers count key uses on the writer until they are joined.
  std::unique_ptr<store::StoreWriter> m_writer;
  CredentialCache m_cache;
  ApiKeyCache m_key_cache;  // keys verified lately, so a request reads no key row
  TokenIdGenerator m_token_ids;
  BcryptPool m_bcrypt;
};

/// True when the IP address in `peer` ("1.2.3.4:5", "[::1]:5") is inside one of the CIDR
/// blocks of `allowlist`; an empty allowlist allows every address.
bool peer_allowed(std::string_view peer, const std::vector<std::string>& allowlist);

/// Checks a CIDR block ("10.0.0.0/8", "2001:db8::/32", or a single address).
Result<void> validate_cidr(std::string_view cidr);

}  // namespace cs::auth
