#pragma once
// Runs bcrypt checks on a few worker threads, off the broker's event loop, with a bounded
// queue: a flood of wrong passwords waits its turn or is turned away ("server busy"), and never
// starves the loop or the rest of the machine.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cs::auth {

class BcryptPool {
 public:
  /// Starts `threads` workers (at least 1) accepting at most `queue_limit` waiting checks.
  BcryptPool(std::size_t threads, std::size_t queue_limit);
  /// Finishes the checks already queued, then stops the workers.
  ~BcryptPool();
  BcryptPool(const BcryptPool&) = delete;
  BcryptPool& operator=(const BcryptPool&) = delete;

  /// Queues a check of `password` against `hash`; `done(matched)` runs on a worker thread.
  /// Returns false, without queuing, when the queue is full.
  bool submit(std::string password, std::string hash, std::function<void(bool)> done);

  /// Checks waiting or running now.
  std::size_t pending() const;

 private:
  struct Job {
    std::string password;
    std::string hash;
    std::function<void(bool)> done;
  };
  void work();

  std::size_t m_queue_limit;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Job> m_queue;
  std::size_t m_running = 0;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

}  // namespace cs::auth
