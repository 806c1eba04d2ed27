// Statement, declared in database.h.
#include <sqlite3.h>

#include "devbroker/store/connection.h"
#include "devbroker/store/database.h"

namespace cs::store {

using detail::Connection;

Statement::Statement(Connection& connection, sqlite3_stmt* statement, bool* in_use)
    : m_connection(&connection), m_statement(statement), m_in_use(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : m_connection(other.m_connection),
      m_statement(other.m_statement),
      m_in_use(other.m_in_use),
      m_bind_status(other.m_bind_status) {
  other.m_statement = nullptr;
  other.m_in_use = nullptr;
}

Statement::~Statement() {
  if (m_statement == nullptr) return;
  if (m_in_use != nullptr) {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    *m_in_use = false;
  } else {
    sqlite3_finalize(m_statement);
  }
}

void Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(m_statement, index, value);
  if (m_bind_status == SQLITE_OK) m_bind_status = rc;
}

void Statement::bind(int index, std::string_view value) {
  // A null data pointer would bind NULL; an empty string must stay a string.
  const char* data = value.data() != nullptr ? value.data() : "";
  const int rc =
      sqlite3_bind_text64(m_statement, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (m_bind_status == SQLITE_OK) m_bind_status = rc;
}

void Statement::bind(int index, ByteView value) {
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
  static const std::uint8_t k_empty = 0;
  const void* data = value.empty() ? &k_empty : value.data();
  const int rc = sqlite3_bind_blob64(m_statement, index, data, value.size(), SQLITE_TRANSIENT);
  if (m_bind_status == SQLITE_OK) m_bind_status = rc;
}

void Statement::bind(int index, std::nullopt_t) {
  const int rc = sqlite3_bind_null(m_statement, index);
  if (m_bind_status == SQLITE_OK) m_bind_status = rc;
}

Result<bool> Statement::step() {
  if (m_bind_status != SQLITE_OK) {
    return fail(sqlite_error(*m_connection, m_bind_status, sqlite3_errstr(m_bind_status)));
  }
  const int rc = sqlite3_step(m_statement);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(sqlite_error(*m_connection, rc));
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return fail(row.error());
    if (!*row) return {};
  }
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(m_statement, index);
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(m_statement, index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(m_statement, index))};
}

Bytes Statement::column_blob(int index) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_statement, index));
  if (data == nullptr) return {};
  return Bytes(data, data + sqlite3_column_bytes(m_statement, index));
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(m_statement, index) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_int(index);
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

std::optional<SysSeconds> Statement::column_optional_time(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_time(index);
}

}  // namespace cs::store
