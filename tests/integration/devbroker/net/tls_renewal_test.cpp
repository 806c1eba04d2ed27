// The dev server certificate renewed while the broker runs, in-process on loopback with a clock
// the test moves: new TLS handshakes get the new certificate, open connections carry on.

#include "devbroker/net/tls_renewal.h"

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <openssl/x509.h>

#include "devbroker/certs/x509_info.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/codec.h"
#include "devbroker/net/broker_host.h"
#include "devbroker/net/tls_stream.h"
#include "tests/support/broker_harness.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using cs::certs::FileOutcome;
using SystemTime = std::chrono::system_clock::time_point;

namespace {

const std::vector<std::string> k_names = {"localhost", "127.0.0.1", "::1"};

// Runs `io` until `done` or 5 s; false on timeout.
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(20ms);
  return done();
}

// An MQTT client over TLS that trusts `ca_file` as of `verify_time` (the test's clock, so that a
// certificate issued "in the future" verifies).
class TlsClient {
 public:
  TlsClient(asio::io_context& io, const std::string& ca_file, SystemTime verify_time)
      : m_io(io), m_context(ssl::context::tls_client), m_stream(io, init(ca_file, verify_time)) {}

  boost::system::error_code connect(std::uint16_t port) {
    boost::system::error_code result;
    bool done = false;
    m_stream.next_layer().async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
        [&](boost::system::error_code ec) {
          if (ec) {
            result = ec;
            done = true;
            return;
          }
          m_stream.async_handshake(ssl::stream_base::client, [&](boost::system::error_code e) {
            result = e;
            done = true;
          });
        });
    if (!run_until(m_io, [&] { return done; })) return asio::error::timed_out;
    return result;
  }

  // The certificate the server presented.
  cs::certs::CertificateInfo server_certificate() {
    X509* cert = SSL_get0_peer_certificate(m_stream.native_handle());
    REQUIRE(cert != nullptr);
    return cs::certs::describe_certificate(cert);
  }

  // Sends `packet` and returns the first packet the broker answers with.
  cs::mqtt::Packet exchange(const cs::mqtt::Packet& packet) {
    cs::Bytes out;
    cs::mqtt::encode(packet, cs::mqtt::Version::v311, out);
    bool written = false;
    asio::async_write(m_stream, asio::buffer(out),
                      [&](boost::system::error_code ec, std::size_t) { written = !ec; });
    REQUIRE(run_until(m_io, [&] { return written; }));
    std::array<std::uint8_t, 2> header{};
    bool read = false;
    asio::async_read(m_stream, asio::buffer(header),
                     [&](boost::system::error_code ec, std::size_t) { read = !ec; });
    REQUIRE(run_until(m_io, [&] { return read; }));
    std::vector<std::uint8_t> body(header[1]);
    if (!body.empty()) {
      read = false;
      asio::async_read(m_stream, asio::buffer(body),
                       [&](boost::system::error_code ec, std::size_t) { read = !ec; });
      REQUIRE(run_until(m_io, [&] { return read; }));
    }
    cs::mqtt::FixedHeader h{};
    auto parsed = cs::mqtt::read_fixed_header(cs::ByteView(header.data(), 2), 1 << 20);
    REQUIRE(parsed);
    REQUIRE(parsed->has_value());
    h = **parsed;
    auto decoded =
        cs::mqtt::decode(h, cs::ByteView(body.data(), body.size()), cs::mqtt::Version::v311);
    REQUIRE(decoded);
    return std::move(*decoded);
  }

 private:
  ssl::context& init(const std::string& ca_file, SystemTime verify_time) {
    m_context.load_verify_file(ca_file);
    m_context.set_verify_mode(ssl::verify_peer);
    X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(m_context.native_handle()),
                               std::chrono::system_clock::to_time_t(verify_time));
    return m_context;
  }

  asio::io_context& m_io;
  ssl::context m_context;
  ssl::stream<tcp::socket> m_stream;
};

cs::mqtt::Connect connect_packet(const std::string& client_id) {
  cs::mqtt::Connect c;
  c.version = cs::mqtt::Version::v311;
  c.client_id = client_id;
  c.keep_alive = 60;
  return c;
}

// A broker host serving MQTTS with the dev certificate of a fresh data directory, and the
// renewal that keeps it current, on a clock the test sets.
struct Fixture {
  cs::test::TempDir dir;
  std::filesystem::path certs_dir = std::filesystem::path(dir.path()) / "certs";
  cs::certs::DevCertificateFiles files = cs::certs::dev_certificate_files(certs_dir);
  SystemTime now = std::chrono::system_clock::now();
  cs::net::TlsSettings settings{files.server_cert, files.server_key, std::nullopt};
  asio::io_context io;
  cs::test::TestAuthorizer authorizer;
  cs::mqtt::Broker broker{{}, authorizer, cs::mqtt::Clock::now()};
  cs::net::BrokerHost host{io, broker};
  std::unique_ptr<cs::net::TlsContextHolder> holder;
  std::unique_ptr<cs::net::TlsRenewal> renewal;
  std::uint16_t port = 0;

  explicit Fixture(std::chrono::milliseconds interval) {
    auto ca = cs::certs::ensure_dev_ca(certs_dir, now);
    REQUIRE(ca);
    REQUIRE(cs::certs::ensure_server_certificate(certs_dir, *ca, k_names, now));
    auto context = cs::net::make_server_tls_context(settings);
    REQUIRE(context);
    holder = std::make_unique<cs::net::TlsContextHolder>(*context);
    renewal = std::make_unique<cs::net::TlsRenewal>(
        io, cs::net::TlsRenewalSettings{certs_dir, k_names, settings, interval}, *holder,
        [this] { return now; });
    auto bound = host.listen("127.0.0.1", 0, [this](tcp::socket socket) {
      return std::unique_ptr<cs::net::Stream>(
          std::make_unique<cs::net::TlsStream>(std::move(socket), holder->current()));
    });
    REQUIRE(bound);
    port = *bound;
    host.start();
  }

  ~Fixture() {
    renewal->stop();
    bool stopped = false;
    host.stop([&] { stopped = true; });
    while (!stopped) io.run_one_for(20ms);
  }
};

}  // namespace

TEST_CASE("the server certificate is renewed while the broker runs, open connections go on",
          "[integration][tls]") {
  Fixture f(50ms);
  REQUIRE(f.renewal->check() == FileOutcome::reused);  // nothing due yet
  f.renewal->start();

  TlsClient before(f.io, f.files.ca_cert, f.now);
  REQUIRE_FALSE(before.connect(f.port));
  const auto first = before.server_certificate();
  REQUIRE(std::holds_alternative<cs::mqtt::Connack>(before.exchange(connect_packet("before"))));

  // 340 days on, the certificate expires within the renewal margin: a periodic check renews it.
  const auto old_context = f.holder->current();
  f.now += std::chrono::days(340);
  REQUIRE(run_until(f.io, [&] { return f.holder->current() != old_context; }));

  TlsClient after(f.io, f.files.ca_cert, f.now);
  REQUIRE_FALSE(after.connect(f.port));
  const auto second = after.server_certificate();
  CHECK(second.not_after > first.not_after + std::chrono::days(300));
  CHECK(second.not_after - f.now > cs::certs::k_renew_before);
  CHECK(second.dns_names == first.dns_names);
  CHECK(second.ip_addresses == first.ip_addresses);
  REQUIRE(std::holds_alternative<cs::mqtt::Connack>(after.exchange(connect_packet("after"))));

  // The connection opened before the renewal still works, on its old certificate.
  CHECK(std::holds_alternative<cs::mqtt::Pingresp>(before.exchange(cs::mqtt::Pingreq{})));
  // And the files on disk are the new pair.
  const auto on_disk = cs::certs::inspect_certificate(cs::test::read_file(f.files.server_cert));
  REQUIRE(on_disk);
  CHECK(on_disk->not_after == second.not_after);
}

TEST_CASE("a renewal that fails keeps serving the certificate in use", "[integration][tls]") {
  Fixture f(1h);
  const auto old_context = f.holder->current();
  // Past the dev CA's own end: no certificate can be issued, and the check says why.
  f.now += std::chrono::days(3650);
  const auto outcome = f.renewal->check();
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().message.find("the dev CA in ") == 0);
  CHECK(f.holder->current() == old_context);

  TlsClient client(f.io, f.files.ca_cert, std::chrono::system_clock::now());
  REQUIRE_FALSE(client.connect(f.port));
  CHECK(std::holds_alternative<cs::mqtt::Connack>(client.exchange(connect_packet("still"))));
}
