#include "devbroker/certs/x509_info.h"

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "devbroker/certs/x509_build.h"

using namespace std::chrono_literals;
using cs::certs::CertificateInfo;
using cs::certs::needs_renewal;

namespace {

const cs::certs::SystemTime k_now = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1};

const cs::certs::Issued& test_ca() {
  static const cs::certs::Issued ca = *cs::certs::create_ca(k_now);
  return ca;
}

CertificateInfo loopback_certificate(std::chrono::system_clock::duration left) {
  CertificateInfo info;
  info.not_before = k_now - 1h;
  info.not_after = k_now + left;
  info.dns_names = {"localhost"};
  info.ip_addresses = {"127.0.0.1", "::1"};
  return info;
}

const std::vector<std::string> k_loopback = {"localhost", "127.0.0.1", "::1"};

// A self-signed certificate with subject `cn` and subjectAltName `alt_names` in OpenSSL's
// configuration syntax, for names the dev CA would never write.
cs::crypto::X509Ptr odd_certificate(const std::string& cn, const char* alt_names) {
  cs::crypto::PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  cs::crypto::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.data()),
                             static_cast<int>(cn.size()), -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, NID_subject_alt_name, alt_names);
  X509_add_ext(cert.get(), ext, -1);
  X509_EXTENSION_free(ext);
  X509_sign(cert.get(), key.get(), EVP_sha256());
  return cert;
}

}  // namespace

TEST_CASE("a server certificate is renewed 30 days before it expires", "[certs]") {
  CHECK_FALSE(needs_renewal(loopback_certificate(std::chrono::days(300)), k_loopback, k_now));
  CHECK_FALSE(needs_renewal(loopback_certificate(std::chrono::days(30)), k_loopback, k_now));
  CHECK(needs_renewal(loopback_certificate(std::chrono::days(30) - 1s), k_loopback, k_now));
  CHECK(needs_renewal(loopback_certificate(std::chrono::days(1)), k_loopback, k_now));
  CHECK(needs_renewal(loopback_certificate(-1h), k_loopback, k_now));  // expired
}

TEST_CASE("a server certificate not yet valid is renewed", "[certs]") {
  auto info = loopback_certificate(std::chrono::days(300));
  info.not_before = k_now + 1h;
  CHECK(needs_renewal(info, k_loopback, k_now));
}

TEST_CASE("a server certificate lacking a wanted name is renewed", "[certs]") {
  const auto info = loopback_certificate(std::chrono::days(300));
  CHECK(needs_renewal(info, {"localhost", "192.168.1.20"}, k_now));
  CHECK(needs_renewal(info, {"dev.example.com"}, k_now));
  // Names compare as DNS (case-insensitive) and IP addresses (whatever their spelling) do.
  CHECK_FALSE(needs_renewal(info, {"LOCALHOST", "0:0:0:0:0:0:0:1", "::0001"}, k_now));
  auto without_ipv6 = info;
  without_ipv6.ip_addresses = {"127.0.0.1"};
  CHECK(needs_renewal(without_ipv6, k_loopback, k_now));
}

TEST_CASE("describe passes on plain ASCII names only", "[certs]") {
  auto plain = odd_certificate("device.example",
                               "DNS:device.example,email:ops@example.com,IP:10.1.2.3,URI:x:y");
  auto info = cs::certs::describe_certificate(plain.get());
  CHECK(info.common_name == "device.example");
  CHECK(info.dns_names == std::vector<std::string>{"device.example"});
  CHECK(info.emails == std::vector<std::string>{"ops@example.com"});
  CHECK(info.ip_addresses == std::vector<std::string>{"10.1.2.3"});

  auto odd = odd_certificate("bad\x01name", "DNS:ok.example,email:caf\xc3\xa9@example.com");
  info = cs::certs::describe_certificate(odd.get());
  CHECK(info.common_name.empty());
  CHECK(info.dns_names == std::vector<std::string>{"ok.example"});
  CHECK(info.emails.empty());
}

TEST_CASE("certificates and keys that do not parse are refused with a reason", "[certs]") {
  const auto cert = cs::certs::parse_certificate("not a certificate");
  REQUIRE_FALSE(cert);
  CHECK(cert.error().message == "not a PEM certificate: no start line");

  const auto key = cs::certs::parse_private_key(test_ca().certificate_pem);
  REQUIRE_FALSE(key);
  CHECK(key.error().message == "not an unencrypted PEM private key");
}

TEST_CASE("an encrypted private key is refused, not prompted for", "[certs]") {
  auto plain = cs::certs::parse_private_key(test_ca().key_pem);
  REQUIRE(plain);
  cs::crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  const std::string pass = "secret";
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio.get(), plain->get(), EVP_aes_128_cbc(), pass.c_str(),
                                        static_cast<int>(pass.size()), nullptr, nullptr) == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  const auto key = cs::certs::parse_private_key(std::string(data, static_cast<std::size_t>(size)));
  REQUIRE_FALSE(key);
  CHECK(key.error().message == "not an unencrypted PEM private key");
}

TEST_CASE("is_signed_by and key_matches tell certificates and keys apart", "[certs]") {
  const auto other_ca = *cs::certs::create_ca(k_now);
  const auto mine = *cs::certs::issue_client_certificate(test_ca(), "a", k_now);
  auto ca = *cs::certs::parse_certificate(test_ca().certificate_pem);
  auto other = *cs::certs::parse_certificate(other_ca.certificate_pem);
  auto cert = *cs::certs::parse_certificate(mine.certificate_pem);
  CHECK(cs::certs::is_signed_by(cert.get(), ca.get()));
  CHECK_FALSE(cs::certs::is_signed_by(cert.get(), other.get()));
  CHECK(cs::certs::is_signed_by(ca.get(), ca.get()));

  auto key = *cs::certs::parse_private_key(mine.key_pem);
  auto ca_key = *cs::certs::parse_private_key(test_ca().key_pem);
  CHECK(cs::certs::key_matches(cert.get(), key.get()));
  CHECK_FALSE(cs::certs::key_matches(cert.get(), ca_key.get()));
}
