#include "cli/callback_listener.h"

#include <condition_variable>
#include <httplib.h>
#include <mutex>
#include <optional>
#include <thread>

namespace cs::cli {

struct CallbackListener::State {
  httplib::Server server;
  CallbackHandler handler;
  int port = 0;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable answered;
  std::optional<Result<std::string>> outcome;
};

Result<std::unique_ptr<CallbackListener>> CallbackListener::start(CallbackHandler handler) {
  auto state = std::make_shared<State>();
  state->handler = std::move(handler);
  State* s = state.get();
  s->server.Get("/callback", [s](const httplib::Request& request, httplib::Response& response) {
    std::unique_lock lock(s->mutex);
    response.set_header("Connection", "close");
    response.set_header("Cache-Control", "no-store");
    if (s->outcome) {
      response.status = 409;
      response.set_content("This login has already been answered.", "text/plain");
      return;
    }
    std::multimap<std::string, std::string> params(request.params.begin(), request.params.end());
    CallbackAnswer answer = s->handler(params);
    response.set_content(answer.page, "text/html; charset=utf-8");
    s->outcome = std::move(answer.outcome);
    s->answered.notify_all();
  });
  s->port = s->server.bind_to_any_port("127.0.0.1");
  if (s->port <= 0) {
    return fail(ErrorCode::io, "cannot listen on 127.0.0.1 for the browser's answer");
  }
  s->thread = std::thread([s] { s->server.listen_after_bind(); });
  return std::unique_ptr<CallbackListener>(new CallbackListener(std::move(state)));
}

CallbackListener::CallbackListener(std::shared_ptr<State> state) : m_state(std::move(state)) {}

CallbackListener::~CallbackListener() {
  // stop() lets the request in progress finish writing its page before the thread ends.
  m_state->server.stop();
  if (m_state->thread.joinable()) m_state->thread.join();
}

int CallbackListener::port() const {
  return m_state->port;
}

Result<std::string> CallbackListener::wait(std::chrono::milliseconds timeout,
                                           const std::function<void()>& tick) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(m_state->mutex);
  while (!m_state->outcome) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail(ErrorCode::timeout, "no answer from the browser in time",
                  "run `cloudsignal login` again and finish signing in within the time");
    }
    m_state->answered.wait_for(lock, std::chrono::milliseconds(100));
    if (tick && !m_state->outcome) tick();
  }
  return *m_state->outcome;
}

}  // namespace cs::cli
