#include "cli/interrupt.h"

#include <csignal>

namespace cs::cli {
namespace {

// Written by the handler, read by the waiting thread; lock-free so async-signal-safe.
volatile std::sig_atomic_t g_raised = 0;

extern "C" void on_signal(int) {
  g_raised = 1;
}

}  // namespace

InterruptFlag::InterruptFlag() {
  g_raised = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // Other threads (the MQTT library's) may take the signal: restart their system calls.
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &m_previous_interrupt);
  ::sigaction(SIGTERM, &action, &m_previous_terminate);
}

InterruptFlag::~InterruptFlag() {
  ::sigaction(SIGINT, &m_previous_interrupt, nullptr);
  ::sigaction(SIGTERM, &m_previous_terminate, nullptr);
}

bool InterruptFlag::raised() const {
  return g_raised != 0;
}

}  // namespace cs::cli
