#include "devbroker/auth/auth_service.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <future>
#include <utility>

#include "common/crypto/bcrypt.h"
#include "common/crypto/constant_time.h"
#include "common/crypto/random.h"
#include "common/log.h"
#include "devbroker/auth/names.h"

namespace cs::auth {
namespace {

using mqtt::AuthDecision;
using mqtt::ReasonCode;

std::shared_ptr<const ClientIdentity> anonymous_identity() {
  auto identity = std::make_shared<ClientIdentity>();
  identity->anonymous = true;
  identity->kind = "anonymous";
  return identity;
}

namespace ip = boost::asio::ip;

AuthDecision refuse(ReasonCode reason, std::string message) {
  AuthDecision d;
  d.accepted = false;
  d.reason = reason;
  d.message = std::move(message);
  return d;
}

std::string token_credential(std::string_view id) {
  return "token:" + std::string(id);
}
std::string user_credential(std::string_view name) {
  return "user:" + std::string(name);
}
std::string key_credential(std::string_view id) {
  return "key:" + std::string(id);
}

std::optional<ip::address> peer_address(std::string_view peer) {
  std::string host(peer);
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  boost::system::error_code ec;
  auto address = ip::make_address(host, ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

}  // namespace

Result<void> validate_cidr(std::string_view cidr) {
  boost::system::error_code ec;
  const std::string text(cidr);
  if (text.find('/') == std::string::npos) {
    ip::make_address(text, ec);
  } else if (text.find(':') != std::string::npos) {
    ip::make_network_v6(text, ec);
  } else {
    ip::make_network_v4(text, ec);
  }
  if (ec) return fail(ErrorCode::invalid_request, "not a CIDR block: " + text);
  return {};
}

bool peer_allowed(std::string_view peer, const std::vector<std::string>& allowlist) {
  if (allowlist.empty()) return true;
  const auto address = peer_address(peer);
  if (!address) return false;
  for (const auto& block : allowlist) {
    boost::system::error_code ec;
    if (block.find('/') == std::string::npos) {
      if (ip::make_address(block, ec) == *address && !ec) return true;
      continue;
    }
    if (address->is_v4() && block.find(':') == std::string::npos) {
      const auto net = ip::make_network_v4(block, ec);
      if (!ec && net.network() == ip::network_v4(address->to_v4(), net.prefix_length()).network()) {
        return true;
      }
    } else if (address->is_v6() && block.find(':') != std::string::npos) {
      const auto net = ip::make_network_v6(block, ec);
      if (!ec && net.network() == ip::network_v6(address->to_v6(), net.prefix_length()).network()) {
        return true;
      }
    }
  }
  return false;
}

AuthService::AuthService(store::Store& store, store::OrgRecord org, AuthOptions options)
    : m_store(store),
      m_org(std::move(org)),
      m_options(options),
      m_anonymous(anonymous_identity()),
      m_acl(std::make_shared<const AclIndex>()),
      m_bcrypt(options.bcrypt_threads, options.bcrypt_queue) {}

AuthService::~AuthService() = default;

Result<void> AuthService::load() {
  {
    std::lock_guard db(m_db_mutex);
    if (auto ok = reload_acl_locked(); !ok) return ok;
  }
  if (!m_writer) {
    auto writer = m_store.open_writer();
    if (!writer) return fail(writer.error());
    m_writer = std::move(*writer);
  }
  return {};
}

Result<void> AuthService::commit(store::StoreWriter::Write write) {
  if (!m_writer) return fail(ErrorCode::internal, "the auth service was not loaded");
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  auto submitted = m_writer->submit(
      std::move(write), [promise](const Result<void>& result) { promise->set_value(result); });
  if (!submitted) return fail(submitted.error());
  return future.get();
}

void AuthService::submit_quietly(store::StoreWriter::Write write, std::string what) {
  if (!m_writer) return;
  auto done = [what](const Result<void>& result) {
    if (!result) {
      std::string line = "could not ";
      line.append(what).append(": ").append(result.error().message);
      log::warn(line);
    }
  };
  if (auto submitted = m_writer->submit(std::move(write), done); !submitted) done(submitted);
}

void AuthService::count_key_use(const std::string& id, SysSeconds now) {
  {
    std::lock_guard lock(m_uses_mutex);
    auto& uses = m_pending_uses[id];
    ++uses.count;
    uses.last = std::max(uses.last, now);
    if (!m_writer || std::exchange(m_uses_queued, true)) return;
  }
  auto take = [this](store::Repositories& repos) -> Result<void> {
    std::map<std::string, KeyUses> taken;
    {
      std::lock_guard lock(m_uses_mutex);
      taken.swap(m_pending_uses);
      m_uses_queued = false;
    }
    for (const auto& [key, uses] : taken) {
      // A key deleted meanwhile has nothing left to count.
      auto counted = repos.api_keys.record_use(key, uses.last, uses.count);
      if (!counted && counted.error().code != ErrorCode::not_found) return counted;
    }
    return {};
  };
  auto done = [](const Result<void>& result) {
    if (!result) log::warn("could not count API key uses: " + result.error().message);
  };
  if (auto submitted = m_writer->submit(std::move(take), done); !submitted) {
    std::lock_guard lock(m_uses_mutex);
    m_uses_queued = false;  // the next use tries again
  }
}

void AuthService::flush_writes() {
  if (m_writer) m_writer->flush();
}

store::StoreWriterStats AuthService::write_stats() const {
  return m_writer ? m_writer->stats() : store::StoreWriterStats{};
}

void AuthService::set_revoke_hook(RevokeHook hook) {
  std::lock_guard lock(m_state_mutex);
  m_revoke_hook = std::move(hook);
}

void AuthService::revoke_sessions(const std::string& credential_id, ReasonCode reason) {
  RevokeHook hook;
  {
    std::lock_guard lock(m_state_mutex);
    hook = m_revoke_hook;
  }
  if (hook) hook(credential_id, reason);
}

// Users ---------------------------------------------------------------------------------------

Result<AuthService::CreatedUser> AuthService::create_user(std::string_view name,
                                                          std::optional<std::string> password,
                                                          SysSeconds now) {
  if (auto ok = validate_native_name(name); !ok) return fail(ok.error());
  CreatedUser created;
  created.password = password ? std::move(*password) : new_user_password();
  auto hash = crypto::bcrypt_hash(created.password, m_options.bcrypt_cost);
  if (!hash) return fail(hash.error());
  created.record = store::UserRecord{std::string(name), std::move(*hash), now};
  std::lock_guard db(m_db_mutex);
  if (auto ok = m_store.repos().users.insert(created.record); !ok) return fail(ok.error());
  return created;
}

Result<void> AuthService::set_user_password(std::string_view name, std::string_view password) {
  auto hash = crypto::bcrypt_hash(password, m_options.bcrypt_cost);
  if (!hash) return fail(hash.error());
  {
    std::lock_guard db(m_db_mutex);
    if (auto ok = m_store.repos().users.set_password_hash(std::string(name), *hash); !ok) return ok;
  }
  m_cache.forget_owner(user_credential(name));
  revoke_sessions(user_credential(name), ReasonCode::not_authorized);
  return {};
}

Result<void> AuthService::delete_user(std::string_view name) {
  {
    std::lock_guard db(m_db_mutex);
    if (auto ok = m_store.repos().users.remove(std::string(name)); !ok) return ok;
  }
  m_cache.forget_owner(user_credential(name));
  revoke_sessions(user_credential(name), ReasonCode::not_authorized);
  return {};
}

Result<std::vector<store::UserRecord>> AuthService::list_users() {
  std::lock_guard db(m_db_mutex);
  return m_store.repos().users.list();
}

// Tokens --------------------------------------------------------------------------------------

Result<AuthService::IssuedToken> AuthService::create_token(const TokenRequest& request,
                                                           SysSeconds now) {
  if (request.user_email.empty()) return fail(ErrorCode::invalid_request, "user_email is required");
  std::string name = request.mqtt_name.value_or(sanitise_name(request.user_email));
  if (auto ok = validate_name(name); !ok) return fail(ok.error());
  auto ttl = token_ttl(request.ttl_seconds, std::chrono::seconds(m_org.token_ttl_seconds));
  if (!ttl) return fail(ttl.error());

  IssuedToken issued;
  issued.secret = new_token_secret();
  issued.record = store::TokenRecord{m_token_ids.next(now),
                                     token_hash(issued.secret),
                                     request.user_email,
                                     name,
                                     request.provider,
                                     request.integration_id,
                                     now,
                                     now + *ttl,
                                     std::nullopt};
  // The revocation and the insert commit together: a failure leaves the old tokens working.
  auto replaced = std::make_shared<std::vector<std::string>>();
  auto committed = commit([record = issued.record, replace = request.replace_existing, now,
                           replaced](store::Repositories& repos) -> Result<void> {
    if (replace) {
      auto revoked = repos.tokens.revoke_for_user(record.user_email, now);
      if (!revoked) return fail(revoked.error());
      *replaced = std::move(*revoked);
    }
    return repos.tokens.insert(record);
  });
  if (!committed) return fail(committed.error());
  for (const auto& id : *replaced)
    revoke_sessions(token_credential(id), ReasonCode::not_authorized);
  issued.mqtt_username = name + "@" + m_org.short_id;
  issued.refresh_recommended_at = refresh_recommended_at(now, issued.record.expires_at);
  return issued;
}

Result<AuthService::IssuedToken> AuthService::refresh_token(std::string_view id,
                                                            std::string_view current_secret,
                                                            SysSeconds now) {
  IssuedToken issued;
  issued.secret = new_token_secret();
  // Checked and changed inside one write, so two refreshes racing with the same password cannot
  // both win.
  auto record = std::make_shared<store::TokenRecord>();
  auto committed = commit([id = std::string(id), presented = token_hash(current_secret),
                           new_hash = token_hash(issued.secret), now,
                           record](store::Repositories& repos) -> Result<void> {
    auto found = repos.tokens.find(id);
    if (!found) return fail(found.error());
    // One answer for every way of being wrong, so the endpoint reveals nothing about token ids.
    if (!*found || (*found)->revoked_at || (*found)->expires_at <= now ||
        !crypto::constant_time_equal((*found)->password_hash, presented)) {
      return fail(ErrorCode::invalid_token, "the token id and password do not match a live token",
                  "create a new token");
    }
    *record = std::move(**found);
    record->password_hash = new_hash;
    record->expires_at = now + (record->expires_at - record->created_at);
    return repos.tokens.extend(record->id, record->password_hash, record->expires_at);
  });
  if (!committed) return fail(committed.error());
  {
    std::lock_guard lock(m_state_mutex);
    if (auto it = m_live_tokens.find(record->id); it != m_live_tokens.end())
      it->second = record->expires_at;
  }
  issued.mqtt_username = record->mqtt_name + "@" + m_org.short_id;
  issued.refresh_recommended_at = refresh_recommended_at(now, record->expires_at);
  issued.record = std::move(*record);
  return issued;
}

Result<void> AuthService::revoke_token(std::string_view id, SysSeconds now) {
  auto committed = commit([id = std::string(id), now](store::Repositories& repos) {
    return repos.tokens.revoke(id, now);
  });
  if (!committed) return committed;
  {
    std::lock_guard lock(m_state_mutex);
    m_live_tokens.erase(std::string(id));
  }
  revoke_sessions(token_credential(id), ReasonCode::not_authorized);
  return {};
}

Result<std::vector<store::TokenRecord>> AuthService::list_tokens(SysSeconds now) {
  std::lock_guard db(m_db_mutex);
  return m_store.repos().tokens.list_active(now);
}

void AuthService::sweep(SysSeconds now) {
  std::vector<std::string> ended;
  {
    std::lock_guard lock(m_state_mutex);
    for (auto it = m_live_tokens.begin(); it != m_live_tokens.end();) {
      if (it->second <= now) {
        ended.push_back(it->first);
        it = m_live_tokens.erase(it);
      } else {
        ++it;
      }
    }
  }
  // 0xA0 "maximum connect time": the credential's lifetime is over.
  for (const auto& id : ended)
    revoke_sessions(token_credential(id), ReasonCode::maximum_connect_time);
  submit_quietly(
      [now](store::Repositories& repos) -> Result<void> {
        auto deleted = repos.tokens.delete_expired(now);
        if (!deleted) return fail(deleted.error());
        return {};
      },
      "delete expired tokens");
}

// API keys ------------------------------------------------------------------------------------

Result<AuthService::CreatedKey> AuthService::create_key(
    std::string_view name, KeyType type, const std::vector<std::string>& scopes,
    const std::vector<std::string>& ip_allowlist, SysSeconds now) {
  if (name.empty() || name.size() > 128) {
    return fail(ErrorCode::invalid_request, "a key needs a name of 1 to 128 characters");
  }
  if (type == KeyType::secret && !scopes.empty()) {
    return fail(ErrorCode::invalid_request, "scopes apply to restricted keys only",
                "create the key with type \"restricted\"");
  }
  if (type == KeyType::restricted) {
    if (scopes.empty()) return fail(ErrorCode::invalid_request, "a restricted key needs scopes");
    if (auto ok = parse_scopes(scopes, m_options.topic_limits); !ok) return fail(ok.error());
  }
  for (const auto& block : ip_allowlist) {
    if (auto ok = validate_cidr(block); !ok) return fail(ok.error());
  }
  const NewApiKey key = new_api_key(type);
  auto hash = crypto::bcrypt_hash(key.secret, m_options.bcrypt_cost);
  if (!hash) return fail(hash.error());
  CreatedKey created;
  created.secret = key.secret;
  created.record = store::ApiKeyRecord{key.id,
                                       std::string(name),
                                       type == KeyType::secret ? "secret" : "restricted",
                                       key.prefix,
                                       std::move(*hash),
                                       scopes,
                                       ip_allowlist,
                                       now,
                                       std::nullopt,
                                       0,
                                       std::nullopt};
  std::lock_guard db(m_db_mutex);
  if (auto ok = m_store.repos().api_keys.insert(created.record); !ok) return fail(ok.error());
  return created;
}

Result<AuthService::CreatedKey> AuthService::rotate_key(std::string_view id) {
  CreatedKey created;
  {
    std::lock_guard db(m_db_mutex);
    auto found = m_store.repos().api_keys.find(std::string(id));
    if (!found) return fail(found.error());
    if (!*found || (*found)->revoked_at) return fail(ErrorCode::not_found, "no such API key");
    created.record = std::move(**found);
  }
  // The id stays; the secret (and so the prefix that embeds the id) is new.
  const KeyType type = created.record.type == "secret" ? KeyType::secret : KeyType::restricted;
  const NewApiKey key = new_api_key(type, created.record.id);
  auto hash = crypto::bcrypt_hash(key.secret, m_options.bcrypt_cost);
  if (!hash) return fail(hash.error());
  {
    std::lock_guard db(m_db_mutex);
    if (auto ok = m_store.repos().api_keys.rotate(created.record.id, key.prefix, *hash); !ok) {
      return fail(ok.error());
    }
  }
  created.record.prefix = key.prefix;
  created.record.hash = std::move(*hash);
  created.secret = key.secret;
  // After the commit: a check that read the old row before it cannot cache the old secret.
  m_key_cache.invalidate(created.record.id);
  m_cache.forget_owner(key_credential(created.record.id));
  revoke_sessions(key_credential(created.record.id), ReasonCode::not_authorized);
  return created;
}

Result<void> AuthService::revoke_key(std::string_view id, SysSeconds now) {
  {
    std::lock_guard db(m_db_mutex);
    if (auto ok = m_store.repos().api_keys.revoke(std::string(id), now); !ok) return ok;
  }
  m_key_cache.invalidate(id);
  m_cache.forget_owner(key_credential(id));
  revoke_sessions(key_credential(id), ReasonCode::not_authorized);
  return {};
}

Result<std::vector<store::ApiKeyRecord>> AuthService::list_keys() {
  flush_writes();  // the use counts still queued
  std::lock_guard db(m_db_mutex);
  return m_store.repos().api_keys.list();
}

// Access lists --------------------------------------------------------------------------------

Result<void> AuthService::reload_acl_locked() {
  auto records = m_store.repos().acl.list();
  if (!records) return fail(records.error());
  std::vector<AclRule> rules;
  for (const auto& r : *records) {
    const auto permission = parse_permission(r.permission);
    const auto effect = parse_effect(r.effect);
    if (!permission || !effect) {
      return fail(ErrorCode::io, "access rule " + r.id + " in the store is damaged");
    }
    rules.push_back(AclRule{r.id, r.user_pattern, r.topic, *permission, *effect});
  }
  auto index = AclIndex::build(std::move(rules), m_options.topic_limits);
  if (!index) return fail(index.error());
  std::lock_guard lock(m_state_mutex);
  m_acl = std::make_shared<const AclIndex>(std::move(*index));
  return {};
}

Result<store::AclRuleRecord> AuthService::add_rule(AclRule rule, SysSeconds now) {
  rule.id = "acl_" + crypto::random_string(crypto::k_lowercase_alnum, 12);
  if (auto ok = validate_rule(rule, m_options.topic_limits); !ok) return fail(ok.error());
  std::lock_guard db(m_db_mutex);
  auto inserted = m_store.repos().acl.insert(store::AclRuleRecord{
      rule.id, rule.user_pattern, rule.topic, std::string(permission_name(rule.permission)),
      std::string(effect_name(rule.effect)), now, 0});
  if (!inserted) return fail(inserted.error());
  if (auto ok = reload_acl_locked(); !ok) return fail(ok.error());
  return inserted;
}

Result<void> AuthService::remove_rule(std::string_view id) {
  std::lock_guard db(m_db_mutex);
  if (auto ok = m_store.repos().acl.remove(std::string(id)); !ok) return ok;
  return reload_acl_locked();
}

std::shared_ptr<const AclIndex> AuthService::acl() const {
  std::lock_guard lock(m_state_mutex);
  return m_acl;
}

// MQTT decisions ------------------------------------------------------------------------------

std::shared_ptr<ClientIdentity> AuthService::named_identity(const std::string& name,
                                                            std::string kind,
                                                            std::string credential_id) const {
  auto identity = std::make_shared<ClientIdentity>();
  identity->name = name;
  identity->username = name + "@" + m_org.short_id;
  identity->kind = std::move(kind);
  identity->credential_id = std::move(credential_id);
  return identity;
}

AuthDecision AuthService::accept(std::shared_ptr<const ClientIdentity> identity) const {
  AuthDecision d;
  d.accepted = true;
  d.reason = ReasonCode::success;
  d.identity = std::move(identity);
  return d;
}

// Order: a verified client certificate without a password (the certificate is the credential)
// -> anonymous (no username) -> username syntax and organization -> by the password's shape: a
// token (tkn_), an API key (sk_/rk_), else the native user's password. Every failure after the
// username is "bad username or password", so nothing tells which part was wrong.
void AuthService::authenticate(const mqtt::ConnectRequest& request, SysSeconds now,
                               std::function<void(AuthDecision)> done) {
  // Under --allow-anonymous a client that names nobody stays anonymous; otherwise a verified
  // certificate with no password makes the client the user its common name names.
  if (request.certificate_name && !request.password &&
      (request.username || !m_options.allow_anonymous)) {
    return done(authenticate_certificate(request));
  }
  if (!request.username) {
    if (request.password) {
      return done(refuse(ReasonCode::bad_username_or_password, "a password without a username"));
    }
    if (!m_options.allow_anonymous) {
      return done(refuse(ReasonCode::not_authorized,
                         "anonymous clients are not allowed (start with --allow-anonymous)"));
    }
    return done(accept(m_anonymous));
  }
  auto username = parse_mqtt_username(*request.username);
  if (!username) {
    return done(refuse(ReasonCode::bad_username_or_password,
                       "the username must be name@" + m_org.short_id));
  }
  const bool our_org = username->org_kind == OrgRefKind::short_id ? username->org == m_org.short_id
                                                                  : username->org == m_org.id;
  if (!our_org) return done(refuse(ReasonCode::bad_username_or_password, "unknown organization"));
  if (!request.password || request.password->empty()) {
    return done(refuse(ReasonCode::bad_username_or_password, "no password"));
  }
  const std::string secret = to_string(*request.password);
  if (secret.starts_with("tkn_")) return authenticate_token(username->name, secret, now, done);
  if (parse_api_key(secret))
    return authenticate_key(username->name, secret, request, now, std::move(done));
  authenticate_user(username->name, secret, std::move(done));
}

AuthDecision AuthService::authenticate_certificate(const mqtt::ConnectRequest& request) const {
  const std::string& name = *request.certificate_name;
  if (!validate_native_name(name)) {
    return refuse(ReasonCode::bad_username_or_password,
                  "the client certificate's name is not a valid MQTT user name");
  }
  // A username, when given, must name the same user in this organization.
  if (request.username) {
    auto username = parse_mqtt_username(*request.username);
    const bool same = username && username->name == name &&
                      (username->org_kind == OrgRefKind::short_id ? username->org == m_org.short_id
                                                                  : username->org == m_org.id);
    if (!same) {
      return refuse(ReasonCode::bad_username_or_password,
                    "the username does not match the client certificate");
    }
  }
  auto identity = named_identity(name, "certificate", "certificate:" + name);
  return accept(std::move(identity));
}

void AuthService::authenticate_token(const std::string& name, const std::string& secret,
                                     SysSeconds now,
                                     const std::function<void(AuthDecision)>& done) {
  std::optional<store::TokenRecord> token;
  {
    std::lock_guard db(m_db_mutex);
    auto found = m_store.repos().tokens.find_by_hash(token_hash(secret));
    if (!found) return done(refuse(ReasonCode::server_unavailable, found.error().message));
    token = std::move(*found);
  }
  if (!token || token->revoked_at || token->expires_at <= now || token->mqtt_name != name) {
    return done(refuse(ReasonCode::bad_username_or_password, "unknown, expired or revoked token"));
  }
  {
    std::lock_guard lock(m_state_mutex);
    m_live_tokens[token->id] = token->expires_at;
  }
  auto identity = named_identity(name, "token", token_credential(token->id));
  done(accept(std::move(identity)));
}

void AuthService::authenticate_key(const std::string& name, const std::string& secret,
                                   const mqtt::ConnectRequest& request, SysSeconds now,
                                   std::function<void(AuthDecision)> done) {
  verify_api_key(secret, request.peer, now, [this, name, done](Result<KeyAccess> key) {
    if (!key) {
      const auto reason = key.error().code == ErrorCode::forbidden ? ReasonCode::not_authorized
                          : key.error().code == ErrorCode::unavailable
                              ? ReasonCode::server_busy
                              : ReasonCode::bad_username_or_password;
      return done(refuse(reason, key.error().message));
    }
    auto identity = named_identity(name, "api_key", key_credential(key->record.id));
    identity->full_access = key->full_access();
    identity->scopes = std::move(key->scopes);
    done(accept(std::move(identity)));
  });
}

void AuthService::verify_api_key(const std::string& secret, const std::string& peer, SysSeconds now,
                                 std::function<void(Result<KeyAccess>)> done) {
  const auto parsed = parse_api_key(secret);
  if (!parsed) return done(fail(ErrorCode::unauthorized, "not an API key"));
  // A key verified before: no row read, no scope parsing. The allowlist is checked every time,
  // since the peer is the request's.
  if (auto cached = m_key_cache.find(parsed->id, secret, ApiKeyCache::Clock::now())) {
    if (!peer_allowed(peer, cached->record.ip_allowlist)) {
      return done(fail(ErrorCode::forbidden, "the key's IP allowlist does not include " + peer));
    }
    count_key_use(cached->record.id, now);
    return done(KeyAccess{std::move(cached->record), std::move(cached->scopes)});
  }
  // Taken before the row is read: a rotation or revocation committed after this point makes
  // the check below too old to be cached.
  const auto ticket = m_key_cache.ticket();
  std::optional<store::ApiKeyRecord> record;
  {
    std::lock_guard db(m_db_mutex);
    auto found = m_store.repos().api_keys.find(parsed->id);
    if (!found) return done(fail(ErrorCode::unavailable, found.error().message));
    record = std::move(*found);
  }
  if (!record || record->revoked_at || !secret.starts_with(record->prefix)) {
    return done(fail(ErrorCode::unauthorized, "unknown or revoked API key"));
  }
  if (!peer_allowed(peer, record->ip_allowlist)) {
    return done(fail(ErrorCode::forbidden, "the key's IP allowlist does not include " + peer));
  }
  KeyAccess access{std::move(*record), {}};
  if (!access.full_access()) {
    auto scopes = parse_scopes(access.record.scopes, m_options.topic_limits);
    if (!scopes) return done(fail(ErrorCode::internal, "the key's scopes are damaged"));
    access.scopes = std::move(*scopes);
  }
  const std::string hash = std::exchange(access.record.hash, {});
  const std::string scope = key_credential(access.record.id);
  auto finish = [this, now, ticket, secret, access = std::move(access),
                 done](bool matched) mutable {
    if (!matched) return done(fail(ErrorCode::unauthorized, "wrong API key"));
    m_key_cache.remember(ticket, secret, CachedApiKey{access.record, access.scopes},
                         ApiKeyCache::Clock::now());
    // Counted on the writer, in whatever commit comes next: no fsync of its own per request.
    count_key_use(access.record.id, now);
    done(std::move(access));
  };
  if (m_cache.find(scope, secret, CredentialCache::Clock::now())) return finish(true);
  const bool queued = m_bcrypt.submit(
      secret, hash, [this, scope, secret, finish = std::move(finish)](bool matched) mutable {
        if (matched) m_cache.remember(scope, secret, scope, CredentialCache::Clock::now());
        finish(matched);
      });
  if (!queued) done(fail(ErrorCode::unavailable, "too many credential checks in progress"));
}

void AuthService::authenticate_user(const std::string& name, const std::string& password,
                                    std::function<void(AuthDecision)> done) {
  std::optional<store::UserRecord> user;
  {
    std::lock_guard db(m_db_mutex);
    auto found = m_store.repos().users.find(name);
    if (!found) return done(refuse(ReasonCode::server_unavailable, found.error().message));
    user = std::move(*found);
  }
  if (!user)
    return done(refuse(ReasonCode::bad_username_or_password, "unknown user or wrong password"));
  auto identity = named_identity(name, "user", user_credential(name));
  const std::string scope = user_credential(name);
  if (m_cache.find(scope, password, CredentialCache::Clock::now())) return done(accept(identity));
  const bool queued = m_bcrypt.submit(
      password, user->password_hash, [this, scope, password, identity, done](bool matched) {
        if (!matched)
          return done(
              refuse(ReasonCode::bad_username_or_password, "unknown user or wrong password"));
        m_cache.remember(scope, password, scope, CredentialCache::Clock::now());
        done(accept(identity));
      });
  if (!queued) done(refuse(ReasonCode::server_busy, "too many credential checks in progress"));
}

// The order of checks: anonymous clients get the access list's anonymous rules; an sk_ key
// reaches every topic but the server's `$` ones; everyone else needs the access list to allow,
// and an rk_ key also needs one of its scopes to.
bool AuthService::may(const mqtt::Identity& identity, std::string_view client_id,
                      std::string_view topic_or_filter, Action action) const {
  const auto& client = static_cast<const ClientIdentity&>(identity);
  const auto index = acl();
  if (client.anonymous)
    return evaluate_anonymous(*index, client_id, topic_or_filter, action).allowed;
  if (client.full_access) return true;
  if (!evaluate(*index, client.name, client_id, topic_or_filter, action).allowed) return false;
  if (client.kind == "api_key") return scope_allows(client.scopes, action, topic_or_filter);
  return true;
}

}  // namespace cs::auth
