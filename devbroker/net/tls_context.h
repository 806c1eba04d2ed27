#pragma once
// The server-side TLS policy shared by every TLS listener (MQTTS, WSS): TLS 1.2 and 1.3 only,
// forward-secret AEAD ciphers, no compression, no renegotiation, and client certificates
// verified against a CA when the settings ask for them.

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "devbroker/net/stream.h"

namespace cs::net {

/// TLS 1.2 cipher list: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 only.
inline constexpr char k_tls12_ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
/// TLS 1.3 cipher suites.
inline constexpr char k_tls13_suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

struct TlsSettings {
  std::filesystem::path certificate_file;  // the server's certificate (chain), PEM
  std::filesystem::path key_file;          // its unencrypted private key, PEM
  // When set, every client must present a certificate that this CA file verifies.
  std::optional<std::filesystem::path> client_ca_file;
};

using TlsContextPtr = std::shared_ptr<boost::asio::ssl::context>;

/// A server context for `settings`; the error names the file that would not load and why.
Result<TlsContextPtr> make_server_tls_context(const TlsSettings& settings);

/// The context the TLS listeners give new connections. Replacing it (after the server
/// certificate was renewed) changes what new handshakes present, while connections already open
/// keep the context they started with. Used on the broker's event loop only.
class TlsContextHolder {
 public:
  /// Starts with `context`.
  explicit TlsContextHolder(TlsContextPtr context) : m_context(std::move(context)) {}
  /// The context for the next connection.
  const TlsContextPtr& current() const { return m_context; }
  /// Serves new connections with `context` from now on.
  void replace(TlsContextPtr context) { m_context = std::move(context); }

 private:
  TlsContextPtr m_context;
};

/// Why the client certificate of the handshake on `ssl` was refused ("certificate has
/// expired"); empty when it was not.
std::string client_certificate_failure(SSL* ssl);

/// The client certificate verified by the handshake done on `ssl`; nullopt when the client
/// sent none or it was not verified.
std::optional<ClientCertificate> verified_client_certificate(SSL* ssl);

}  // namespace cs::net
