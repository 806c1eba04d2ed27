// Where the store puts secrets, and how update and remove treat them (files: store_files_test).

#include "common/credentials/store.h"

#include <catch2/catch.hpp>

#include "common/fs/atomic_file.h"
#include "tests/unit/common/credentials/store_fixture.h"

using namespace cs::credentials;
using namespace cs::credentials::test;
using cs::ErrorCode;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("saving creates a private directory and file holding the profile", "[credentials]") {
  StoreFixture f;
  const auto outcome = f.store(StoreChoice::file).save("default", sample_session());
  REQUIRE(outcome);
  CHECK(outcome->storage == Storage::file);
  CHECK(outcome->notice.empty());
  CHECK(mode_of(f.dir) == 0700);
  CHECK(mode_of(f.file()) == 0600);
  CHECK(mode_of(f.dir / "credentials.lock") == 0600);
  CHECK(entries(f.dir) == std::vector<std::string>{"credentials.json", "credentials.lock"});
  const auto json = nlohmann::json::parse(f.text());
  CHECK(json["version"] == 1);
  const auto& p = json["profiles"]["default"];
  CHECK(p["storage"] == "file");
  CHECK(p["access_token"] == "at-1");
  CHECK(p["refresh_token"] == "rt-1");
  CHECK(p["email"] == "ada@example.com");
  CHECK(p["access_token_expires_at"] == "2026-01-15T14:00:00Z");
  CHECK(f.keyring.size() == 0);
  CHECK(f.warnings.empty());
}

TEST_CASE("reading a store that does not exist creates nothing", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  CHECK(store.list().value().empty());
  CHECK_FALSE(store.load("default").value());
  const auto secrets = store.resolve_secrets("default");
  REQUIRE_FALSE(secrets);
  CHECK(secrets.error().code == ErrorCode::not_found);
  CHECK(secrets.error().message == "there is no profile \"default\"");
  CHECK(secrets.error().hint == "sign in with `cloudsignal login`");
  const auto updated = store.update("work", [](Session&) -> cs::Result<void> { return {}; });
  CHECK(updated.error().hint == "sign in with `cloudsignal login --profile work`");
  CHECK(store.remove("default").error().code == ErrorCode::not_found);
  CHECK_FALSE(std::filesystem::exists(f.dir));
}

TEST_CASE("with a keyring that answers, the file holds only a reference", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  const auto outcome = store.save("default", sample_session("at-secret", "rt-secret"));
  REQUIRE(outcome);
  CHECK(outcome->storage == Storage::keyring);
  CHECK(outcome->notice.empty());
  CHECK(f.keyring.item(f.key_dir(), "default", SecretKind::access_token) == "at-secret");
  CHECK(f.keyring.item(f.key_dir(), "default", SecretKind::refresh_token) == "rt-secret");
  CHECK(f.keyring.size() == 2);
  CHECK_FALSE(contains(f.text(), "secret"));
  CHECK(nlohmann::json::parse(f.text())["profiles"]["default"]["storage"] == "keyring");

  const auto profile = store.load("default").value();
  REQUIRE(profile);
  CHECK(profile->storage == Storage::keyring);
  CHECK(profile->email == "ada@example.com");
  const auto secrets = store.resolve_secrets("default").value();
  CHECK(secrets.access_token == "at-secret");
  CHECK(secrets.refresh_token == "rt-secret");
  CHECK_FALSE(secrets.api_key);
}

TEST_CASE("without a keyring, secrets go into the file and the caller is told", "[credentials]") {
  StoreFixture f;
  f.keyring.available = false;
  const auto outcome = f.store().save("default", sample_session());
  REQUIRE(outcome);
  CHECK(outcome->storage == Storage::file);
  CHECK(outcome->notice ==
        "no OS keyring took the secrets (there is no D-Bus session bus); those of "
        "profile \"default\" are stored in " +
            f.file().string() + ", readable only by you");
  CHECK(contains(f.text(), "\"access_token\": \"at-1\""));

  StoreFixture g;
  const auto none = g.store(StoreChoice::automatic, false).save("ci", sample_session());
  REQUIRE(none);
  CHECK(none->storage == Storage::file);
  CHECK(contains(none->notice, "(cloudsignal has no keyring support here)"));
}

TEST_CASE("a keyring that refuses the secrets falls back to the file unless forced",
          "[credentials]") {
  StoreFixture f;
  f.keyring.refuse_store = true;
  const auto outcome = f.store().save("default", sample_session());
  REQUIRE(outcome);
  CHECK(outcome->storage == Storage::file);
  CHECK(contains(outcome->notice, "(the keyring is locked)"));
  CHECK(f.store().resolve_secrets("default")->access_token == "at-1");

  StoreFixture g;
  g.keyring.refuse_store = true;
  const auto forced = g.store(StoreChoice::keyring).save("default", sample_session());
  REQUIRE_FALSE(forced);
  CHECK(forced.error().message == "the keyring is locked");
  CHECK_FALSE(std::filesystem::exists(g.file()));
}

TEST_CASE("CLOUDSIGNAL_CREDENTIALS_STORE=keyring without a keyring fails and writes nothing",
          "[credentials]") {
  StoreFixture f;
  f.keyring.available = false;
  const auto r = f.store(StoreChoice::keyring).save("default", sample_session());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::unavailable);
  CHECK(r.error().message ==
        "CLOUDSIGNAL_CREDENTIALS_STORE is \"keyring\", but no OS keyring answers: there is no "
        "D-Bus session bus");
  CHECK(r.error().hint ==
        "start a Secret Service such as gnome-keyring, or set CLOUDSIGNAL_CREDENTIALS_STORE=file");
  CHECK_FALSE(std::filesystem::exists(f.file()));
  CHECK(f.store(StoreChoice::keyring, false).save("default", sample_session()).error().message ==
        "CLOUDSIGNAL_CREDENTIALS_STORE is \"keyring\", but no OS keyring answers: cloudsignal has "
        "no keyring support here");
}

TEST_CASE("CLOUDSIGNAL_CREDENTIALS_STORE=file keeps secrets out of a working keyring",
          "[credentials]") {
  StoreFixture f;
  const auto outcome = f.store(StoreChoice::file).save("default", sample_session());
  REQUIRE(outcome);
  CHECK(outcome->storage == Storage::file);
  CHECK(outcome->notice.empty());
  CHECK(f.keyring.size() == 0);
}

TEST_CASE("update rewrites a profile and its secrets, or nothing when it fails", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  REQUIRE(store.save("default", sample_session()));
  const auto rotated = store.update("default", [](Session& s) -> cs::Result<void> {
    CHECK(s.secrets.refresh_token == "rt-1");
    s.secrets.access_token = "at-2";
    s.secrets.refresh_token = "rt-2";
    s.profile.access_token_expires_at = cs::SysSeconds{std::chrono::seconds{1768489200}};
    return {};
  });
  REQUIRE(rotated);
  CHECK(rotated->storage == Storage::keyring);
  CHECK(f.keyring.item(f.key_dir(), "default", SecretKind::refresh_token) == "rt-2");
  CHECK(store.load("default").value()->access_token_expires_at ==
        cs::SysSeconds{std::chrono::seconds{1768489200}});

  const std::string before = f.text();
  const auto refused = store.update("default", [](Session& s) -> cs::Result<void> {
    s.secrets.refresh_token = "rt-3";
    s.profile.email = "mallory@example.com";
    return cs::fail(ErrorCode::unauthorized, "session expired, run `cloudsignal login`");
  });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::unauthorized);
  CHECK(f.text() == before);
  CHECK(f.keyring.item(f.key_dir(), "default", SecretKind::refresh_token) == "rt-2");
}

TEST_CASE("a secret kind the new session lacks leaves the keyring", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  REQUIRE(store.save("default", sample_session()));
  Session with_key = sample_session();
  with_key.secrets = Secrets{};
  with_key.secrets.api_key = "sk_live";
  REQUIRE(store.save("default", with_key));
  CHECK(f.keyring.size() == 1);
  CHECK(f.keyring.item(f.key_dir(), "default", SecretKind::api_key) == "sk_live");
  CHECK(store.resolve_secrets("default").value() == with_key.secrets);
}

TEST_CASE("moving a profile from the keyring to the file deletes the keyring copies",
          "[credentials]") {
  StoreFixture f;
  REQUIRE(f.store().save("default", sample_session()));
  REQUIRE(f.keyring.size() == 2);
  const auto moved =
      f.store(StoreChoice::file).update("default", [](Session& s) -> cs::Result<void> {
        s.secrets.access_token = "at-2";
        return {};
      });
  REQUIRE(moved);
  CHECK(moved->storage == Storage::file);
  CHECK(f.keyring.size() == 0);
  CHECK(f.store().resolve_secrets("default")->access_token == "at-2");
  CHECK(f.store().resolve_secrets("default")->refresh_token == "rt-1");
}

TEST_CASE("removing a profile deletes its secrets from wherever they are", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  REQUIRE(store.save("default", sample_session("at-k", "rt-k")));
  REQUIRE(f.store(StoreChoice::file).save("work", sample_session("at-f", "rt-f")));
  REQUIRE(f.keyring.size() == 2);

  REQUIRE(store.remove("default"));
  CHECK(f.keyring.size() == 0);
  REQUIRE(store.remove("work"));
  CHECK_FALSE(contains(f.text(), "at-f"));
  CHECK(store.list().value().empty());
  CHECK(store.remove("work").error().code == ErrorCode::not_found);
  CHECK(f.warnings.empty());
}

TEST_CASE("a keyring that cannot delete is reported, and the profile still goes", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  REQUIRE(store.save("default", sample_session()));
  f.keyring.refuse_erase = true;
  REQUIRE(store.remove("default"));
  CHECK_FALSE(store.load("default").value());
  REQUIRE(f.warnings.size() == 1);
  CHECK(f.warnings[0] ==
        "the secrets of profile \"default\" could not be deleted from the OS keyring: the keyring "
        "is locked");
}

TEST_CASE("secrets in a keyring that no longer answers are an error naming the profile",
          "[credentials]") {
  StoreFixture f;
  REQUIRE(f.store().save("work", sample_session()));
  f.keyring.available = false;
  const auto r = f.store().resolve_secrets("work");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::unavailable);
  CHECK(r.error().message ==
        "the secrets of profile \"work\" are in the OS keyring, which does not answer: there is "
        "no D-Bus session bus");
  CHECK(r.error().hint ==
        "unlock or start the OS keyring (a Secret Service such as gnome-keyring), or sign in "
        "again with CLOUDSIGNAL_CREDENTIALS_STORE=file");
  // Even CLOUDSIGNAL_CREDENTIALS_STORE=file reads secrets where the profile says they are.
  f.keyring.available = true;
  CHECK(f.store(StoreChoice::file).resolve_secrets("work")->access_token == "at-1");
}

TEST_CASE("two credential directories never share keyring secrets", "[credentials]") {
  StoreFixture f;
  REQUIRE(f.store().save("default", sample_session("at-a", "rt-a")));
  StoreOptions options;
  options.keyring = &f.keyring;
  const CredentialStore other(std::filesystem::path(f.tmp.path()) / "other", options);
  REQUIRE(other.save("default", sample_session("at-b", "rt-b")));
  CHECK(f.keyring.size() == 4);
  CHECK(f.store().resolve_secrets("default")->access_token == "at-a");
  CHECK(other.resolve_secrets("default")->access_token == "at-b");
  REQUIRE(other.remove("default"));
  CHECK(f.store().resolve_secrets("default")->access_token == "at-a");
}

TEST_CASE("every operation checks the profile name first", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  CHECK(store.save("../evil", sample_session()).error().code == ErrorCode::usage);
  CHECK(store.load("a b").error().code == ErrorCode::usage);
  CHECK(store.resolve_secrets("").error().code == ErrorCode::usage);
  CHECK(store.remove("x/y").error().code == ErrorCode::usage);
  CHECK(store.update("x.y", [](Session&) -> cs::Result<void> { return {}; }).error().code ==
        ErrorCode::usage);
  CHECK_FALSE(std::filesystem::exists(f.dir));
}

TEST_CASE("profiles that cannot be read back are refused before anything is written",
          "[credentials]") {
  StoreFixture f;
  Session s = sample_session();
  s.profile.api_url = "mqtt://broker";
  const auto r = f.store().save("default", s);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "profile \"default\": api_url is not an http(s) URL");
  CHECK(f.keyring.size() == 0);
  CHECK_FALSE(std::filesystem::exists(f.file()));
}

TEST_CASE("the number of profiles is bounded", "[credentials]") {
  StoreFixture f;
  REQUIRE(cs::fs::make_private_dir(f.dir));
  Document full;
  for (std::size_t i = 0; i < k_max_profiles; ++i) {
    StoredProfile p;
    p.profile.api_url = "https://api.cloudsignal.io";
    full.profiles.emplace("p" + std::to_string(i), p);
  }
  REQUIRE(write_document(f.file(), full));
  const auto store = f.store(StoreChoice::file);
  const auto r = store.save("one-more", sample_session());
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "there are already 100 profiles");
  CHECK(store.save("p7", sample_session()));
  CHECK(store.list()->size() == k_max_profiles);
}

TEST_CASE("list returns every profile by name without secrets", "[credentials]") {
  StoreFixture f;
  const auto store = f.store();
  REQUIRE(store.save("work", sample_session()));
  REQUIRE(store.save("default", sample_session()));
  const auto all = store.list().value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "default");
  CHECK(all[1].name == "work");
  CHECK(all[1].profile.org_short_id == "abc123");
}
