#pragma once
// How a connection waits for another connection's lock. sqlite3_busy_timeout sleeps in coarse
// steps (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms), so a writer that finds the lock taken
// for a few microseconds (a checkpoint, another connection's short write) sleeps a millisecond
// or more. This handler waits 20 µs, doubling up to 1 ms per retry, until a budget is spent.

#include <chrono>

struct sqlite3;

namespace cs::store {

/// How long to sleep before retry `attempt` (0 for the first): 20 µs << `attempt`, at most 1 ms.
std::chrono::microseconds busy_delay(int attempt);

/// How long the sleeps before retry `attempt` add up to (busy_delay of 0 to `attempt` - 1).
std::chrono::microseconds busy_waited(int attempt);

/// Makes `db` wait for locks as above, giving up (SQLITE_BUSY) once `budget` has been slept.
void set_busy_handler(sqlite3* db, std::chrono::milliseconds budget);

}  // namespace cs::store
