// `cloudsignal dev ca` and `cloudsignal dev issue-client-cert`, in-process.

#include "cli/commands/dev_certs.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/app.h"
#include "devbroker/certs/x509_info.h"
#include "tests/support/process.h"

using cs::test::read_file;

namespace {

const auto k_now = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1};

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> args, std::optional<std::string> home = std::nullopt) {
  std::ostringstream out, err;
  cs::cli::Context ctx{out, err, [home](std::string_view name) -> std::optional<std::string> {
                         if (name == "HOME") return home;
                         return std::nullopt;
                       }};
  ctx.now = [] { return k_now; };
  const int code = cs::cli::run_cli(args, ctx);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("dev ca prints the CA path, creating the CA on first use", "[cli][certs]") {
  cs::test::TempDir dir;
  const std::string ca = dir.path() + "/certs/ca.pem";
  auto r = run({"dev", "ca", "--data-dir", dir.path()});
  CHECK(r.code == 0);
  CHECK(r.out == ca + "\n");
  CHECK(r.err == "created a local CA: " + ca + "\n");

  r = run({"dev", "--data-dir", dir.path(), "ca"});
  CHECK(r.code == 0);
  CHECK(r.out == ca + "\n");
  CHECK(r.err.empty());

  r = run({"dev", "ca", "--pem", "--data-dir", dir.path()});
  CHECK(r.code == 0);
  CHECK(r.out == read_file(ca));
  CHECK(r.out.rfind("-----BEGIN CERTIFICATE-----\n", 0) == 0);
}

TEST_CASE("with -q or --quiet, only the result and errors are printed", "[cli][certs]") {
  cs::test::TempDir dir;
  const std::string ca = dir.path() + "/certs/ca.pem";
  auto r = run({"-q", "dev", "ca", "--data-dir", dir.path()});
  CHECK(r.code == 0);
  CHECK(r.out == ca + "\n");
  CHECK(r.err.empty());
  // After the command too; errors still speak.
  r = run({"dev", "issue-client-cert", "sensor-1", "--out", dir.path(), "--quiet", "--data-dir",
           dir.path()});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("sensor-1.pem") != std::string::npos);
  r = run({"dev", "issue-client-cert", "bad/name", "--out", dir.path(), "-q", "--data-dir",
           dir.path()});
  CHECK(r.code != 0);
  CHECK(r.err.rfind("error: ", 0) == 0);
}

TEST_CASE("dev ca defaults to ~/.cloudsignal/dev", "[cli][certs]") {
  cs::test::TempDir home;
  const auto r = run({"dev", "ca"}, home.path());
  CHECK(r.code == 0);
  CHECK(r.out == home.path() + "/.cloudsignal/dev/certs/ca.pem\n");
  CHECK(run({"dev", "ca"}).err ==
        "error: HOME is not set, so there is no default data directory\n"
        "hint: pass --data-dir DIR\n");
}

TEST_CASE("dev issue-client-cert writes a certificate and a private key", "[cli][certs]") {
  cs::test::TempDir dir;
  const std::string out_dir = dir.path() + "/clients";
  auto r =
      run({"dev", "issue-client-cert", "sensor-01", "--out", out_dir, "--data-dir", dir.path()});
  CHECK(r.code == 0);
  CHECK(r.out == out_dir + "/sensor-01.pem\n" + out_dir + "/sensor-01.key\n");
  CHECK(r.err.find("issued a client certificate for sensor-01, valid until 2027-03-01T00:00:00Z, "
                   "signed by " +
                   dir.path() + "/certs/ca.pem\n") != std::string::npos);
  struct stat st {};
  REQUIRE(stat((out_dir + "/sensor-01.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const auto info = cs::certs::inspect_certificate(read_file(out_dir + "/sensor-01.pem"));
  REQUIRE(info);
  CHECK(info->common_name == "sensor-01");

  r = run({"dev", "issue-client-cert", "sensor-01", "--out", out_dir, "--data-dir", dir.path()});
  CHECK(r.code == 5);
  CHECK(r.err == "error: " + out_dir + "/sensor-01.pem already exists\n" +
                     "hint: remove it, or choose another directory with --out\n");
}

TEST_CASE("dev issue-client-cert refuses a name unfit for a file or a certificate",
          "[cli][certs]") {
  cs::test::TempDir dir;
  const auto r = run({"dev", "issue-client-cert", "../x", "--data-dir", dir.path()});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "error: not a usable client certificate name: '../x'\n"
        "hint: use 1 to 64 letters, digits, '.', '_', '-' or '@', not starting with '.' or "
        "'-'\n");
  CHECK(run({"dev", "issue-client-cert", "--data-dir", dir.path()}).code == 2);  // no NAME
}
