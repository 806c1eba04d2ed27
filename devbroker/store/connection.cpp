#include "devbroker/store/connection.h"

namespace cs::store::detail {

ErrorCode sqlite_error_code(int extended) {
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ErrorCode::conflict;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ErrorCode::not_found;
    default:
      break;
  }
  switch (extended & 0xFF) {
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return ErrorCode::invalid_request;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::unavailable;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
      return ErrorCode::io;
    default:
      return ErrorCode::internal;
  }
}

Error sqlite_error(const Connection& connection, int rc, std::string_view detail) {
  std::string message = connection.name;
  message += ": ";
  message += detail;
  return Error(sqlite_error_code(rc), std::move(message));
}

Error sqlite_error(const Connection& connection, int rc) {
  const char* detail = connection.db != nullptr ? sqlite3_errmsg(connection.db) : nullptr;
  return sqlite_error(connection, rc, detail != nullptr ? detail : sqlite3_errstr(rc));
}

}  // namespace cs::store::detail
