#pragma once
// Fetches identity providers' key documents over HTTPS, verifying the server against the system
// CA bundle; plain HTTP only to this machine. Bounded in time and size.

#include <chrono>
#include <cstddef>
#include <string>

#include "devbroker/auth/key_cache.h"

namespace cs::auth {

class HttpFetcher final : public DocumentFetcher {
 public:
  static constexpr std::size_t k_max_document = 512 * 1024;
  static constexpr std::chrono::seconds k_timeout{5};

  /// Trusts the CAs in `ca_bundle` for HTTPS.
  explicit HttpFetcher(std::string ca_bundle = "/etc/ssl/certs/ca-certificates.crt")
      : m_ca_bundle(std::move(ca_bundle)) {}

  Result<FetchedDocument> fetch(const std::string& url) override;

 private:
  std::string m_ca_bundle;
};

}  // namespace cs::auth
