#include "devbroker/store/migrations.h"

#include <array>
#include <string>

namespace cs::store {

namespace {

// Times are unix seconds. JSON columns hold compact JSON text; `properties` columns hold the
// versioned blob of properties_blob.h. STRICT makes SQLite enforce the declared types.
constexpr std::string_view k_schema_1 = R"sql(
CREATE TABLE org (
  id TEXT PRIMARY KEY NOT NULL,
  short_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  token_ttl_seconds INTEGER NOT NULL CHECK (token_ttl_seconds > 0)
) STRICT;
-- The dev broker serves exactly one organization.
CREATE UNIQUE INDEX org_single_row ON org ((1));

CREATE TABLE users (
  name TEXT PRIMARY KEY NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- password_hash is the SHA-256 hex of the tkn_ secret: the secret carries 192 random bits, so a
-- fast hash is safe, and lookups go by hash.
CREATE TABLE tokens (
  id TEXT PRIMARY KEY NOT NULL,
  password_hash TEXT NOT NULL UNIQUE,
  user_email TEXT NOT NULL,
  mqtt_name TEXT NOT NULL,
  provider TEXT NOT NULL,
  integration_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX tokens_expires_at ON tokens (expires_at);
CREATE INDEX tokens_user_email ON tokens (user_email);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('secret', 'restricted')),
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  ip_allowlist TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  use_count INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER
) STRICT;
CREATE INDEX api_keys_prefix ON api_keys (prefix);

CREATE TABLE providers (
  id TEXT PRIMARY KEY NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  username_claim TEXT NOT NULL,
  config TEXT NOT NULL,
  dev INTEGER NOT NULL CHECK (dev IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE acl_rules (
  id TEXT PRIMARY KEY NOT NULL,
  user_pattern TEXT NOT NULL,
  topic TEXT NOT NULL,
  permission TEXT NOT NULL CHECK (permission IN ('pub', 'sub', 'pubsub')),
  effect TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
  created_at INTEGER NOT NULL,
  position INTEGER NOT NULL UNIQUE
) STRICT;

-- No foreign key to providers: a name stays owned by its identity even after its provider is
-- deleted, so re-creating a provider cannot hand the name to someone else.
CREATE TABLE identity_bindings (
  provider_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, subject)
) STRICT, WITHOUT ROWID;

CREATE TABLE retained (
  topic TEXT PRIMARY KEY NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL CHECK (qos BETWEEN 0 AND 2),
  properties BLOB,
  expires_at INTEGER
) STRICT;
CREATE INDEX retained_expires_at ON retained (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE sessions (
  client_id TEXT PRIMARY KEY NOT NULL,
  expiry_interval INTEGER NOT NULL CHECK (expiry_interval BETWEEN 0 AND 4294967295),
  disconnected_at INTEGER,
  version INTEGER NOT NULL CHECK (version IN (4, 5))
) STRICT, WITHOUT ROWID;

CREATE TABLE session_subscriptions (
  client_id TEXT NOT NULL REFERENCES sessions (client_id) ON DELETE CASCADE,
  filter TEXT NOT NULL,
  max_qos INTEGER NOT NULL CHECK (max_qos BETWEEN 0 AND 2),
  no_local INTEGER NOT NULL CHECK (no_local IN (0, 1)),
  retain_as_published INTEGER NOT NULL CHECK (retain_as_published IN (0, 1)),
  retain_handling INTEGER NOT NULL CHECK (retain_handling BETWEEN 0 AND 2),
  subscription_id INTEGER NOT NULL,
  PRIMARY KEY (client_id, filter)
) STRICT, WITHOUT ROWID;

CREATE TABLE session_queue (
  client_id TEXT NOT NULL REFERENCES sessions (client_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL CHECK (qos BETWEEN 0 AND 2),
  retain INTEGER NOT NULL CHECK (retain IN (0, 1)),
  properties BLOB,
  expires_at INTEGER,
  state TEXT NOT NULL CHECK (state IN ('queued', 'awaiting_ack', 'awaiting_pubcomp')),
  packet_id INTEGER CHECK (packet_id BETWEEN 1 AND 65535),
  PRIMARY KEY (client_id, seq)
) STRICT;
CREATE INDEX session_queue_expires_at ON session_queue (expires_at) WHERE expires_at IS NOT NULL;

-- QoS 2 PUBLISH packets received and answered with PUBREC whose PUBREL has not arrived yet:
-- remembered so that a re-sent PUBLISH is not delivered twice.
CREATE TABLE session_incoming_qos2 (
  client_id TEXT NOT NULL REFERENCES sessions (client_id) ON DELETE CASCADE,
  packet_id INTEGER NOT NULL CHECK (packet_id BETWEEN 1 AND 65535),
  PRIMARY KEY (client_id, packet_id)
) STRICT, WITHOUT ROWID;
)sql";

// CLI logins (OAuth 2.0). A session is one token family: created when an authorization code is
// redeemed, renewed by each refresh, and deleted (with its tokens) on logout, on reuse of a
// rotated refresh token or of its code, and once its refresh token has expired. `hash` is the
// SHA-256 hex of a token's secret (256 random bits, so a fast hash is safe and lookups go by it).
// A refresh token with `rotated_at` set was exchanged already: presenting it again is reuse.
constexpr std::string_view k_schema_2 = R"sql(
CREATE TABLE oauth_sessions (
  id TEXT PRIMARY KEY NOT NULL,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_email TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX oauth_sessions_expires_at ON oauth_sessions (expires_at);

CREATE TABLE oauth_tokens (
  hash TEXT PRIMARY KEY NOT NULL,
  session_id TEXT NOT NULL REFERENCES oauth_sessions (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
  expires_at INTEGER NOT NULL,
  rotated_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX oauth_tokens_session_id ON oauth_tokens (session_id);
CREATE INDEX oauth_tokens_expires_at ON oauth_tokens (expires_at);
)sql";

// The will of a persistent session, so that a restart (after a crash, or a stop while the client
// was connected) still publishes it. `due_at` is when it is published unless the client comes
// back; NULL while its connection was open, and then it is armed at the next start, counting its
// delay from there. `identity` is the sender as the auth stack saved it, for the access check.
constexpr std::string_view k_schema_3 = R"sql(
CREATE TABLE session_wills (
  client_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (client_id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL CHECK (qos BETWEEN 0 AND 2),
  retain INTEGER NOT NULL CHECK (retain IN (0, 1)),
  properties BLOB,
  delay INTEGER NOT NULL CHECK (delay BETWEEN 0 AND 4294967295),
  due_at INTEGER,
  identity TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

constexpr std::array k_migrations = {
    Migration{"tables for the organization, credentials, access rules, identities, retained "
              "messages and sessions",
              k_schema_1},
    Migration{"tables for CLI login sessions and their tokens", k_schema_2},
    Migration{"a table for the wills of persistent sessions", k_schema_3},
};

Error refusal(const Database& db, std::string_view detail, std::string hint) {
  std::string message = "the database ";
  message += db.name();
  message += " ";
  message += detail;
  return Error(ErrorCode::io, std::move(message), std::move(hint));
}

Result<std::int64_t> single_int(Database& db, std::string_view sql) {
  auto statement = db.prepare(sql);
  if (!statement) return fail(statement.error());
  auto row = statement->step();
  if (!row) return fail(row.error());
  return *row ? statement->column_int(0) : 0;
}

// Refuses databases this build must not touch; called inside the step's transaction.
Result<void> check_owner(Database& db, std::int64_t version, std::size_t known) {
  if (version > static_cast<std::int64_t>(known)) {
    std::string detail = "has schema version ";
    detail += std::to_string(version);
    detail += ", newer than this cloudsignal supports (";
    detail += std::to_string(known);
    detail += ")";
    return fail(refusal(db, detail, "Upgrade cloudsignal, or use another --data-dir."));
  }
  auto application = single_int(db, "PRAGMA application_id");
  if (!application) return fail(application.error());
  auto tables = single_int(db, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
  if (!tables) return fail(tables.error());
  const bool foreign = version == 0 ? *tables > 0 : *application != k_application_id;
  if (foreign) {
    return fail(refusal(db, "belongs to another application (it has no cloudsignal schema)",
                        "Use another --data-dir."));
  }
  return {};
}

Result<void> apply(Database& db, const Migration& step, std::int64_t to) {
  auto failed = [&](const Error& error) {
    std::string message = "cannot upgrade the database to schema version ";
    message += std::to_string(to);
    message += " (";
    message += step.summary;
    message += "): ";
    message += error.message;
    return fail(error.code, std::move(message));
  };
  if (auto done = db.execute_script(step.sql); !done) return failed(done.error());
  std::string bump = "PRAGMA user_version = " + std::to_string(to);
  // The first step also marks the file as ours.
  if (to == 1) bump += "; PRAGMA application_id = " + std::to_string(k_application_id);
  if (auto done = db.execute_script(bump); !done) return failed(done.error());
  return {};
}

}  // namespace

std::span<const Migration> migrations() {
  return k_migrations;
}

Result<int> schema_version(Database& db) {
  auto version = single_int(db, "PRAGMA user_version");
  if (!version) return fail(version.error());
  return static_cast<int>(*version);
}

Result<int> migrate(Database& db, std::span<const Migration> steps) {
  for (;;) {
    // Reading the version inside the write transaction makes concurrent openers take turns.
    auto transaction = Transaction::begin(db);
    if (!transaction) return fail(transaction.error());
    auto version = single_int(db, "PRAGMA user_version");
    if (!version) return fail(version.error());
    if (auto owned = check_owner(db, *version, steps.size()); !owned) return fail(owned.error());
    if (*version == static_cast<std::int64_t>(steps.size())) return static_cast<int>(*version);
    if (auto applied = apply(db, steps[static_cast<std::size_t>(*version)], *version + 1);
        !applied) {
      return fail(applied.error());
    }
    if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  }
}

}  // namespace cs::store
