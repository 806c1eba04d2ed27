#include "devbroker/certs/x509_build.h"

#include <catch2/catch.hpp>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "devbroker/certs/x509_info.h"

using namespace std::chrono_literals;
using cs::certs::Issued;

namespace {

// A fixed instant, so lifetimes are exact.
const cs::certs::SystemTime k_now = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + 12h;

const Issued& test_ca() {
  static const Issued ca = *cs::certs::create_ca(k_now);
  return ca;
}

cs::crypto::X509Ptr parsed(const std::string& pem) {
  return std::move(*cs::certs::parse_certificate(pem));
}

// OpenSSL's own chain verification of `cert` under `ca` at `at`, for `purpose` and, when given,
// the host name or IP address a client would check.
int verify(const Issued& cert, const Issued& ca, cs::certs::SystemTime at, int purpose,
           const std::string& host = {}, const std::string& ip = {}) {
  auto leaf = parsed(cert.certificate_pem);
  auto root = parsed(ca.certificate_pem);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, root.get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf.get(), nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(at));
  X509_VERIFY_PARAM_set_purpose(param, purpose);
  if (!host.empty()) X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (!ip.empty()) X509_VERIFY_PARAM_set1_ip_asc(param, ip.c_str());
  const int ok = X509_verify_cert(ctx);
  const int error = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return error;
}

bool has_extended_usage(const std::string& pem, std::uint32_t usage) {
  auto cert = parsed(pem);
  return (X509_get_extended_key_usage(cert.get()) & usage) != 0;
}

}  // namespace

TEST_CASE("the dev CA is a P-256 CA named 'cloudsignal dev CA <random>' for ten years", "[certs]") {
  const auto& ca = test_ca();
  CHECK(ca.key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  const auto info = *cs::certs::inspect_certificate(ca.certificate_pem);
  CHECK(info.is_ca);
  CHECK(info.common_name.rfind("cloudsignal dev CA ", 0) == 0);
  CHECK(info.common_name.size() == std::string("cloudsignal dev CA ").size() + 8);
  CHECK(info.issuer_common_name == info.common_name);
  CHECK(info.not_before == k_now - 1h);
  CHECK(info.not_after == k_now + std::chrono::days(3650));

  auto cert = parsed(ca.certificate_pem);
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  char group[32] = {};
  REQUIRE(EVP_PKEY_get_group_name(key, group, sizeof group, nullptr) == 1);
  CHECK(std::string(group) == "prime256v1");
  CHECK(X509_get_signature_nid(cert.get()) == NID_ecdsa_with_SHA256);
  CHECK(X509_get_key_usage(cert.get()) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
}

TEST_CASE("two dev CAs have different names", "[certs]") {
  const auto other = *cs::certs::create_ca(k_now);
  CHECK(cs::certs::inspect_certificate(other.certificate_pem)->common_name !=
        cs::certs::inspect_certificate(test_ca().certificate_pem)->common_name);
}

TEST_CASE("a server certificate covers its names and verifies under the CA for a year", "[certs]") {
  const auto server =
      *cs::certs::issue_server_certificate(test_ca(), {"localhost", "127.0.0.1", "::1"}, k_now);
  const auto info = *cs::certs::inspect_certificate(server.certificate_pem);
  CHECK(info.common_name == "localhost");
  CHECK(info.dns_names == std::vector<std::string>{"localhost"});
  CHECK(info.ip_addresses == std::vector<std::string>{"127.0.0.1", "::1"});
  CHECK_FALSE(info.is_ca);
  CHECK(info.not_after == k_now + std::chrono::days(365));
  CHECK(has_extended_usage(server.certificate_pem, XKU_SSL_SERVER));
  CHECK_FALSE(has_extended_usage(server.certificate_pem, XKU_SSL_CLIENT));

  const auto& ca = test_ca();
  CHECK(verify(server, ca, k_now, X509_PURPOSE_SSL_SERVER, "localhost") == X509_V_OK);
  CHECK(verify(server, ca, k_now, X509_PURPOSE_SSL_SERVER, {}, "127.0.0.1") == X509_V_OK);
  CHECK(verify(server, ca, k_now, X509_PURPOSE_SSL_SERVER, {}, "::1") == X509_V_OK);
  CHECK(verify(server, ca, k_now, X509_PURPOSE_SSL_SERVER, "example.com") ==
        X509_V_ERR_HOSTNAME_MISMATCH);
  CHECK(verify(server, ca, k_now, X509_PURPOSE_SSL_SERVER, {}, "10.0.0.1") ==
        X509_V_ERR_IP_ADDRESS_MISMATCH);
  CHECK(verify(server, ca, k_now + std::chrono::days(366), X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_CERT_HAS_EXPIRED);
  CHECK(verify(server, ca, k_now, X509_PURPOSE_SSL_CLIENT) == X509_V_ERR_INVALID_PURPOSE);
}

TEST_CASE("a server certificate from another CA does not verify", "[certs]") {
  const auto other_ca = *cs::certs::create_ca(k_now);
  const auto server = *cs::certs::issue_server_certificate(other_ca, {"localhost"}, k_now);
  CHECK(verify(server, test_ca(), k_now, X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_CASE("server certificate names must be DNS names or IP addresses", "[certs]") {
  const auto r = cs::certs::issue_server_certificate(test_ca(), {"localhost,DNS:evil"}, k_now);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "not a DNS name or IP address for a certificate: localhost,DNS:evil");
  CHECK(cs::certs::issue_server_certificate(test_ca(), {}, k_now).error().message ==
        "a server certificate needs at least one name");
}

TEST_CASE("a client certificate carries its name and is for client authentication only",
          "[certs]") {
  const auto client = *cs::certs::issue_client_certificate(test_ca(), "sensor-01", k_now);
  const auto info = *cs::certs::inspect_certificate(client.certificate_pem);
  CHECK(info.common_name == "sensor-01");
  CHECK(info.dns_names.empty());
  CHECK(info.not_after == k_now + std::chrono::days(365));
  CHECK(has_extended_usage(client.certificate_pem, XKU_SSL_CLIENT));
  CHECK(verify(client, test_ca(), k_now, X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
  CHECK(verify(client, test_ca(), k_now, X509_PURPOSE_SSL_SERVER) == X509_V_ERR_INVALID_PURPOSE);

  const auto short_lived =
      *cs::certs::issue_client_certificate(test_ca(), "old", k_now, std::chrono::days(1));
  CHECK(verify(short_lived, test_ca(), k_now + std::chrono::days(2), X509_PURPOSE_SSL_CLIENT) ==
        X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_CASE("client certificate names are checked before anything is issued", "[certs]") {
  for (const std::string good : {"a", "sensor-01", "john@example.com", "dev.box_2", "A9"}) {
    INFO(good);
    CHECK(cs::certs::validate_client_name(good));
  }
  const std::vector<std::string> bad_names = {
      "", ".hidden", "-flag", "a/b", "../x", "a b", "x,CN=y", std::string(65, 'a'), "caf\xc3\xa9"};
  for (const auto& bad : bad_names) {
    INFO(bad);
    const auto r = cs::certs::validate_client_name(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == cs::ErrorCode::usage);
    std::string expected = "not a usable client certificate name: '";
    expected.append(bad).push_back('\'');
    CHECK(r.error().message == expected);
  }
  CHECK_FALSE(cs::certs::issue_client_certificate(test_ca(), "../x", k_now));
}

TEST_CASE("issuing refuses a CA key that does not belong to the CA certificate", "[certs]") {
  Issued mixed = test_ca();
  mixed.key_pem = cs::certs::create_ca(k_now)->key_pem;
  const auto r = cs::certs::issue_client_certificate(mixed, "x", k_now);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "the CA key does not belong to the CA certificate");
}
