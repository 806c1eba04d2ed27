#include "common/credentials/profile.h"

#include <catch2/catch.hpp>
#include <string>

using namespace cs::credentials;

TEST_CASE("profile names are short and plain", "[credentials]") {
  for (const char* name : {"default", "dev", "work-eu", "ci_2", "A", "x-_-9", "-"}) {
    INFO(name);
    CHECK(validate_profile_name(name));
  }
  CHECK(validate_profile_name(std::string(64, 'p')));
  CHECK(validate_profile_name("").error().message == "the profile name is empty");
  CHECK(validate_profile_name(std::string(65, 'p')).error().message ==
        "the profile name is longer than 64 characters");
  for (const char* name : {"../x", "a/b", "a b", "a.b", "\xc3\xa9t\xc3\xa9", "a\nb", "x;y"}) {
    INFO(name);
    const auto r = validate_profile_name(name);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == cs::ErrorCode::usage);
    CHECK(r.error().message == "invalid profile name \"" + std::string(name) + "\"");
    CHECK(r.error().hint == "use 1 to 64 letters, digits, '-' or '_'");
  }
}

TEST_CASE("CLOUDSIGNAL_CREDENTIALS_STORE chooses where secrets go", "[credentials]") {
  CHECK(parse_store_choice(std::nullopt).value() == StoreChoice::automatic);
  CHECK(parse_store_choice("").value() == StoreChoice::automatic);
  CHECK(parse_store_choice("file").value() == StoreChoice::file);
  CHECK(parse_store_choice("keyring").value() == StoreChoice::keyring);
  for (const char* bad : {"File", "KEYRING", "auto", "files", " file"}) {
    INFO(bad);
    const auto r = parse_store_choice(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == cs::ErrorCode::usage);
    CHECK(r.error().message ==
          "CLOUDSIGNAL_CREDENTIALS_STORE must be \"file\" or \"keyring\", not \"" +
              std::string(bad) + "\"");
  }
}

TEST_CASE("secret kinds and storages have their file names", "[credentials]") {
  CHECK(secret_kind_name(SecretKind::access_token) == "access_token");
  CHECK(secret_kind_name(SecretKind::refresh_token) == "refresh_token");
  CHECK(secret_kind_name(SecretKind::api_key) == "api_key");
  CHECK(storage_name(Storage::keyring) == "keyring");
  CHECK(storage_name(Storage::file) == "file");
  CHECK(parse_storage("keyring") == Storage::keyring);
  CHECK(parse_storage("file") == Storage::file);
  CHECK_FALSE(parse_storage("memory"));

  Secrets secrets;
  CHECK(secrets.empty());
  secrets.get(SecretKind::api_key) = "sk_x";
  CHECK(secrets.api_key == "sk_x");
  CHECK_FALSE(secrets.empty());
}
