#pragma once
// The broker's state at start: the retained messages and persistent sessions the store kept,
// loaded into a Broker before it serves anyone.
//
// Damaged or invalid rows (a properties blob that does not decode, a topic or filter the broker
// would refuse, an in-flight message without a usable packet id) do not stop the start: each is
// left out with a warning naming it, and left in the database as it is.

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/topic.h"
#include "devbroker/store/store.h"

namespace cs::store {

struct RestoreReport {
  std::size_t retained = 0;          // retained messages loaded
  std::size_t sessions = 0;          // sessions loaded
  std::size_t messages = 0;          // messages queued or in flight to them
  std::vector<std::string> skipped;  // one sentence per row left out
};

/// Loads what `store` kept into `broker`, which has not served yet, and logs what it loaded and
/// left out. First deletes the sessions and queued messages that expired by `wall_now`. Stored
/// times are wall-clock seconds, so the time spent stored counts against every expiry: each
/// becomes a point on the broker's clock, where it is `now`. A session stored as connected (the
/// process died under it) counts as disconnected at `wall_now`, and is saved so. Topics and
/// filters are checked against `limits`.
Result<RestoreReport> restore_broker_state(Store& store, mqtt::Broker& broker,
                                           const mqtt::TopicLimits& limits, SysSeconds wall_now,
                                           mqtt::TimePoint now);

}  // namespace cs::store
