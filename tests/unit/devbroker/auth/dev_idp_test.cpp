// The dev identity provider's keys survive a restart, in private files.

#include "devbroker/auth/dev_idp.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "devbroker/auth/key_cache.h"
#include "tests/support/process.h"
#include "tests/unit/devbroker/auth/fake_fetcher.h"

using namespace cs::auth;
using namespace std::chrono_literals;
namespace stdfs = std::filesystem;

namespace {

const std::chrono::sys_seconds now{std::chrono::seconds(1'900'000'000)};
const SteadyTime steady = SteadyTime{} + 1000h;

unsigned mode_of(const stdfs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

Provider dev_provider(ProviderType type) {
  Provider p;
  p.id = "prv_dev";
  p.type = type;
  p.config = dev_provider_config(type);
  p.dev = true;
  return p;
}

}  // namespace

TEST_CASE("dev idp keys: made once, reused after a restart", "[dev_idp]") {
  cs::test::TempDir tmp;
  const stdfs::path dir = stdfs::path(tmp.path()) / "idp";
  const auto first = load_or_create_dev_idp(dir).value();
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(dir / k_dev_idp_rsa_file) == 0600);
  CHECK(mode_of(dir / k_dev_idp_ec_file) == 0600);
  CHECK(cs::test::read_file((dir / k_dev_idp_rsa_file).string())
            .starts_with("-----BEGIN PRIVATE KEY-----"));

  const auto second = load_or_create_dev_idp(dir).value();
  cs::test::FakeFetcher fetcher;
  KeyCache cache(fetcher);
  IdpVerifier after_restart(cache, &second);
  for (auto type : {ProviderType::supabase, ProviderType::clerk}) {  // ES256 and RS256
    const auto p = dev_provider(type);
    const auto token = first.mint(p, {"a@example.com", "", 600s}, now).value();
    CHECK(after_restart.verify(p, token, now, steady).value().email == "a@example.com");
  }
  // Fresh keys elsewhere do not verify them.
  cs::test::TempDir other_tmp;
  const auto other = load_or_create_dev_idp(stdfs::path(other_tmp.path()) / "idp").value();
  IdpVerifier stranger(cache, &other);
  const auto p = dev_provider(ProviderType::auth0);
  CHECK(stranger.verify(p, first.mint(p, {"a@example.com", "", 600s}, now).value(), now, steady)
            .error()
            .reason == "bad_signature");
}

TEST_CASE("dev idp keys: a missing half makes a new pair, a damaged file is an error",
          "[dev_idp]") {
  cs::test::TempDir tmp;
  const stdfs::path dir = stdfs::path(tmp.path()) / "idp";
  REQUIRE(load_or_create_dev_idp(dir));
  const auto old_rsa = cs::test::read_file((dir / k_dev_idp_rsa_file).string());
  stdfs::remove(dir / k_dev_idp_ec_file);
  REQUIRE(load_or_create_dev_idp(dir));
  CHECK(stdfs::exists(dir / k_dev_idp_ec_file));
  CHECK(cs::test::read_file((dir / k_dev_idp_rsa_file).string()) != old_rsa);

  std::ofstream(dir / k_dev_idp_rsa_file) << "not a key";
  const auto damaged = load_or_create_dev_idp(dir);
  REQUIRE_FALSE(damaged);
  CHECK(damaged.error().code == cs::ErrorCode::io);
  CHECK(damaged.error().message.starts_with("the dev identity provider's keys in " + dir.string() +
                                            " cannot be read"));
  CHECK(cs::test::read_file((dir / k_dev_idp_rsa_file).string()) == "not a key");  // untouched

  // The two keys swapped: each file must hold its own type.
  const auto ec = cs::test::read_file((dir / k_dev_idp_ec_file).string());
  std::ofstream(dir / k_dev_idp_rsa_file) << ec;
  CHECK_FALSE(load_or_create_dev_idp(dir));
}

TEST_CASE("dev providers: valid configs, named by type", "[dev_idp]") {
  for (auto type : {ProviderType::supabase, ProviderType::firebase, ProviderType::auth0,
                    ProviderType::clerk, ProviderType::oidc}) {
    INFO(provider_type_name(type));
    CHECK(validate_provider_config(type, dev_provider_config(type)));
    CHECK(dev_provider_name(type) == "dev-" + std::string(provider_type_name(type)));
  }
}
