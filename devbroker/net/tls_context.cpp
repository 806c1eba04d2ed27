#include "devbroker/net/tls_context.h"

#include <cstdint>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "devbroker/certs/x509_info.h"

namespace cs::net {
namespace {

namespace ssl = boost::asio::ssl;

constexpr int k_verify_depth = 4;
constexpr unsigned char k_session_context[] = "cloudsignal-dev";

// Keys are never prompted for: an encrypted key is refused with an error instead.
int no_password(char*, int, int, void*) {
  return 0;
}

tl::unexpected<Error> file_failure(const char* what, const std::filesystem::path& path) {
  std::string message = "cannot use ";
  message.append(path.string())
      .append(" as the ")
      .append(what)
      .append(": ")
      .append(certs::openssl_error_text());
  return fail(ErrorCode::invalid_request, std::move(message));
}

}  // namespace

Result<TlsContextPtr> make_server_tls_context(const TlsSettings& settings) {
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  std::uint64_t options =
      SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE;
#ifdef SSL_OP_NO_CLIENT_RENEGOTIATION
  options |= SSL_OP_NO_CLIENT_RENEGOTIATION;
#endif
  SSL_CTX_set_options(ctx, options);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, k_tls12_ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, k_tls13_suites) != 1 ||
      SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1 ||
      SSL_CTX_set_session_id_context(ctx, k_session_context, sizeof k_session_context - 1) != 1) {
    return fail(ErrorCode::internal,
                "cannot set up the TLS policy: " + certs::openssl_error_text());
  }
  SSL_CTX_set_default_passwd_cb(ctx, no_password);
  // An idle connection gives its read and write buffers (about 34 KB) back until it is busy again.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);

  const auto cert = settings.certificate_file.string();
  const auto key = settings.key_file.string();
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
    return file_failure("TLS certificate", settings.certificate_file);
  }
  const bool key_loaded = SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) == 1;
  const bool mismatch = ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH;
  if (mismatch || (key_loaded && SSL_CTX_check_private_key(ctx) != 1)) {
    ERR_clear_error();
    std::string message = key;
    message.append(" is not the private key of ").append(cert);
    return fail(ErrorCode::invalid_request, std::move(message));
  }
  if (!key_loaded) return file_failure("TLS key", settings.key_file);

  if (settings.client_ca_file) {
    const auto ca = settings.client_ca_file->string();
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str());
    if (names == nullptr || SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) != 1) {
      if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
      return file_failure("client CA", *settings.client_ca_file);
    }
    // Tells clients which CA to pick a certificate for.
    SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_CTX_set_verify_depth(ctx, k_verify_depth);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return context;
}

std::string client_certificate_failure(SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return {};
  return X509_verify_cert_error_string(result);
}

std::optional<ClientCertificate> verified_client_certificate(SSL* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (peer == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  auto info = certs::describe_certificate(peer);
  return ClientCertificate{std::move(info.common_name), std::move(info.dns_names),
                           std::move(info.emails)};
}

}  // namespace cs::net
