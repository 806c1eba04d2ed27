#pragma once
// The one-shot loopback listener of the browser login: an HTTP server on 127.0.0.1 on a free
// port that waits for the browser's redirect to /callback, answers it with a page, and stops.
// Requests to other paths (a browser's /favicon.ico, anything stray) get 404 and are ignored.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace cs::cli {

/// What the listener makes of the query of the first /callback request: the value to hand the
/// waiter, and the page the browser shows.
struct CallbackAnswer {
  Result<std::string> outcome;
  std::string page;
};

using CallbackHandler =
    std::function<CallbackAnswer(const std::multimap<std::string, std::string>&)>;

class CallbackListener {
 public:
  /// Listens on 127.0.0.1 on a free port; `handler` turns the first /callback into an answer.
  static Result<std::unique_ptr<CallbackListener>> start(CallbackHandler handler);
  ~CallbackListener();

  int port() const;

  /// The outcome of the first /callback, or a timeout error after `timeout`; calls `tick` about
  /// ten times a second meanwhile (a spinner).
  Result<std::string> wait(std::chrono::milliseconds timeout, const std::function<void()>& tick);

  struct State;

 private:
  explicit CallbackListener(std::shared_ptr<State> state);
  std::shared_ptr<State> m_state;
};

}  // namespace cs::cli
