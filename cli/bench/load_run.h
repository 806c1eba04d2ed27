#pragma once
// Drives one bench run: connects every client a bounded number at a time, publishes for the
// workload's duration (or holds idle connections), waits for the last messages, disconnects,
// and adds up what the clients measured.

#include <iosfwd>

#include "cli/bench/report.h"
#include "cli/bench/workload.h"
#include "common/result.h"

namespace cs::bench {

/// Runs `workload` against its broker and returns the figures. Progress lines for a person go
/// to `status`; the idle mode writes "holding N connections for S s" once every connection is
/// up, so a script can measure the broker then. Fails with an unreachable error when the broker
/// cannot be reached, unauthorized or forbidden when it refuses a client or a subscription,
/// timeout when connecting takes too long, and unavailable when it drops a connection.
Result<LoadReport> run_load(const Workload& workload, std::ostream& status);

}  // namespace cs::bench
