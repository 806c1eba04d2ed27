#pragma once
// Reading certificates: names, validity, issuer checks and the renewal decision. Pure functions
// of PEM text (or an X509 handed over by a TLS stack) and `now`.

#include <chrono>
#include <openssl/x509.h>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto/openssl_ptr.h"
#include "common/result.h"

namespace cs::certs {

constexpr std::chrono::days k_renew_before{30};  // renew a server certificate this early

struct CertificateInfo {
  std::string common_name;                // subject CN; empty when absent or not plain text
  std::string issuer_common_name;         // issuer CN, same rules
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries, as text ("::1")
  std::vector<std::string> emails;        // subjectAltName rfc822Name entries
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
  bool is_ca = false;
};

/// The names, validity and CA flag of `cert`. Names holding control or non-ASCII characters are
/// left out rather than passed on.
CertificateInfo describe_certificate(X509* cert);

/// Parses the first certificate of `pem`.
Result<crypto::X509Ptr> parse_certificate(std::string_view pem);

/// Parses an unencrypted PEM private key; an encrypted one is refused, never prompted for.
Result<crypto::PkeyPtr> parse_private_key(std::string_view pem);

/// describe_certificate() of the first certificate in `pem`.
Result<CertificateInfo> inspect_certificate(std::string_view pem);

/// True when `cert` names `ca` as its issuer and carries a valid signature by `ca`'s key.
bool is_signed_by(X509* cert, X509* ca);

/// True when `key` is the private key of `cert`.
bool key_matches(X509* cert, EVP_PKEY* key);

/// True when a server certificate described by `info` should be issued again: it expires
/// within k_renew_before of `now`, is not yet valid, or lacks one of `names` (DNS or IP).
bool needs_renewal(const CertificateInfo& info, const std::vector<std::string>& names,
                   std::chrono::system_clock::time_point now);

/// The text of the oldest error on OpenSSL's queue (or `fallback`), clearing the queue.
std::string openssl_error_text(std::string_view fallback = "unknown OpenSSL error");

}  // namespace cs::certs
