// The TLS transport in-process, against an Asio TLS client: the TLS policy, the client
// certificate names a stream exposes, and the handshake timeout of the broker host.

#include "devbroker/net/tls_stream.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <catch2/catch.hpp>
#include <fstream>

#include "devbroker/certs/x509_build.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/net/broker_host.h"
#include "tests/support/broker_harness.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

namespace {

// A dev CA, a server certificate and a client certificate named "sensor-01", as files.
struct Pki {
  cs::test::TempDir dir;
  std::string ca, server_cert, server_key, client_cert, client_key;

  Pki() {
    const auto now = std::chrono::system_clock::now();
    const auto authority = *cs::certs::create_ca(now);
    const auto server = *cs::certs::issue_server_certificate(authority, {"localhost"}, now);
    const auto client = *cs::certs::issue_client_certificate(authority, "sensor-01", now);
    ca = save("ca.pem", authority.certificate_pem);
    server_cert = save("server.pem", server.certificate_pem);
    server_key = save("server.key", server.key_pem);
    client_cert = save("client.pem", client.certificate_pem);
    client_key = save("client.key", client.key_pem);
  }

  std::string save(const std::string& name, const std::string& text) const {
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  cs::net::TlsContextPtr server_context(bool require_client_cert) const {
    cs::net::TlsSettings settings{server_cert, server_key, std::nullopt};
    if (require_client_cert) settings.client_ca_file = ca;
    return *cs::net::make_server_tls_context(settings);
  }
};

// One TLS connection over loopback: the server side is a TlsStream, the client an Asio stream
// configured by `configure_client`.
struct Handshake {
  boost::system::error_code server_error;
  boost::system::error_code client_error;
  std::optional<cs::net::ClientCertificate> client_certificate;
  std::string version;
  std::string cipher;
};

Handshake handshake(const cs::net::TlsContextPtr& server_context,
                    const std::function<void(ssl::context&)>& configure_client) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  ssl::context client_context(ssl::context::tls_client);
  configure_client(client_context);
  ssl::stream<tcp::socket> client(io, client_context);
  client.lowest_layer().connect(acceptor.local_endpoint());
  cs::net::TlsStream server(acceptor.accept(), server_context);

  Handshake result;
  bool server_done = false, client_done = false;
  server.async_start([&](boost::system::error_code ec) {
    result.server_error = ec;
    server_done = true;
    // A failed server side closes, as the broker host does, so the client hears of it.
    if (ec) server.close();
  });
  client.async_handshake(ssl::stream_base::client, [&](boost::system::error_code ec) {
    result.client_error = ec;
    client_done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!(server_done && client_done) && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(100ms);
  }
  REQUIRE(server_done);
  REQUIRE(client_done);
  result.client_certificate = server.client_certificate();
  if (!result.client_error) {
    result.version = SSL_get_version(client.native_handle());
    result.cipher = SSL_get_cipher_name(client.native_handle());
  }
  server.close();
  io.run_for(100ms);
  return result;
}

void trust(ssl::context& client, const Pki& pki) {
  client.load_verify_file(pki.ca);
  client.set_verify_mode(ssl::verify_peer);
}

}  // namespace

TEST_CASE("TLS 1.3 by default, TLS 1.2 with ECDHE and AEAD only, nothing older",
          "[integration][tls]") {
  Pki pki;
  const auto context = pki.server_context(false);

  auto r = handshake(context, [&](ssl::context& c) { trust(c, pki); });
  CHECK_FALSE(r.server_error);
  CHECK(r.version == "TLSv1.3");

  r = handshake(context, [&](ssl::context& c) {
    trust(c, pki);
    SSL_CTX_set_max_proto_version(c.native_handle(), TLS1_2_VERSION);
  });
  CHECK_FALSE(r.server_error);
  CHECK(r.version == "TLSv1.2");
  CHECK(r.cipher == "ECDHE-ECDSA-AES128-GCM-SHA256");

  // A client offering only CBC or non-forward-secret suites is refused.
  for (const char* ciphers : {"ECDHE-ECDSA-AES128-SHA256", "AES128-GCM-SHA256"}) {
    INFO(ciphers);
    r = handshake(context, [&](ssl::context& c) {
      trust(c, pki);
      SSL_CTX_set_max_proto_version(c.native_handle(), TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(c.native_handle(), ciphers);
    });
    CHECK(r.server_error);
    CHECK(r.client_error);
  }

  // TLS 1.1, even from a client that allows it.
  r = handshake(context, [&](ssl::context& c) {
    trust(c, pki);
    SSL_CTX_set_security_level(c.native_handle(), 0);
    SSL_CTX_set_cipher_list(c.native_handle(), "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(c.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(c.native_handle(), TLS1_1_VERSION);
  });
  CHECK(r.server_error);
  CHECK(r.client_error);
}

TEST_CASE("a TLS stream exposes the verified client certificate's names",
          "[integration][tls][mtls]") {
  Pki pki;
  const auto context = pki.server_context(true);
  auto r = handshake(context, [&](ssl::context& c) {
    trust(c, pki);
    c.use_certificate_chain_file(pki.client_cert);
    c.use_private_key_file(pki.client_key, ssl::context::pem);
  });
  CHECK_FALSE(r.server_error);
  REQUIRE(r.client_certificate);
  CHECK(r.client_certificate->common_name == "sensor-01");
  CHECK(r.client_certificate->dns_names.empty());

  // Without a certificate the handshake fails, in TLS 1.2 as in 1.3.
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    r = handshake(context, [&](ssl::context& c) {
      trust(c, pki);
      SSL_CTX_set_max_proto_version(c.native_handle(), version);
    });
    CHECK(r.server_error);
    CHECK_FALSE(r.client_certificate);
  }

  // When no client certificate is asked for, none is reported.
  r = handshake(pki.server_context(false), [&](ssl::context& c) {
    trust(c, pki);
    c.use_certificate_chain_file(pki.client_cert);
    c.use_private_key_file(pki.client_key, ssl::context::pem);
  });
  CHECK_FALSE(r.server_error);
  CHECK_FALSE(r.client_certificate);
}

TEST_CASE("a connection that does not finish its handshake is closed after the timeout",
          "[integration][tls]") {
  Pki pki;
  asio::io_context io;
  cs::test::TestAuthorizer authorizer;
  cs::mqtt::Broker broker({}, authorizer, cs::mqtt::Clock::now());
  cs::net::BrokerHost host(io, broker);
  host.set_handshake_timeout(200ms);
  const auto context = pki.server_context(false);
  const auto port = host.listen("127.0.0.1", 0, [context](tcp::socket socket) {
    return std::unique_ptr<cs::net::Stream>(
        std::make_unique<cs::net::TlsStream>(std::move(socket), context));
  });
  REQUIRE(port);

  tcp::socket silent(io);
  silent.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), *port));
  const auto started = std::chrono::steady_clock::now();
  char byte = 0;
  std::optional<boost::system::error_code> read_error;
  silent.async_read_some(asio::buffer(&byte, 1),
                         [&](boost::system::error_code ec, std::size_t) { read_error = ec; });
  while (!read_error && std::chrono::steady_clock::now() < started + 5s) io.run_one_for(100ms);
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE(read_error);
  CHECK(*read_error == asio::error::eof);
  CHECK(waited >= 150ms);
  CHECK(waited < 2s);

  bool stopped = false;
  host.stop([&] { stopped = true; });
  while (!stopped) io.run_one_for(100ms);
}
