#pragma once
// Keeps the dev server certificate current while the broker runs: a periodic check issues a new
// certificate when the one in use expires within certs::k_renew_before (or no longer covers the
// names) and hands new TLS handshakes a context with it; open connections are left alone.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "devbroker/certs/dev_ca.h"
#include "devbroker/net/tls_context.h"

namespace cs::net {

struct TlsRenewalSettings {
  std::filesystem::path certs_dir;  // the dev CA and server.pem/server.key (certs::dev_ca.h)
  std::vector<std::string> names;   // what the server certificate must cover
  TlsSettings tls;                  // how a context is built from those files
  std::chrono::milliseconds interval{std::chrono::hours(1)};  // between two checks
};

class TlsRenewal {
 public:
  /// Checks on `io` for `holder` (which must outlive this) under `settings`, reading the time
  /// from `clock`.
  TlsRenewal(boost::asio::io_context& io, TlsRenewalSettings settings, TlsContextHolder& holder,
             std::function<certs::SystemTime()> clock);
  /// Checks every interval from now on, until stop().
  void start();
  /// Cancels the next check.
  void stop();
  /// One check, at clock(): renews the certificate when it is due and puts a context with the
  /// new one in the holder. Returns what was done with the files; on an error the holder keeps
  /// the context it had.
  Result<certs::FileOutcome> check();

 private:
  void schedule();

  boost::asio::steady_timer m_timer;
  TlsRenewalSettings m_settings;
  TlsContextHolder& m_holder;
  std::function<certs::SystemTime()> m_clock;
  bool m_stopped = false;
};

}  // namespace cs::net
