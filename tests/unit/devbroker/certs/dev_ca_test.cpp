#include "devbroker/certs/dev_ca.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "devbroker/certs/x509_info.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::certs::FileOutcome;
using cs::test::read_file;

namespace {

const cs::certs::SystemTime k_now = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1};
const std::vector<std::string> k_names = {"localhost", "127.0.0.1", "::1"};

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("the dev CA is created once, private, and reused afterwards", "[certs]") {
  cs::test::TempDir dir;
  const auto certs_dir = std::filesystem::path(dir.path()) / "certs";
  const auto files = cs::certs::dev_certificate_files(certs_dir);
  FileOutcome outcome = FileOutcome::reused;
  const auto ca = cs::certs::ensure_dev_ca(certs_dir, k_now, &outcome);
  REQUIRE(ca);
  CHECK(outcome == FileOutcome::created);
  CHECK(mode_of(certs_dir) == 0700);
  CHECK(mode_of(files.ca_key) == 0600);
  CHECK(mode_of(files.ca_cert) == 0644);
  CHECK(read_file(files.ca_cert) == ca->certificate_pem);

  const auto again = cs::certs::ensure_dev_ca(certs_dir, k_now + std::chrono::days(400), &outcome);
  REQUIRE(again);
  CHECK(outcome == FileOutcome::reused);
  CHECK(again->certificate_pem == ca->certificate_pem);
  CHECK(again->key_pem == ca->key_pem);
}

TEST_CASE("a broken dev CA is refused with a hint, never replaced silently", "[certs]") {
  cs::test::TempDir dir;
  const auto certs_dir = std::filesystem::path(dir.path()) / "certs";
  const auto files = cs::certs::dev_certificate_files(certs_dir);
  const auto ca = *cs::certs::ensure_dev_ca(certs_dir, k_now);
  const std::string hint =
      "remove " + certs_dir.string() + " to make a new CA (clients must then trust the new ca.pem)";

  SECTION("a missing key") {
    std::filesystem::remove(files.ca_key);
    const auto r = cs::certs::ensure_dev_ca(certs_dir, k_now);
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "the dev CA is incomplete: " + files.ca_key.string() + " is missing");
    CHECK(r.error().hint == hint);
  }
  SECTION("a key of another CA") {
    write(files.ca_key, cs::certs::create_ca(k_now)->key_pem);
    const auto r = cs::certs::ensure_dev_ca(certs_dir, k_now);
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          files.ca_key.string() + " does not belong to " + files.ca_cert.string());
  }
  SECTION("a CA about to expire") {
    const auto r = cs::certs::ensure_dev_ca(certs_dir, k_now + std::chrono::days(3630));
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "the dev CA in " + files.ca_cert.string() + " expires on 2036-02-27");
    CHECK(r.error().hint == hint);
  }
  CHECK(read_file(files.ca_cert) == ca.certificate_pem);
}

TEST_CASE("the server certificate is issued, reused, and renewed when due", "[certs]") {
  cs::test::TempDir dir;
  const auto certs_dir = std::filesystem::path(dir.path()) / "certs";
  const auto files = cs::certs::dev_certificate_files(certs_dir);
  const auto ca = *cs::certs::ensure_dev_ca(certs_dir, k_now);

  REQUIRE(cs::certs::ensure_server_certificate(certs_dir, ca, k_names, k_now) ==
          FileOutcome::created);
  CHECK(mode_of(files.server_key) == 0600);
  const std::string first = read_file(files.server_cert);
  const auto info = *cs::certs::inspect_certificate(first);
  CHECK(info.not_after == k_now + std::chrono::days(365));

  // 300 days on: 65 left, kept.
  const auto later = k_now + std::chrono::days(300);
  CHECK(cs::certs::ensure_server_certificate(certs_dir, ca, k_names, later) == FileOutcome::reused);
  CHECK(read_file(files.server_cert) == first);

  // 340 days on: 25 left, renewed for another year from then.
  const auto due = k_now + std::chrono::days(340);
  CHECK(cs::certs::ensure_server_certificate(certs_dir, ca, k_names, due) == FileOutcome::renewed);
  const std::string renewed = read_file(files.server_cert);
  CHECK(renewed != first);
  CHECK(cs::certs::inspect_certificate(renewed)->not_after == due + std::chrono::days(365));
}

TEST_CASE("the server certificate is issued again for a new name or a new CA", "[certs]") {
  cs::test::TempDir dir;
  const auto certs_dir = std::filesystem::path(dir.path()) / "certs";
  const auto files = cs::certs::dev_certificate_files(certs_dir);
  const auto ca = *cs::certs::ensure_dev_ca(certs_dir, k_now);
  REQUIRE(cs::certs::ensure_server_certificate(certs_dir, ca, k_names, k_now));

  auto names = k_names;
  names.push_back("192.168.1.20");
  CHECK(cs::certs::ensure_server_certificate(certs_dir, ca, names, k_now) == FileOutcome::renewed);
  CHECK(cs::certs::inspect_certificate(read_file(files.server_cert))->ip_addresses ==
        std::vector<std::string>{"127.0.0.1", "::1", "192.168.1.20"});

  const auto new_ca = *cs::certs::create_ca(k_now);
  CHECK(cs::certs::ensure_server_certificate(certs_dir, new_ca, names, k_now) ==
        FileOutcome::renewed);
  auto server = *cs::certs::parse_certificate(read_file(files.server_cert));
  auto issuer = *cs::certs::parse_certificate(new_ca.certificate_pem);
  CHECK(cs::certs::is_signed_by(server.get(), issuer.get()));

  write(files.server_key, "damaged");
  CHECK(cs::certs::ensure_server_certificate(certs_dir, new_ca, names, k_now) ==
        FileOutcome::renewed);
}

TEST_CASE("client certificates are written as NAME.pem and NAME.key, never over a file",
          "[certs]") {
  cs::test::TempDir dir;
  const auto ca = *cs::certs::ensure_dev_ca(std::filesystem::path(dir.path()) / "certs", k_now);
  const auto out = std::filesystem::path(dir.path()) / "clients";
  const auto files = cs::certs::write_client_certificate(ca, "sensor-01", out, k_now);
  REQUIRE(files);
  CHECK(files->certificate == out / "sensor-01.pem");
  CHECK(files->key == out / "sensor-01.key");
  CHECK(files->not_after == k_now + std::chrono::days(365));
  CHECK(mode_of(files->key) == 0600);
  CHECK(cs::certs::inspect_certificate(read_file(files->certificate))->common_name == "sensor-01");

  const auto again = cs::certs::write_client_certificate(ca, "sensor-01", out, k_now);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == cs::ErrorCode::conflict);
  CHECK(again.error().message == (out / "sensor-01.pem").string() + " already exists");

  CHECK(cs::certs::write_client_certificate(ca, "../escape", out, k_now).error().code ==
        cs::ErrorCode::usage);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir.path()) / "escape.pem"));
}
