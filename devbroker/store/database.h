#pragma once
// One SQLite connection, its prepared statements and its transactions. Every SQLite failure
// becomes a cs::Error carrying SQLite's own message (never a bound value, so never a secret).
//
// Error codes: UNIQUE / PRIMARY KEY violations are `conflict`, FOREIGN KEY violations
// `not_found`, CHECK / NOT NULL / type violations and oversized values `invalid_request`, a
// busy or locked database `unavailable`, a full disk, I/O failures, corruption and files that
// are not databases `io`; anything else is `internal`.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/crypto/bytes.h"
#include "common/result.h"
#include "common/time/rfc3339.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cs::store {

namespace detail {
struct Connection;
}

/// How long a statement waits for another connection's write lock before failing.
inline constexpr int k_busy_timeout_ms = 5000;

/// A prepared statement borrowed from its database for one use: bind, step, read columns.
/// Destroying it resets the statement for the next user. It must not outlive its Database.
class Statement {
 public:
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  /// Binds `value` to the 1-based parameter `index`; a failure is reported by the next step().
  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view value);
  void bind(int index, ByteView value);
  void bind(int index, std::nullopt_t);
  void bind(int index, SysSeconds value) {
    bind(index, std::int64_t{value.time_since_epoch().count()});
  }
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, const Bytes& value) { bind(index, ByteView(value)); }
  template <class T>
  requires std::is_integral_v<T>
  void bind(int index, T value) { bind(index, static_cast<std::int64_t>(value)); }
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, std::nullopt);
    }
  }

  /// Binds `args` to parameters 1, 2, ... in order.
  template <class... Args>
  void bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
  }

  /// Runs the statement to its next row: true when a row is ready to read, false when done.
  Result<bool> step();
  /// Runs the statement to completion, ignoring any rows.
  Result<void> run();

  /// Column `index` (0-based) of the current row.
  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  Bytes column_blob(int index) const;
  SysSeconds column_time(int index) const {
    return SysSeconds(std::chrono::seconds(column_int(index)));
  }
  bool column_is_null(int index) const;
  std::optional<std::int64_t> column_optional_int(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  std::optional<SysSeconds> column_optional_time(int index) const;

 private:
  friend class Database;
  Statement(detail::Connection& connection, sqlite3_stmt* statement, bool* in_use);
  detail::Connection* m_connection;
  sqlite3_stmt* m_statement;
  bool* m_in_use;  // the cache slot's flag, or nullptr when this object owns the statement
  int m_bind_status = 0;
};

class Database {
 public:
  /// Opens the database file at `path`, creating it with mode 0600 when missing (its directory
  /// must exist), and sets WAL (without automatic checkpoints: see checkpointer.h),
  /// synchronous=FULL, foreign keys and the busy timeout. A file that
  /// is not a SQLite database or fails `PRAGMA quick_check` is refused with an io error naming
  /// `path`; it is never modified or replaced.
  static Result<Database> open(const std::filesystem::path& path);

  /// Opens an in-memory database. With an empty `name` it is private to this connection; with a
  /// name, reopen() reaches the same data for as long as one connection to it stays open.
  static Result<Database> open_memory(std::string_view name = {});

  /// Opens another connection to the same database with the same settings (no quick_check).
  Result<Database> reopen() const;

  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// The file path, or a description of the in-memory database, as used in error messages.
  const std::string& name() const;

  /// A statement for `sql` (one statement), prepared once per connection and then reused.
  Result<Statement> prepare(std::string_view sql);

  /// Prepares `sql` and binds `args` to its parameters in order.
  template <class... Args>
  Result<Statement> query(std::string_view sql, const Args&... args) {
    auto statement = prepare(sql);
    if (statement) statement->bind_all(args...);
    return statement;
  }

  /// Runs `sql` with `args` bound to completion; returns the number of rows it changed.
  template <class... Args>
  Result<std::int64_t> execute(std::string_view sql, const Args&... args) {
    auto statement = query(sql, args...);
    if (!statement) return fail(statement.error());
    if (auto done = statement->run(); !done) return fail(done.error());
    return changes();
  }

  /// Runs `sql`, which may hold several statements and no parameters (schema scripts, pragmas).
  Result<void> execute_script(std::string_view sql);

  /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
  std::int64_t changes() const;
  /// True while a transaction is open on this connection.
  bool in_transaction() const;
  /// The raw connection, for what this wrapper does not cover.
  sqlite3* handle() const;

 private:
  explicit Database(std::unique_ptr<detail::Connection> connection);
  std::unique_ptr<detail::Connection> m_connection;
};

/// A write transaction (BEGIN IMMEDIATE, so it waits for the write lock up front); rolled back
/// when destroyed without commit().
class Transaction {
 public:
  /// Begins a transaction on `db`, which must not be in one already.
  static Result<Transaction> begin(Database& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;

  /// Commits; on failure the transaction is rolled back and the error returned.
  Result<void> commit();

 private:
  explicit Transaction(Database& db) : m_db(&db) {}
  Database* m_db;
};

/// True when `error` reports a UNIQUE or PRIMARY KEY violation on `columns`, spelled as SQLite
/// names them, e.g. "users.name" or "identity_bindings.provider_id, identity_bindings.subject".
bool is_unique_violation(const Error& error, std::string_view columns);

}  // namespace cs::store
