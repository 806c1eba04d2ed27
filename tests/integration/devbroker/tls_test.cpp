// MQTTS with Debian's mosquitto_pub and mosquitto_sub: the dev CA, refusals, mutual TLS, and a
// server certificate of the user's own.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "devbroker/certs/x509_build.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;
using cs::test::read_file;
using cs::test::run_process;
using cs::test::TempDir;

namespace {

struct ClientFiles {
  std::string cert;
  std::string key;
};

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

ClientFiles write_pair(const TempDir& dir, const std::string& name, const cs::certs::Issued& pair) {
  ClientFiles files{dir.path() + "/" + name + ".pem", dir.path() + "/" + name + ".key"};
  write(files.cert, pair.certificate_pem);
  write(files.key, pair.key_pem);
  return files;
}

cs::certs::Issued dev_ca(const DevBroker& dev) {
  return {read_file(dev.data_dir() + "/certs/ca.pem"), read_file(dev.data_dir() + "/certs/ca.key")};
}

// mosquitto_pub or mosquitto_sub against the MQTTS port with `tls` options (--cafile, --cert..).
cs::test::ProcessResult mosquitto(const char* tool, const DevBroker& dev, const std::string& host,
                                  std::vector<std::string> tls, std::vector<std::string> args) {
  std::vector<std::string> argv = {tool, "-h", host, "-p", std::to_string(dev.mqtts_port())};
  argv.insert(argv.end(), tls.begin(), tls.end());
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_process(argv, 10s);
  INFO(r.err);
  return r;
}

// Publishes a retained message to `topic` and reads it back with a second client.
bool round_trip(const DevBroker& dev, const std::vector<std::string>& tls, const std::string& topic,
                const std::string& version = "mqttv311", const std::string& host = "localhost") {
  const auto pub = mosquitto("mosquitto_pub", dev, host, tls,
                             {"-V", version, "-t", topic, "-r", "-q", "1", "-m", "over tls"});
  if (pub.exit_code != 0) return false;
  const auto sub = mosquitto("mosquitto_sub", dev, host, tls,
                             {"-V", version, "-t", topic, "-C", "1", "-W", "5", "-v"});
  return sub.exit_code == 0 && sub.out == topic + " over tls\n";
}

// True when mosquitto_pub cannot publish with `tls`; its stderr goes to `err`.
bool refused(const DevBroker& dev, const std::vector<std::string>& tls, std::string& err) {
  const auto r = mosquitto("mosquitto_pub", dev, "localhost", tls, {"-t", "t", "-m", "x"});
  err = r.err;
  return r.exit_code != 0;
}

}  // namespace

TEST_CASE("mosquitto clients talk MQTTS, verifying the dev CA and the server's name",
          "[integration][tls][mosquitto]") {
  DevBroker dev;
  REQUIRE(dev.ca_file() == dev.data_dir() + "/certs/ca.pem");
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    for (const std::string host : {"localhost", "127.0.0.1"}) {
      INFO(v << " via " << host);
      CHECK(round_trip(dev, {"--cafile", dev.ca_file()}, "tls/" + v + "/" + host, v, host));
    }
  }
}

TEST_CASE("a client trusting another CA refuses the server", "[integration][tls][mosquitto]") {
  DevBroker dev;
  TempDir dir;
  const std::string other_ca = dir.path() + "/other-ca.pem";
  write(other_ca, cs::certs::create_ca(std::chrono::system_clock::now())->certificate_pem);
  std::string err;
  CHECK(refused(dev, {"--cafile", other_ca}, err));
  CHECK(err.find("A TLS error occurred") != std::string::npos);
  CHECK(round_trip(dev, {"--cafile", dev.ca_file()}, "still/serving"));
}

TEST_CASE("a plain TCP client on the MQTTS port is cut off", "[integration][tls][mosquitto]") {
  DevBroker dev;
  std::string err;
  CHECK(refused(dev, {}, err));
  CHECK(err.find("The connection was lost") != std::string::npos);
  CHECK(round_trip(dev, {"--cafile", dev.ca_file()}, "still/serving"));
  const auto log = dev.process().err();
  CHECK(log.find("not opened: wrong version number") != std::string::npos);
}

TEST_CASE("with --require-client-cert only clients with a dev CA certificate get in",
          "[integration][tls][mtls][mosquitto]") {
  DevBroker dev({"--allow-anonymous", "--require-client-cert"});
  TempDir dir;
  const auto issued = run_process({cs::test::cloudsignal_binary(), "dev", "issue-client-cert",
                                   "sensor-01", "--out", dir.path(), "--data-dir", dev.data_dir()},
                                  10s);
  REQUIRE(issued.exit_code == 0);
  const ClientFiles good{dir.path() + "/sensor-01.pem", dir.path() + "/sensor-01.key"};
  const std::vector<std::string> ca = {"--cafile", dev.ca_file()};
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    INFO(v);
    CHECK(round_trip(dev, {"--cafile", dev.ca_file(), "--cert", good.cert, "--key", good.key},
                     "mtls/" + v, v));
  }

  std::string err;
  SECTION("no certificate") {
    CHECK(refused(dev, ca, err));
  }
  SECTION("an expired certificate") {
    const auto now = std::chrono::system_clock::now();
    const auto old = write_pair(
        dir, "old",
        *cs::certs::issue_client_certificate(dev_ca(dev), "old", now - 48h, std::chrono::days(1)));
    CHECK(refused(dev, {"--cafile", dev.ca_file(), "--cert", old.cert, "--key", old.key}, err));
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (dev.process().err().find("certificate has expired") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    CHECK(dev.process().err().find("certificate has expired") != std::string::npos);
  }
  SECTION("a certificate from another CA") {
    const auto now = std::chrono::system_clock::now();
    const auto foreign_ca = *cs::certs::create_ca(now);
    const auto foreign =
        write_pair(dir, "foreign", *cs::certs::issue_client_certificate(foreign_ca, "x", now));
    CHECK(refused(dev, {"--cafile", dev.ca_file(), "--cert", foreign.cert, "--key", foreign.key},
                  err));
  }
  SECTION("the server's own certificate, which is not for client authentication") {
    CHECK(refused(dev,
                  {"--cafile", dev.ca_file(), "--cert", dev.data_dir() + "/certs/server.pem",
                   "--key", dev.data_dir() + "/certs/server.key"},
                  err));
  }
}

TEST_CASE("a client certificate authenticates as the user it names, within that user's topics",
          "[integration][tls][mtls][mosquitto]") {
  DevBroker dev({"--require-client-cert"});  // no anonymous clients: the certificate is the login
  TempDir dir;
  REQUIRE(run_process({cs::test::cloudsignal_binary(), "dev", "issue-client-cert", "sensor-02",
                       "--out", dir.path(), "--data-dir", dev.data_dir()},
                      10s)
              .exit_code == 0);
  const std::vector<std::string> cert = {"--cafile", dev.ca_file(),
                                         "--cert",   dir.path() + "/sensor-02.pem",
                                         "--key",    dir.path() + "/sensor-02.key"};
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    INFO(v);
    CHECK(round_trip(dev, cert, "users/sensor-02/" + v, v));
    // The starter rule gives the user its own subtree only: elsewhere nothing is delivered.
    CHECK_FALSE(round_trip(dev, cert, "users/sensor-03/" + v, v));
  }
}

TEST_CASE("dev --client-ca verifies client certificates against another CA",
          "[integration][tls][mtls][mosquitto]") {
  TempDir dir;
  const auto now = std::chrono::system_clock::now();
  const auto company_ca = *cs::certs::create_ca(now);
  write(dir.path() + "/company-ca.pem", company_ca.certificate_pem);
  const auto theirs =
      write_pair(dir, "theirs", *cs::certs::issue_client_certificate(company_ca, "theirs", now));
  DevBroker dev({"--allow-anonymous", "--require-client-cert", "--client-ca",
                 dir.path() + "/company-ca.pem"});
  CHECK(round_trip(dev, {"--cafile", dev.ca_file(), "--cert", theirs.cert, "--key", theirs.key},
                   "company/ok"));
  const auto ours =
      write_pair(dir, "ours", *cs::certs::issue_client_certificate(dev_ca(dev), "ours", now));
  std::string err;
  CHECK(refused(dev, {"--cafile", dev.ca_file(), "--cert", ours.cert, "--key", ours.key}, err));
}

TEST_CASE("dev --tls-cert and --tls-key serve a certificate of the user's own",
          "[integration][tls][mosquitto]") {
  TempDir dir;
  const auto now = std::chrono::system_clock::now();
  const auto own_ca = *cs::certs::create_ca(now);
  write(dir.path() + "/own-ca.pem", own_ca.certificate_pem);
  const auto server = write_pair(
      dir, "server",
      *cs::certs::issue_server_certificate(own_ca, {"localhost", "127.0.0.1", "::1"}, now));
  DevBroker dev({"--allow-anonymous", "--tls-cert", server.cert, "--tls-key", server.key});
  CHECK(dev.ca_file().empty());  // null: the dev CA did not sign what is served
  CHECK(round_trip(dev, {"--cafile", dir.path() + "/own-ca.pem"}, "own/cert"));
  CHECK_FALSE(std::filesystem::exists(dev.data_dir() + "/certs/server.pem"));
}

TEST_CASE("dev refuses TLS settings that cannot work, naming the file", "[integration][tls][dev]") {
  TempDir dir;
  const auto now = std::chrono::system_clock::now();
  const auto ca = *cs::certs::create_ca(now);
  const auto a = write_pair(dir, "a", *cs::certs::issue_server_certificate(ca, {"localhost"}, now));
  const auto b = write_pair(dir, "b", *cs::certs::issue_server_certificate(ca, {"localhost"}, now));
  const auto start = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {cs::test::cloudsignal_binary(),
                                     "dev",
                                     "--data-dir",
                                     dir.path() + "/data",
                                     "--mqtt-port",
                                     "0",
                                     "--mqtts-port",
                                     "0",
                                     "--ws-port",
                                     "0",
                                     "--wss-port",
                                     "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, 10s);
  };
  auto r = start({"--tls-cert", dir.path() + "/missing.pem", "--tls-key", a.key});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: cannot use " + dir.path() +
                     "/missing.pem as the TLS certificate: No such file or directory\n");
  r = start({"--tls-cert", a.cert, "--tls-key", b.key});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: " + b.key + " is not the private key of " + a.cert + "\n");
  r = start({"--tls-cert", a.cert});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("error: --tls-cert requires --tls-key") == 0);
  r = start({"--client-ca", a.cert});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("error: --client-ca requires --require-client-cert") == 0);
}
