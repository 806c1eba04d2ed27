#pragma once
// Internal to the store's SQLite wrapper: the state behind a Database, shared with the
// Statements it hands out, and the mapping of SQLite result codes to errors.

#include <memory>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/error.h"

namespace cs::store::detail {

struct CachedStatement {
  sqlite3_stmt* statement = nullptr;
  bool in_use = false;
};

struct Connection {
  sqlite3* db = nullptr;
  std::string name;    // for messages: the path, or "in-memory database ..."
  std::string target;  // what sqlite3_open_v2 was given
  int flags = 0;
  bool is_file = false;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache;

  ~Connection() {
    for (auto& [sql, cached] : cache) sqlite3_finalize(cached->statement);
    if (db != nullptr) sqlite3_close_v2(db);
  }
};

/// The ErrorCode for SQLite's (extended) result code `rc`, as database.h lists them.
ErrorCode sqlite_error_code(int rc);

/// The error for result code `rc` on `connection`: its name, then `detail`.
Error sqlite_error(const Connection& connection, int rc, std::string_view detail);

/// As above, with the connection's current SQLite message as the detail.
Error sqlite_error(const Connection& connection, int rc);

}  // namespace cs::store::detail
