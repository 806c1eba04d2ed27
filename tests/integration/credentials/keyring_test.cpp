// The credential store with a real Secret Service: GNOME Keyring in a private D-Bus session
// (ctest runs this binary through with_keyring.sh), read back with libsecret's secret-tool.

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/credentials/libsecret_backend.h"
#include "common/credentials/store.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using namespace cs::credentials;
using cs::test::read_file;
using cs::test::run_process;

namespace {

struct KeyringFixture {
  cs::test::TempDir tmp;
  std::filesystem::path dir = std::filesystem::path(tmp.path()) / ".cloudsignal";
  LibsecretBackend backend;

  CredentialStore store(StoreChoice choice = StoreChoice::automatic) {
    StoreOptions options;
    options.choice = choice;
    options.keyring = &backend;
    return CredentialStore(dir, options);
  }
  std::string key_dir() const { return std::filesystem::weakly_canonical(dir).string(); }
};

// What secret-tool finds under `profile` and `kind` in the schema; empty when nothing.
std::string keyring_item(const std::string& directory, const std::string& profile,
                         const std::string& kind) {
  const auto r =
      run_process({"secret-tool", "lookup", "xdg:schema", std::string(k_libsecret_schema),
                   "directory", directory, "profile", profile, "kind", kind},
                  10s);
  return r.exit_code == 0 ? r.out : std::string();
}

// How many items of the schema the keyring holds.
std::size_t keyring_count() {
  const auto r = run_process(
      {"secret-tool", "search", "--all", "xdg:schema", std::string(k_libsecret_schema)}, 10s);
  const std::string text = r.out + r.err;  // secret-tool splits an item over both streams
  std::size_t count = 0;
  for (auto at = text.find("label = "); at != std::string::npos;
       at = text.find("label = ", at + 1)) {
    ++count;
  }
  return count;
}

Session session(std::string access, std::string refresh) {
  Session s;
  s.profile.api_url = "https://api.cloudsignal.io";
  s.profile.email = "ada@example.com";
  s.secrets.access_token = std::move(access);
  s.secrets.refresh_token = std::move(refresh);
  return s;
}

}  // namespace

TEST_CASE("the libsecret backend stores, finds and deletes secrets in a real Secret Service",
          "[integration][keyring]") {
  LibsecretBackend backend;
  REQUIRE(backend.probe());
  const SecretKey key{"/nowhere/.cloudsignal", "default", SecretKind::refresh_token};
  REQUIRE(backend.lookup(key).value() == std::nullopt);
  REQUIRE(backend.store(key, "rt-first"));
  REQUIRE(backend.store(key, "rt-second"));
  CHECK(backend.lookup(key).value() == "rt-second");
  CHECK(keyring_item(key.directory, "default", "refresh_token") == "rt-second");
  CHECK(keyring_count() == 1);
  CHECK(keyring_item(key.directory, "default", "access_token").empty());
  REQUIRE(backend.erase(key));
  CHECK(backend.lookup(key).value() == std::nullopt);
  CHECK(keyring_item(key.directory, "default", "refresh_token").empty());
  CHECK(backend.erase(key));
}

TEST_CASE("with a Secret Service, secrets live in the keyring and only a reference in the file",
          "[integration][keyring]") {
  KeyringFixture f;
  const auto store = f.store();
  const auto saved = store.save("default", session("at-kr-1", "rt-kr-1"));
  REQUIRE(saved);
  CHECK(saved->storage == Storage::keyring);
  CHECK(saved->notice.empty());
  const std::string text = read_file((f.dir / "credentials.json").string());
  CHECK(text.find("kr-1") == std::string::npos);
  CHECK(text.find("\"storage\": \"keyring\"") != std::string::npos);
  CHECK(keyring_item(f.key_dir(), "default", "access_token") == "at-kr-1");
  CHECK(keyring_item(f.key_dir(), "default", "refresh_token") == "rt-kr-1");
  CHECK(store.resolve_secrets("default").value() == session("at-kr-1", "rt-kr-1").secrets);

  REQUIRE(store.update("default", [](Session& s) -> cs::Result<void> {
    s.secrets.access_token = "at-kr-2";
    s.secrets.refresh_token = "rt-kr-2";
    return {};
  }));
  CHECK(keyring_item(f.key_dir(), "default", "refresh_token") == "rt-kr-2");
  CHECK(keyring_count() == 2);

  REQUIRE(store.remove("default"));
  CHECK(keyring_item(f.key_dir(), "default", "access_token").empty());
  CHECK(keyring_item(f.key_dir(), "default", "refresh_token").empty());
  CHECK(keyring_count() == 0);
  CHECK_FALSE(store.load("default").value());
}

TEST_CASE("CLOUDSIGNAL_CREDENTIALS_STORE=file keeps secrets out of a running keyring",
          "[integration][keyring]") {
  KeyringFixture f;
  const auto saved = f.store(StoreChoice::file).save("default", session("at-f", "rt-f"));
  REQUIRE(saved);
  CHECK(saved->storage == Storage::file);
  CHECK(keyring_count() == 0);
  CHECK(read_file((f.dir / "credentials.json").string()).find("\"access_token\": \"at-f\"") !=
        std::string::npos);

  // Saved again without the override, the secrets move into the keyring and out of the file.
  REQUIRE(f.store().save("default", session("at-k", "rt-k"))->storage == Storage::keyring);
  CHECK(keyring_count() == 2);
  CHECK(read_file((f.dir / "credentials.json").string()).find("at-") == std::string::npos);

  // And back: forced to the file, the keyring copies are deleted.
  REQUIRE(f.store(StoreChoice::file).update("default", [](Session&) -> cs::Result<void> {
    return {};
  }));
  CHECK(keyring_count() == 0);
  CHECK(f.store().resolve_secrets("default")->refresh_token == "rt-k");
}

TEST_CASE("a process with CLOUDSIGNAL_CREDENTIALS_STORE=keyring stores into the Secret Service",
          "[integration][keyring]") {
  cs::test::TempDir tmp;
  const auto dir = std::filesystem::path(tmp.path()) / "creds";
  const auto r =
      run_process({CS_CREDENTIALS_CHILD, "save", "3000", dir.string(), "ci", "at-c", "rt-c"}, 30s,
                  {}, {{"CLOUDSIGNAL_CREDENTIALS_STORE", "keyring"}});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "storage=keyring\nnotice=\n");
  CHECK(keyring_item(std::filesystem::weakly_canonical(dir).string(), "ci", "access_token") ==
        "at-c");
}
