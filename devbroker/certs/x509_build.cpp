#include "devbroker/certs/x509_build.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "common/crypto/openssl_ptr.h"
#include "common/crypto/random.h"
#include "devbroker/certs/x509_info.h"

namespace cs::certs {
namespace {

using crypto::BignumPtr;
using crypto::BioPtr;
using crypto::PkeyCtxPtr;
using crypto::PkeyPtr;
using crypto::X509Ptr;
using GeneralNamesPtr = crypto::OpensslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralNamePtr = crypto::OpensslPtr<GENERAL_NAME, GENERAL_NAME_free>;

tl::unexpected<Error> crypto_failure(std::string_view what) {
  std::string message(what);
  message.append(": ").append(openssl_error_text());
  return fail(ErrorCode::internal, std::move(message));
}

Result<PkeyPtr> generate_key() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0 ||
      EVP_PKEY_generate(ctx.get(), &raw) <= 0) {
    return crypto_failure("cannot generate a P-256 key");
  }
  return PkeyPtr(raw);
}

bool add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

// A version 3 certificate for `key` named `common_name`, with a random 127-bit serial number,
// valid from shortly before `now` for `lifetime`; extensions, issuer and signature come later.
Result<X509Ptr> new_certificate(EVP_PKEY* key, const std::string& common_name, SystemTime now,
                                Days lifetime) {
  X509Ptr cert(X509_new());
  BignumPtr serial(BN_new());
  const auto from = std::chrono::system_clock::to_time_t(now - k_backdate);
  const auto until = std::chrono::system_clock::to_time_t(now + lifetime);
  const bool ok = cert && serial && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
                  BN_rand(serial.get(), 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 &&
                  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
                  ASN1_TIME_set(X509_getm_notBefore(cert.get()), from) != nullptr &&
                  ASN1_TIME_set(X509_getm_notAfter(cert.get()), until) != nullptr &&
                  X509_set_pubkey(cert.get(), key) == 1 &&
                  add_name_entry(X509_get_subject_name(cert.get()), "O", "cloudsignal dev") &&
                  add_name_entry(X509_get_subject_name(cert.get()), "CN", common_name);
  if (!ok) return crypto_failure("cannot build a certificate");
  return cert;
}

// Adds the extension `nid` written in OpenSSL's configuration syntax (`value` is a constant of
// this file, never user input).
bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

bool is_dns_name(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

// Built entry by entry rather than from "DNS:...,IP:..." text, so no name can smuggle in another.
Result<void> add_subject_alt_names(X509* cert, const std::vector<std::string>& names) {
  GeneralNamesPtr list(sk_GENERAL_NAME_new_null());
  if (!list) return crypto_failure("cannot list subject alternative names");
  for (const auto& name : names) {
    GeneralNamePtr entry(GENERAL_NAME_new());
    if (!entry) return crypto_failure("cannot add a subject alternative name");
    if (ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name.c_str())) {
      GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, ip);
    } else {
      ERR_clear_error();
      if (!is_dns_name(name)) {
        return fail(ErrorCode::invalid_request,
                    "not a DNS name or IP address for a certificate: " + name);
      }
      ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
      if (dns == nullptr || ASN1_STRING_set(dns, name.data(), static_cast<int>(name.size())) != 1) {
        ASN1_IA5STRING_free(dns);
        return crypto_failure("cannot add a subject alternative name");
      }
      GENERAL_NAME_set0_value(entry.get(), GEN_DNS, dns);
    }
    if (sk_GENERAL_NAME_push(list.get(), entry.get()) <= 0) {
      return crypto_failure("cannot add a subject alternative name");
    }
    (void)entry.release();  // owned by the list now
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, list.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return crypto_failure("cannot add subject alternative names");
  }
  return {};
}

Result<std::string> certificate_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return crypto_failure("cannot write a certificate");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

Result<std::string> key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return crypto_failure("cannot write a private key");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

Result<Issued> sign_and_encode(X509* cert, EVP_PKEY* issuer_key, EVP_PKEY* subject_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) {
    return crypto_failure("cannot sign a certificate");
  }
  auto cert_text = certificate_pem(cert);
  if (!cert_text) return fail(cert_text.error());
  auto key_text = key_pem(subject_key);
  if (!key_text) return fail(key_text.error());
  return Issued{std::move(*cert_text), std::move(*key_text)};
}

struct LoadedCa {
  X509Ptr cert;
  PkeyPtr key;
};

Result<LoadedCa> load_ca(const Issued& ca) {
  auto cert = parse_certificate(ca.certificate_pem);
  if (!cert) return fail(cert.error());
  auto key = parse_private_key(ca.key_pem);
  if (!key) return fail(key.error());
  if (!key_matches(cert->get(), key->get())) {
    return fail(ErrorCode::invalid_request, "the CA key does not belong to the CA certificate");
  }
  return LoadedCa{std::move(*cert), std::move(*key)};
}

// A certificate for a new key, named `common_name`, signed by `ca`, with the extensions of an
// end entity whose extended key usage is `purpose`.
Result<Issued> issue_leaf(const Issued& ca, const std::string& common_name, const char* purpose,
                          const std::vector<std::string>& alt_names, SystemTime now,
                          Days lifetime) {
  auto issuer = load_ca(ca);
  if (!issuer) return fail(issuer.error());
  auto key = generate_key();
  if (!key) return fail(key.error());
  auto cert = new_certificate(key->get(), common_name, now, lifetime);
  if (!cert) return fail(cert.error());
  X509* c = cert->get();
  X509* i = issuer->cert.get();
  if (X509_set_issuer_name(c, X509_get_subject_name(i)) != 1 ||
      !add_extension(c, i, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(c, i, NID_key_usage, "critical,digitalSignature") ||
      !add_extension(c, i, NID_ext_key_usage, purpose) ||
      !add_extension(c, i, NID_subject_key_identifier, "hash") ||
      !add_extension(c, i, NID_authority_key_identifier, "keyid:always")) {
    return crypto_failure("cannot add certificate extensions");
  }
  if (!alt_names.empty()) {
    if (auto ok = add_subject_alt_names(c, alt_names); !ok) return fail(ok.error());
  }
  return sign_and_encode(c, issuer->key.get(), key->get());
}

}  // namespace

Result<Issued> create_ca(SystemTime now) {
  auto key = generate_key();
  if (!key) return fail(key.error());
  const std::string name =
      "cloudsignal dev CA " + crypto::random_string(crypto::k_lowercase_alnum, 8);
  auto cert = new_certificate(key->get(), name, now, k_ca_lifetime);
  if (!cert) return fail(cert.error());
  X509* c = cert->get();
  if (X509_set_issuer_name(c, X509_get_subject_name(c)) != 1 ||
      !add_extension(c, c, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_extension(c, c, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(c, c, NID_subject_key_identifier, "hash")) {
    return crypto_failure("cannot add CA extensions");
  }
  return sign_and_encode(c, key->get(), key->get());
}

Result<Issued> issue_server_certificate(const Issued& ca, const std::vector<std::string>& names,
                                        SystemTime now) {
  if (names.empty()) {
    return fail(ErrorCode::invalid_request, "a server certificate needs at least one name");
  }
  return issue_leaf(ca, names.front(), "serverAuth", names, now, k_server_lifetime);
}

Result<Issued> issue_client_certificate(const Issued& ca, const std::string& name, SystemTime now,
                                        Days lifetime) {
  if (auto ok = validate_client_name(name); !ok) return fail(ok.error());
  return issue_leaf(ca, name, "clientAuth", {}, now, lifetime);
}

Result<void> validate_client_name(const std::string& name) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '@';
  };
  bool ok = !name.empty() && name.size() <= k_max_certificate_name && name.front() != '.' &&
            name.front() != '-';
  for (char c : name) ok = ok && allowed(c);
  if (!ok) {
    std::string message = "not a usable client certificate name: '";
    message.append(name).push_back('\'');
    return fail(ErrorCode::usage, std::move(message),
                "use 1 to 64 letters, digits, '.', '_', '-' or '@', not starting with '.' or '-'");
  }
  return {};
}

}  // namespace cs::certs
