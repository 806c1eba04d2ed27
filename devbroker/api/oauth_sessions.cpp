#include "devbroker/api/oauth_sessions.h"

#include <utility>

#include "common/crypto/random.h"
#include "common/log.h"
#include "devbroker/auth/secrets.h"

namespace cs::api {
namespace {

constexpr std::size_t k_secret_entropy_bytes = 32;  // 256 bits: 43 base64url characters

tl::unexpected<OAuthError> oauth_fail(OAuthErrorCode code, std::string description) {
  return tl::unexpected<OAuthError>(OAuthError{code, std::move(description)});
}

// A store failure: logged here, reported to the client without detail.
tl::unexpected<OAuthError> server_error(const Error& error) {
  log::error("CLI login: the store failed: " + error.message);
  return oauth_fail(OAuthErrorCode::server_error, "the server could not complete the request");
}

struct SecretPair {
  std::string access;
  std::string refresh;
};

// A fresh access and refresh token for `session_id`, stored as hashes.
Result<SecretPair> insert_pair(store::OAuthRepository& repo, const std::string& session_id,
                               SysSeconds now, const SessionOptions& options) {
  SecretPair pair{crypto::random_secret(k_access_token_prefix, k_secret_entropy_bytes),
                  crypto::random_secret(k_refresh_token_prefix, k_secret_entropy_bytes)};
  if (auto ok = repo.insert_token({auth::token_hash(pair.access), session_id,
                                   store::OAuthTokenKind::access, now + options.access_ttl,
                                   std::nullopt});
      !ok) {
    return fail(ok.error());
  }
  if (auto ok = repo.insert_token({auth::token_hash(pair.refresh), session_id,
                                   store::OAuthTokenKind::refresh, now + options.refresh_ttl,
                                   std::nullopt});
      !ok) {
    return fail(ok.error());
  }
  return pair;
}

// Exchanges the refresh token `hash` of `session_id` for a new pair, in one transaction.
Result<SecretPair> rotate(store::Store& store, const std::string& hash,
                          const std::string& session_id, SysSeconds now,
                          const SessionOptions& options) {
  auto transaction = store::Transaction::begin(store.database());
  if (!transaction) return fail(transaction.error());
  auto& repo = store.repos().oauth;
  if (auto ok = repo.mark_rotated(hash, now); !ok) return fail(ok.error());
  if (auto ok = repo.trim_rotated(session_id, options.kept_rotated_tokens); !ok) {
    return fail(ok.error());
  }
  if (auto ok = repo.delete_access_tokens(session_id); !ok) return fail(ok.error());
  auto pair = insert_pair(repo, session_id, now, options);
  if (!pair) return fail(pair.error());
  if (auto ok = repo.set_session_expiry(session_id, now + options.refresh_ttl); !ok) {
    return fail(ok.error());
  }
  if (auto ok = transaction->commit(); !ok) return fail(ok.error());
  return pair;
}

}  // namespace

std::string_view oauth_error_name(OAuthErrorCode code) {
  switch (code) {
    case OAuthErrorCode::invalid_request:
      return "invalid_request";
    case OAuthErrorCode::invalid_client:
      return "invalid_client";
    case OAuthErrorCode::invalid_grant:
      return "invalid_grant";
    case OAuthErrorCode::invalid_scope:
      return "invalid_scope";
    case OAuthErrorCode::unsupported_grant_type:
      return "unsupported_grant_type";
    case OAuthErrorCode::unsupported_response_type:
      return "unsupported_response_type";
    case OAuthErrorCode::access_denied:
      return "access_denied";
    case OAuthErrorCode::server_error:
      return "server_error";
  }
  return "server_error";
}

LocalAccount local_account(const store::OrgRecord& org) {
  std::string_view suffix = org.short_id;
  if (suffix.starts_with("org_")) suffix.remove_prefix(4);
  return LocalAccount{std::string("usr_").append(suffix), std::string(k_local_account_email)};
}

OAuthSessions::OAuthSessions(auth::AuthService& auth, LocalAccount account, SessionOptions options)
    : m_auth(auth), m_account(std::move(account)), m_options(options) {}

Result<TokenGrant> OAuthSessions::start(const std::string& client_id, const std::string& scope,
                                        SysSeconds now) {
  store::OAuthSessionRecord session{"ses_" + crypto::random_string(crypto::k_lowercase_alnum, 16),
                                    client_id,
                                    m_account.id,
                                    m_account.email,
                                    scope,
                                    now,
                                    now + m_options.refresh_ttl};
  auto pair = m_auth.with_store([&](store::Store& store) -> Result<SecretPair> {
    auto transaction = store::Transaction::begin(store.database());
    if (!transaction) return fail(transaction.error());
    auto& repo = store.repos().oauth;
    if (auto ok = repo.delete_expired(now); !ok) return fail(ok.error());
    if (auto ok = repo.insert_session(session); !ok) return fail(ok.error());
    auto issued = insert_pair(repo, session.id, now, m_options);
    if (!issued) return fail(issued.error());
    if (auto ok = repo.trim_sessions(m_options.max_sessions); !ok) return fail(ok.error());
    if (auto ok = transaction->commit(); !ok) return fail(ok.error());
    return issued;
  });
  if (!pair) return fail(pair.error());
  log::info(std::string("CLI login: ")
                .append(m_account.email)
                .append(" signed in, session ")
                .append(session.id));
  return TokenGrant{std::move(pair->access), std::move(pair->refresh), m_options.access_ttl,
                    session.scope, session.id};
}

OAuthResult<TokenGrant> OAuthSessions::refresh(const std::string& refresh_token, SysSeconds now) {
  const auto invalid = [] {
    return oauth_fail(OAuthErrorCode::invalid_grant,
                      "the refresh token is unknown, revoked or expired; sign in again");
  };
  if (!refresh_token.starts_with(k_refresh_token_prefix)) return invalid();
  const std::string hash = auth::token_hash(refresh_token);
  return m_auth.with_store([&](store::Store& store) -> OAuthResult<TokenGrant> {
    auto match = store.repos().oauth.find_token(hash);
    if (!match) return server_error(match.error());
    if (!*match || (*match)->token.kind != store::OAuthTokenKind::refresh) return invalid();
    const auto& [found, session] = **match;
    if (found.rotated_at) {
      // Reuse detection: either this client or a thief holds a newer token; end them all.
      if (auto deleted = store.repos().oauth.delete_session(session.id); !deleted) {
        return server_error(deleted.error());
      }
      log::warn(std::string("CLI login: a used refresh token came back; session ")
                    .append(session.id)
                    .append(" is revoked"));
      return oauth_fail(OAuthErrorCode::invalid_grant,
                        "the refresh token was used already, so its session is revoked; sign in "
                        "again");
    }
    if (now >= found.expires_at) return invalid();
    auto pair = rotate(store, hash, session.id, now, m_options);
    if (!pair) return server_error(pair.error());
    return TokenGrant{std::move(pair->access), std::move(pair->refresh), m_options.access_ttl,
                      session.scope, session.id};
  });
}

void OAuthSessions::end(const std::string& id, std::string_view why) {
  auto deleted = m_auth.with_store(
      [&](store::Store& store) { return store.repos().oauth.delete_session(id); });
  if (!deleted) {
    log::error(std::string("CLI login: could not revoke session ")
                   .append(id)
                   .append(": ")
                   .append(deleted.error().message));
  } else if (*deleted) {
    log::warn(std::string("CLI login: session ").append(id).append(" is revoked: ").append(why));
  }
}

Result<void> OAuthSessions::revoke(const std::string& token) {
  if (!token.starts_with(k_access_token_prefix) && !token.starts_with(k_refresh_token_prefix)) {
    return {};
  }
  const std::string hash = auth::token_hash(token);
  return m_auth.with_store([&](store::Store& store) -> Result<void> {
    auto match = store.repos().oauth.find_token(hash);
    if (!match) return fail(match.error());
    if (!*match) return {};
    if (auto deleted = store.repos().oauth.delete_session((*match)->session.id); !deleted) {
      return fail(deleted.error());
    }
    log::info(
        std::string("CLI login: session ").append((*match)->session.id).append(" signed out"));
    return {};
  });
}

Result<Principal> OAuthSessions::resolve(const std::string& token, SysSeconds now) {
  const auto unknown = [] {
    return fail(ErrorCode::unauthorized, "unknown, revoked or expired session token");
  };
  if (!token.starts_with(k_access_token_prefix)) return unknown();
  const std::string hash = auth::token_hash(token);
  auto match =
      m_auth.with_store([&](store::Store& store) { return store.repos().oauth.find_token(hash); });
  if (!match) return fail(match.error());
  if (!*match || (*match)->token.kind != store::OAuthTokenKind::access ||
      now >= (*match)->token.expires_at) {
    return unknown();
  }
  const auto& session = (*match)->session;
  Principal principal;
  principal.kind = Principal::Kind::session;
  principal.id = "session:" + session.id;
  principal.full_access = true;
  principal.user_id = session.user_id;
  principal.user_email = session.user_email;
  return principal;
}

}  // namespace cs::api
