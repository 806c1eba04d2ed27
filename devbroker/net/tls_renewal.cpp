#include "devbroker/net/tls_renewal.h"

#include "common/log.h"

namespace cs::net {

TlsRenewal::TlsRenewal(boost::asio::io_context& io, TlsRenewalSettings settings,
                       TlsContextHolder& holder, std::function<certs::SystemTime()> clock)
    : m_timer(io), m_settings(std::move(settings)), m_holder(holder), m_clock(std::move(clock)) {}

void TlsRenewal::start() {
  m_stopped = false;
  schedule();
}

void TlsRenewal::stop() {
  m_stopped = true;
  m_timer.cancel();
}

void TlsRenewal::schedule() {
  m_timer.expires_after(m_settings.interval);
  m_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || m_stopped) return;
    if (auto outcome = check(); !outcome) {
      // The certificate in use stays; the next check tries again.
      log::warn("cannot renew the server certificate: " + outcome.error().message);
    }
    schedule();
  });
}

// The context is built from the files before it replaces the old one, so a failure on the way
// leaves new handshakes with the certificate they had.
Result<certs::FileOutcome> TlsRenewal::check() {
  const auto now = m_clock();
  auto ca = certs::ensure_dev_ca(m_settings.certs_dir, now);
  if (!ca) return fail(ca.error());
  auto outcome = certs::ensure_server_certificate(m_settings.certs_dir, *ca, m_settings.names, now);
  if (!outcome || *outcome == certs::FileOutcome::reused) return outcome;
  auto context = make_server_tls_context(m_settings.tls);
  if (!context) return fail(context.error());
  m_holder.replace(std::move(*context));
  log::info("renewed the server certificate: " + m_settings.tls.certificate_file.string());
  return outcome;
}

}  // namespace cs::net
