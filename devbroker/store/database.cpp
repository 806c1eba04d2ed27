#include "devbroker/store/database.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sqlite3.h>
#include <vector>

#include "devbroker/store/busy_handler.h"
#include "devbroker/store/connection.h"

namespace cs::store {

namespace {

using detail::CachedStatement;
using detail::Connection;
using detail::sqlite_error;
using detail::sqlite_error_code;

// A file SQLite cannot read as a database: say so, and what the person can do about it.
Error damaged_error(const std::string& name, std::string_view detail) {
  std::string message = "cannot open the database ";
  message += name;
  message += ": ";
  message += detail;
  return Error(ErrorCode::io, std::move(message),
               "Move the file aside to start with an empty state, or restore it from a backup.");
}

Error open_error(const std::string& name, int rc, std::string_view detail) {
  const int primary = rc & 0xFF;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) return damaged_error(name, detail);
  std::string message = "cannot open the database ";
  message += name;
  message += ": ";
  message += detail;
  return Error(sqlite_error_code(rc), std::move(message));
}

// Creates a missing database file ourselves so that it (and the -wal and -shm files SQLite
// derives from it) gets mode 0600 whatever the umask allows.
Result<void> create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno == EEXIST) return {};
  std::string message = "cannot create the database ";
  message += path.string();
  message += ": ";
  if (errno == ENOENT) {
    message += "the directory ";
    message += path.parent_path().string();
    message += " does not exist";
  } else {
    message += std::strerror(errno);
  }
  return fail(ErrorCode::io, std::move(message));
}

struct PragmaResult {
  int rc = SQLITE_OK;
  std::string value;    // the first column of the first row
  std::string message;  // SQLite's message when rc is not SQLITE_OK
};

PragmaResult read_pragma(Connection& connection, const char* sql) {
  PragmaResult result;
  sqlite3_stmt* statement = nullptr;
  result.rc = sqlite3_prepare_v2(connection.db, sql, -1, &statement, nullptr);
  if (result.rc == SQLITE_OK) {
    result.rc = sqlite3_step(statement);
    if (result.rc == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      if (text != nullptr) result.value = reinterpret_cast<const char*>(text);
      result.rc = SQLITE_OK;
    } else if (result.rc == SQLITE_DONE) {
      result.rc = SQLITE_OK;
    }
  }
  if (result.rc != SQLITE_OK) result.message = sqlite3_errmsg(connection.db);
  sqlite3_finalize(statement);
  return result;
}

// The problems quick_check reported, one per line, without its "*** in database main ***"
// headings.
std::vector<std::string> problems_in(std::string_view report) {
  std::vector<std::string> problems;
  while (!report.empty()) {
    const auto end = report.find('\n');
    const auto line = report.substr(0, end);
    if (!line.empty() && !line.starts_with("*** ")) problems.emplace_back(line);
    report = end == std::string_view::npos ? std::string_view{} : report.substr(end + 1);
  }
  return problems;
}

// PRAGMA quick_check reads every page: a garbage file fails with "file is not a database", a
// truncated or damaged one with "database disk image is malformed" or a report of problems.
Result<void> check_integrity(Connection& connection) {
  const auto result = read_pragma(connection, "PRAGMA quick_check");
  if (result.rc != SQLITE_OK) return fail(open_error(connection.name, result.rc, result.message));
  if (result.value == "ok") return {};
  const auto problems = problems_in(result.value);
  std::string detail = "integrity check failed: ";
  detail += problems.empty() ? result.value : problems.front();
  if (problems.size() > 1) {
    detail += " (and ";
    detail += std::to_string(problems.size() - 1);
    detail += " more problems)";
  }
  return fail(damaged_error(connection.name, detail));
}

Result<void> configure(Connection& connection) {
  sqlite3_extended_result_codes(connection.db, 1);
  set_busy_handler(connection.db, std::chrono::milliseconds(k_busy_timeout_ms));
  const auto mode = read_pragma(connection, "PRAGMA journal_mode=WAL");
  if (mode.rc != SQLITE_OK) return fail(sqlite_error(connection, mode.rc, mode.message));
  if (connection.is_file && mode.value != "wal") {
    std::string message = connection.name;
    message += ": cannot switch to write-ahead logging (journal mode stays ";
    message += mode.value;
    message += ")";
    return fail(ErrorCode::io, std::move(message));
  }
  // No automatic checkpoints: the commit that crossed the threshold would copy the log into the
  // database file (and fsync it) while its writer waits. The Store's Checkpointer does it on a
  // thread of its own, and restarts a long log; journal_size_limit then cuts the file back to
  // 64 MiB when the log starts over, so a burst does not keep its size for good.
  for (const char* pragma :
       {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA trusted_schema=OFF",
        "PRAGMA wal_autocheckpoint=0", "PRAGMA journal_size_limit=67108864"}) {
    const int rc = sqlite3_exec(connection.db, pragma, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(sqlite_error(connection, rc));
  }
  return {};
}

Result<std::unique_ptr<Connection>> connect(std::string name, std::string target, int flags,
                                            bool is_file) {
  auto connection = std::make_unique<Connection>();
  connection->name = std::move(name);
  connection->target = std::move(target);
  connection->flags = flags;
  connection->is_file = is_file;
  const int rc = sqlite3_open_v2(connection->target.c_str(), &connection->db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const char* detail = connection->db != nullptr ? sqlite3_errmsg(connection->db) : nullptr;
    return fail(open_error(connection->name, rc, detail != nullptr ? detail : sqlite3_errstr(rc)));
  }
  return connection;
}

}  // namespace

Database::Database(std::unique_ptr<Connection> connection) : m_connection(std::move(connection)) {}
Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

Result<Database> Database::open(const std::filesystem::path& path) {
  if (auto created = create_private_file(path); !created) return fail(created.error());
  auto connection =
      connect(path.string(), path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, true);
  if (!connection) return fail(connection.error());
  set_busy_handler((*connection)->db, std::chrono::milliseconds(k_busy_timeout_ms));
  if (auto checked = check_integrity(**connection); !checked) return fail(checked.error());
  if (auto configured = configure(**connection); !configured) return fail(configured.error());
  return Database(std::move(*connection));
}

Result<Database> Database::open_memory(std::string_view name) {
  std::string description = "in-memory database";
  std::string target = ":memory:";
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE;
  if (!name.empty()) {
    // The memdb VFS shares a database among the connections of one process when its name
    // starts with '/'.
    description += " ";
    description += name;
    target = "file:/";
    target += name;
    target += "?vfs=memdb";
    flags |= SQLITE_OPEN_URI;
  }
  auto connection = connect(std::move(description), std::move(target), flags, false);
  if (!connection) return fail(connection.error());
  if (auto configured = configure(**connection); !configured) return fail(configured.error());
  return Database(std::move(*connection));
}

Result<Database> Database::reopen() const {
  const Connection& self = *m_connection;
  auto connection = connect(self.name, self.target, self.flags, self.is_file);
  if (!connection) return fail(connection.error());
  if (auto configured = configure(**connection); !configured) return fail(configured.error());
  return Database(std::move(*connection));
}

const std::string& Database::name() const {
  return m_connection->name;
}

Result<Statement> Database::prepare(std::string_view sql) {
  Connection& connection = *m_connection;
  auto it = connection.cache.find(std::string(sql));
  if (it != connection.cache.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(connection, it->second->statement, &it->second->in_use);
  }
  // Not cached yet, or busy in an enclosing use: prepare it (again).
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  const unsigned flags = it == connection.cache.end() ? SQLITE_PREPARE_PERSISTENT : 0;
  const int rc = sqlite3_prepare_v3(connection.db, sql.data(), static_cast<int>(sql.size()), flags,
                                    &statement, &tail);
  if (rc != SQLITE_OK) return fail(sqlite_error(connection, rc));
  if (statement == nullptr || tail != sql.data() + sql.size()) {
    sqlite3_finalize(statement);
    return fail(ErrorCode::internal, "prepare() takes exactly one SQL statement");
  }
  if (it != connection.cache.end()) return Statement(connection, statement, nullptr);
  auto cached = std::make_unique<CachedStatement>();
  cached->statement = statement;
  cached->in_use = true;
  bool* in_use = &cached->in_use;
  connection.cache.emplace(std::string(sql), std::move(cached));
  return Statement(connection, statement, in_use);
}

Result<void> Database::execute_script(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(m_connection->db, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  Error error = sqlite_error(*m_connection, rc, message != nullptr ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return fail(std::move(error));
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(m_connection->db);
}

bool Database::in_transaction() const {
  return sqlite3_get_autocommit(m_connection->db) == 0;
}

sqlite3* Database::handle() const {
  return m_connection->db;
}

Result<Transaction> Transaction::begin(Database& db) {
  if (db.in_transaction()) {
    return fail(ErrorCode::internal, "a transaction is already open on this connection");
  }
  if (auto begun = db.execute("BEGIN IMMEDIATE"); !begun) return fail(begun.error());
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(other.m_db) {
  other.m_db = nullptr;
}

Transaction::~Transaction() {
  if (m_db != nullptr && m_db->in_transaction()) (void)m_db->execute("ROLLBACK");
}

Result<void> Transaction::commit() {
  Database* db = m_db;
  m_db = nullptr;
  if (db == nullptr) return fail(ErrorCode::internal, "the transaction has already ended");
  auto committed = db->execute("COMMIT");
  if (committed) return {};
  if (db->in_transaction()) (void)db->execute("ROLLBACK");
  return fail(committed.error());
}

bool is_unique_violation(const Error& error, std::string_view columns) {
  if (error.code != ErrorCode::conflict) return false;
  std::string expected = "UNIQUE constraint failed: ";
  expected += columns;
  return error.message.ends_with(expected);
}

}  // namespace cs::store
