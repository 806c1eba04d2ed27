#pragma once
// Certificates for local development: a private CA, server certificates for loopback names and
// client certificates for mutual TLS. Keys are EC P-256, signatures ECDSA with SHA-256. Every
// function takes `now`, so lifetimes and renewal are testable without waiting.

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace cs::certs {

using SystemTime = std::chrono::system_clock::time_point;
using Days = std::chrono::days;

constexpr Days k_ca_lifetime{3650};     // the dev CA: about ten years
constexpr Days k_server_lifetime{365};  // under the 398/825-day limits clients enforce
constexpr Days k_client_lifetime{365};
constexpr std::chrono::hours k_backdate{1};         // notBefore, against clock skew
constexpr std::size_t k_max_certificate_name = 64;  // X.509 upper bound for a CN

/// A certificate and its private key, both PEM (the key unencrypted PKCS#8).
struct Issued {
  std::string certificate_pem;
  std::string key_pem;
};

/// A new self-signed CA named "cloudsignal dev CA <random>", valid k_ca_lifetime from `now`.
Result<Issued> create_ca(SystemTime now);

/// A server certificate for `names` (DNS names or IP addresses, as subject alternative names),
/// signed by `ca`, valid k_server_lifetime from `now`; its common name is the first name.
Result<Issued> issue_server_certificate(const Issued& ca, const std::vector<std::string>& names,
                                        SystemTime now);

/// A client certificate (extended key usage clientAuth) with common name `name`, signed by
/// `ca`, valid `lifetime` from `now`.
Result<Issued> issue_client_certificate(const Issued& ca, const std::string& name, SystemTime now,
                                        Days lifetime = k_client_lifetime);

/// Checks that `name` can name a client certificate and its files: 1 to 64 characters from
/// letters, digits, '.', '_', '-' and '@', not starting with '.' or '-'.
Result<void> validate_client_name(const std::string& name);

}  // namespace cs::certs
