// The child of the store crash test: writes through a StoreWriter from several threads as fast
// as it can and, once a write has committed, prints its id on stdout, until it is killed.
//   cs_store_crash_child <data-dir>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "devbroker/store/store.h"

using namespace cs::store;

namespace {

constexpr int k_submitters = 4;
constexpr char k_client_id[] = "crash";

StoreWriter::Write write_for(std::int64_t id) {
  return [id](Repositories& repos) -> cs::Result<void> {
    QueuedMessageRecord message;
    message.seq = id;
    message.topic = "crash/" + std::to_string(id);
    message.payload = cs::Bytes(64, static_cast<std::uint8_t>(id));
    message.qos = cs::mqtt::QoS::at_least_once;
    if (auto queued = repos.sessions.enqueue(k_client_id, message); !queued) return queued;
    return repos.retained.put(
        RetainedRecord{message.topic, message.payload, message.qos, {}, std::nullopt});
  };
}

// Runs on the writer thread after the commit: one write(2) per line, so lines never interleave
// and nothing waits in a stdio buffer when the kill comes.
void acknowledge(std::int64_t id, const cs::Result<void>& result) {
  if (!result) {
    std::fprintf(stderr, "write %lld failed: %s\n", static_cast<long long>(id),
                 result.error().message.c_str());
    _exit(1);
  }
  std::string line = std::to_string(id);
  line += '\n';
  if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) _exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: cs_store_crash_child <data-dir>\n", stderr);
    return 2;
  }
  auto store = open_store(argv[1], Ephemeral::no);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  if (auto saved = store->repos().sessions.save(
          SessionRecord{k_client_id, 0xFFFFFFFF, std::nullopt, cs::mqtt::Version::v5});
      !saved) {
    std::fprintf(stderr, "%s\n", saved.error().message.c_str());
    return 1;
  }
  auto writer = store->open_writer({.queue_capacity = 4096, .max_batch = 1024});
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().message.c_str());
    return 1;
  }
  std::atomic<std::int64_t> next{1};
  std::vector<std::thread> submitters;
  for (int i = 0; i < k_submitters; ++i) {
    submitters.emplace_back([&] {
      for (;;) {
        const std::int64_t id = next++;
        auto done = [id](const cs::Result<void>& result) { acknowledge(id, result); };
        while (!(*writer)->submit(write_for(id), done)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
    });
  }
  for (auto& submitter : submitters) submitter.join();
}
