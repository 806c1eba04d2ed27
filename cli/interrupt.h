#pragma once
// Lets a long-running command end cleanly on Ctrl-C: while an InterruptFlag lives, SIGINT and
// SIGTERM raise it instead of killing the process.

#include <signal.h>

namespace cs::cli {

class InterruptFlag {
 public:
  /// Installs the handlers; one InterruptFlag at a time.
  InterruptFlag();
  /// Puts the previous handlers back.
  ~InterruptFlag();
  InterruptFlag(const InterruptFlag&) = delete;
  InterruptFlag& operator=(const InterruptFlag&) = delete;

  /// True once SIGINT or SIGTERM arrived.
  bool raised() const;

 private:
  struct sigaction m_previous_interrupt {};
  struct sigaction m_previous_terminate {};
};

}  // namespace cs::cli
