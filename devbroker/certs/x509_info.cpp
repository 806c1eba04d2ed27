#include "devbroker/certs/x509_info.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <optional>

namespace cs::certs {
namespace {

using crypto::BioPtr;
using Clock = std::chrono::system_clock;

// Only printable ASCII is passed on: such names end up in logs and, later, in MQTT user names.
bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string ascii_string(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(s));
  std::string text(data, static_cast<std::size_t>(ASN1_STRING_length(s)));
  return printable_ascii(text) ? text : std::string{};
}

// The single common name of `name`; empty when there is none, or several (ambiguous).
std::string common_name_of(const X509_NAME* name) {
  if (name == nullptr) return {};
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, index) >= 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, data);
  if (size < 0) return {};
  std::string text(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return printable_ascii(text) ? text : std::string{};
}

std::optional<std::string> ip_text(const ASN1_OCTET_STRING* ip) {
  char buffer[INET6_ADDRSTRLEN] = {};
  const int size = ASN1_STRING_length(ip);
  const int family = size == 4 ? AF_INET : size == 16 ? AF_INET6 : 0;
  if (family == 0 ||
      inet_ntop(family, ASN1_STRING_get0_data(ip), buffer, sizeof buffer) == nullptr) {
    return std::nullopt;
  }
  return std::string(buffer);
}

// "127.000.0.1"-style spellings are not accepted; "::0001" becomes "::1".
std::optional<std::string> normalized_ip(const std::string& text) {
  unsigned char bytes[16] = {};
  char buffer[INET6_ADDRSTRLEN] = {};
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), bytes) == 1 &&
        inet_ntop(family, bytes, buffer, sizeof buffer) != nullptr) {
      return std::string(buffer);
    }
  }
  return std::nullopt;
}

void read_alt_names(X509* cert, CertificateInfo& info) {
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      if (auto text = ascii_string(name->d.dNSName); !text.empty()) info.dns_names.push_back(text);
    } else if (name->type == GEN_EMAIL) {
      if (auto text = ascii_string(name->d.rfc822Name); !text.empty()) info.emails.push_back(text);
    } else if (name->type == GEN_IPADD) {
      if (auto text = ip_text(name->d.iPAddress)) info.ip_addresses.push_back(*text);
    }
  }
  GENERAL_NAMES_free(names);
}

Clock::time_point time_point_of(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return Clock::time_point{};
  return Clock::from_time_t(timegm(&tm));
}

int no_password(char*, int, int, void*) {
  return 0;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool covers(const CertificateInfo& info, const std::string& name) {
  if (auto ip = normalized_ip(name)) {
    return std::find(info.ip_addresses.begin(), info.ip_addresses.end(), *ip) !=
           info.ip_addresses.end();
  }
  return std::any_of(info.dns_names.begin(), info.dns_names.end(),
                     [&](const std::string& dns) { return iequals(dns, name); });
}

}  // namespace

CertificateInfo describe_certificate(X509* cert) {
  CertificateInfo info;
  info.common_name = common_name_of(X509_get_subject_name(cert));
  info.issuer_common_name = common_name_of(X509_get_issuer_name(cert));
  read_alt_names(cert, info);
  info.not_before = time_point_of(X509_get0_notBefore(cert));
  info.not_after = time_point_of(X509_get0_notAfter(cert));
  info.is_ca = X509_check_ca(cert) != 0;
  return info;
}

Result<crypto::X509Ptr> parse_certificate(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  crypto::X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr) : nullptr);
  if (!cert) {
    return fail(ErrorCode::invalid_request,
                "not a PEM certificate: " + openssl_error_text("no certificate found"));
  }
  ERR_clear_error();
  return cert;
}

Result<crypto::PkeyPtr> parse_private_key(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  crypto::PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr)
                          : nullptr);
  // OpenSSL 3's decoders leave vague errors ("unsupported") on the queue; say it plainly.
  ERR_clear_error();
  if (!key) return fail(ErrorCode::invalid_request, "not an unencrypted PEM private key");
  return key;
}

Result<CertificateInfo> inspect_certificate(std::string_view pem) {
  auto cert = parse_certificate(pem);
  if (!cert) return fail(cert.error());
  return describe_certificate(cert->get());
}

bool is_signed_by(X509* cert, X509* ca) {
  const bool issued = X509_check_issued(ca, cert) == X509_V_OK;
  const bool signature_ok = issued && X509_verify(cert, X509_get0_pubkey(ca)) == 1;
  ERR_clear_error();
  return signature_ok;
}

bool key_matches(X509* cert, EVP_PKEY* key) {
  const bool ok = X509_check_private_key(cert, key) == 1;
  ERR_clear_error();
  return ok;
}

bool needs_renewal(const CertificateInfo& info, const std::vector<std::string>& names,
                   Clock::time_point now) {
  if (info.not_after - now < k_renew_before || info.not_before > now) return true;
  return !std::all_of(names.begin(), names.end(),
                      [&](const std::string& name) { return covers(info, name); });
}

std::string openssl_error_text(std::string_view fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(fallback);
  if (ERR_SYSTEM_ERROR(code)) return std::strerror(ERR_GET_REASON(code));
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  char buffer[256] = {};
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

}  // namespace cs::certs
