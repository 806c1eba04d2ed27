#include "devbroker/auth/bcrypt_pool.h"

#include <openssl/crypto.h>

#include "common/crypto/bcrypt.h"

namespace cs::auth {

BcryptPool::BcryptPool(std::size_t threads, std::size_t queue_limit) : m_queue_limit(queue_limit) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) m_threads.emplace_back([this] { work(); });
}

BcryptPool::~BcryptPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  for (auto& t : m_threads) t.join();
}

bool BcryptPool::submit(std::string password, std::string hash, std::function<void(bool)> done) {
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping || m_queue.size() >= m_queue_limit) {
      OPENSSL_cleanse(password.data(), password.size());
      return false;
    }
    m_queue.push_back(Job{std::move(password), std::move(hash), std::move(done)});
  }
  m_wake.notify_one();
  return true;
}

std::size_t BcryptPool::pending() const {
  std::lock_guard lock(m_mutex);
  return m_queue.size() + m_running;
}

void BcryptPool::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty()) return;  // stopping, and nothing left to do
      job = std::move(m_queue.front());
      m_queue.pop_front();
      ++m_running;
    }
    const bool matched = crypto::bcrypt_verify(job.password, job.hash);
    OPENSSL_cleanse(job.password.data(), job.password.size());
    job.done(matched);
    std::lock_guard lock(m_mutex);
    --m_running;
  }
}

}  // namespace cs::auth
