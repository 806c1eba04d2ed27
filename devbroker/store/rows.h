#pragma once
// Small helpers the repositories share: reading rows into records and building messages.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/result.h"
#include "devbroker/store/database.h"

namespace cs::store {

namespace detail {
// A row reader returns a record, or a Result of one when the row may hold damaged data.
template <class T>
struct RowRecord {
  using type = T;
  static Result<T> wrap(T record) { return record; }
};
template <class T>
struct RowRecord<Result<T>> {
  using type = T;
  static Result<T> wrap(Result<T> record) { return record; }
};
template <class Read>
using RowReader = RowRecord<std::invoke_result_t<Read&, const Statement&>>;
}  // namespace detail

/// The record `read` makes of the first row of `statement`, or nullopt when there is none.
template <class Read>
Result<std::optional<typename detail::RowReader<Read>::type>> first_row(Result<Statement> statement,
                                                                        Read read) {
  if (!statement) return fail(statement.error());
  auto row = statement->step();
  if (!row) return fail(row.error());
  if (!*row) return std::nullopt;
  auto record = detail::RowReader<Read>::wrap(read(*statement));
  if (!record) return fail(record.error());
  return std::move(*record);
}

/// The records `read` makes of every row of `statement`, in order.
template <class Read>
Result<std::vector<typename detail::RowReader<Read>::type>> all_rows(Result<Statement> statement,
                                                                     Read read) {
  if (!statement) return fail(statement.error());
  std::vector<typename detail::RowReader<Read>::type> records;
  for (;;) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return records;
    auto record = detail::RowReader<Read>::wrap(read(*statement));
    if (!record) return fail(record.error());
    records.push_back(std::move(*record));
  }
}

/// Calls `visit` on every row of `statement`; stops at the first error `visit` returns.
template <class Visit>
Result<void> for_each_row(Result<Statement> statement, Visit visit) {
  if (!statement) return fail(statement.error());
  for (;;) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return {};
    if (auto visited = visit(*statement); !visited) return fail(visited.error());
  }
}

/// `parts` joined, for messages (GCC 12 warns falsely about chains of string operator+).
inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) out += part;
  return out;
}

/// Passes on `changed`'s error, or `missing` when no row changed.
inline Result<void> expect_changed(const Result<std::int64_t>& changed, Error missing) {
  if (!changed) return fail(changed.error());
  if (*changed == 0) return fail(std::move(missing));
  return {};
}

}  // namespace cs::store
