#include "common/credentials/schema.h"

#include <catch2/catch.hpp>
#include <string>

using namespace cs::credentials;
using namespace std::chrono;

namespace {

StoredProfile file_profile() {
  StoredProfile p;
  p.profile.api_url = "https://api.cloudsignal.io";
  p.profile.email = "ada@example.com";
  p.profile.org_id = "org_123";
  p.profile.org_short_id = "abc123";
  p.profile.access_token_expires_at = cs::SysSeconds{seconds{1768482000}};
  p.profile.storage = Storage::file;
  p.file_secrets.access_token = "at-secret";
  p.file_secrets.refresh_token = "rt-secret";
  return p;
}

// The problem parse_document reports for `text`, which must be a corrupt file.
std::string corruption(const std::string& text) {
  const auto r = parse_document(text);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::io);
  CHECK(r.error().reason == k_reason_corrupt);
  return r.error().message;
}

std::string with_profile(const std::string& members) {
  return R"({"version": 1, "profiles": {"default": {)" + members + "}}}";
}

}  // namespace

TEST_CASE("credentials serialise to the documented version 1 shape", "[credentials]") {
  Document d;
  d.profiles.emplace("default", file_profile());
  StoredProfile dev;
  dev.profile.api_url = "http://127.0.0.1:18080";
  dev.profile.storage = Storage::keyring;
  d.profiles.emplace("dev", dev);
  CHECK(serialize_document(d) == R"({
  "profiles": {
    "default": {
      "access_token": "at-secret",
      "access_token_expires_at": "2026-01-15T13:00:00Z",
      "api_url": "https://api.cloudsignal.io",
      "email": "ada@example.com",
      "org_id": "org_123",
      "org_short_id": "abc123",
      "refresh_token": "rt-secret",
      "storage": "file"
    },
    "dev": {
      "api_url": "http://127.0.0.1:18080",
      "storage": "keyring"
    }
  },
  "version": 1
}
)");
}

TEST_CASE("credentials round-trip through their text", "[credentials]") {
  Document d;
  d.profiles.emplace("default", file_profile());
  StoredProfile ci;
  ci.profile.api_url = "https://api.example.com/base";
  ci.file_secrets.api_key = "sk_abc";
  d.profiles.emplace("ci", ci);
  const auto back = parse_document(serialize_document(d));
  REQUIRE(back);
  REQUIRE(back->profiles.size() == 2);
  CHECK(back->profiles.at("default").profile == file_profile().profile);
  CHECK(back->profiles.at("default").file_secrets == file_profile().file_secrets);
  CHECK(back->profiles.at("ci").file_secrets.api_key == "sk_abc");
  CHECK_FALSE(back->profiles.at("ci").profile.email);
  CHECK(parse_document(R"({"version": 1, "profiles": {}})")->profiles.empty());
}

TEST_CASE("credentials keep members this version does not know", "[credentials]") {
  const auto d = parse_document(R"({"version": 1, "theme": {"x": [1, 2]}, "profiles": {"default":
      {"api_url": "https://a.example", "storage": "file", "region": "eu", "email": null}}})");
  REQUIRE(d);
  CHECK_FALSE(d->profiles.at("default").profile.email);
  const auto text = serialize_document(*d);
  const auto again = parse_document(text);
  REQUIRE(again);
  CHECK(again->unknown == nlohmann::json::parse(R"({"theme": {"x": [1, 2]}})"));
  CHECK(again->profiles.at("default").unknown == nlohmann::json::parse(R"({"region": "eu"})"));
}

TEST_CASE("a credentials file that is not JSON of the right shape is corrupt", "[credentials]") {
  CHECK(corruption("") == "not valid JSON");
  CHECK(corruption("{\"version\": 1, \"profiles\": {\"default\": {\"access_token\": \"eyJh") ==
        "not valid JSON");
  CHECK(corruption(R"({"version": 1, "version": 1, "profiles": {}})") == "not valid JSON");
  CHECK(corruption("[1]") == "not a JSON object");
  CHECK(corruption(R"({"profiles": {}})") == "no \"version\" member");
  CHECK(corruption(R"({"version": "1", "profiles": {}})") == "\"version\" is not an integer");
  CHECK(corruption(R"({"version": 1.0, "profiles": {}})") == "\"version\" is not an integer");
  CHECK(corruption(R"({"version": 0, "profiles": {}})") ==
        "\"version\" is not one cloudsignal writes");
  CHECK(corruption(R"({"version": -3, "profiles": {}})") ==
        "\"version\" is not one cloudsignal writes");
  CHECK(corruption(R"({"version": 1})") == "\"profiles\" is missing or not an object");
  CHECK(corruption(R"({"version": 1, "profiles": []})") ==
        "\"profiles\" is missing or not an object");
  CHECK(corruption(R"({"version": 1, "profiles": {"../etc": {}}})") == "an invalid profile name");
  CHECK(corruption(R"({"version": 1, "profiles": {"default": 3}})") ==
        "profile \"default\": is not a JSON object");
  CHECK(corruption(with_profile(R"("storage": "file")")) ==
        "profile \"default\": api_url is missing");
  CHECK(corruption(with_profile(R"("api_url": 7, "storage": "file")")) ==
        "profile \"default\": api_url is not a string");
  CHECK(corruption(with_profile(R"("api_url": "ftp://x", "storage": "file")")) ==
        "profile \"default\": api_url is not an http(s) URL");
  CHECK(corruption(with_profile(R"("api_url": "https://a.example")")) ==
        "profile \"default\": storage is missing");
  CHECK(corruption(with_profile(R"("api_url": "https://a.example", "storage": "memory")")) ==
        "profile \"default\": storage is neither \"keyring\" nor \"file\"");
  CHECK(
      corruption(with_profile(
          R"("api_url": "https://a.example", "storage": "file", "access_token_expires_at": "soon")")) ==
      "profile \"default\": access_token_expires_at is not an RFC 3339 time");
  CHECK(corruption(
            with_profile(R"("api_url": "https://a.example", "storage": "file", "email": [])")) ==
        "profile \"default\": email is not a string");
  CHECK(corruption(with_profile(
            R"("api_url": "https://a.example", "storage": "keyring", "refresh_token": "r")")) ==
        "profile \"default\": storage is \"keyring\" but the file holds secrets");
}

TEST_CASE("a corrupt credentials file is described without quoting it", "[credentials]") {
  const std::string secret = "rt-9f8e7d6c5b4a";
  for (const std::string& text :
       {R"({"version": 1, "profiles": {"default": {"refresh_token": ")" + secret,
        with_profile(R"("api_url": "https://a.example", "storage": "x", "refresh_token": ")" +
                     secret + "\""),
        with_profile(R"("api_url": ")" + secret + R"(", "storage": "file")")}) {
    const auto r = parse_document(text);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find(secret) == std::string::npos);
  }
}

TEST_CASE("credentials files have bounded size, profile count and field length", "[credentials]") {
  CHECK(corruption(std::string(k_max_file_bytes + 1, ' ')) == "larger than 1 MiB");
  std::string many = R"({"version": 1, "profiles": {)";
  for (std::size_t i = 0; i <= k_max_profiles; ++i) {
    if (i > 0) many += ",";
    many += "\"p" + std::to_string(i) + R"(": {"api_url": "https://a.example", "storage": "file"})";
  }
  CHECK(corruption(many + "}}") == "more than 100 profiles");
  const std::string long_token(k_max_field_bytes + 1, 'a');
  CHECK(corruption(with_profile(
            R"("api_url": "https://a.example", "storage": "file", "access_token": ")" + long_token +
            "\"")) == "profile \"default\": access_token is longer than 16384 bytes");
  CHECK(parse_document(
      with_profile(R"("api_url": "https://a.example", "storage": "file", "access_token": ")" +
                   std::string(k_max_field_bytes, 'a') + "\"")));
}

TEST_CASE("a credentials file from a newer cloudsignal is refused, not called corrupt",
          "[credentials]") {
  const auto r = parse_document(R"({"version": 2, "profiles": {"default": {"new": true}}})");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == cs::ErrorCode::io);
  CHECK(r.error().reason == k_reason_newer_version);
  CHECK(r.error().message ==
        "written by a newer cloudsignal (file version 2, this cloudsignal reads version 1)");
  CHECK(r.error().hint == "upgrade cloudsignal");
}

TEST_CASE("a profile is validated before it is written", "[credentials]") {
  CHECK(validate_profile("default", file_profile()));
  CHECK(validate_profile("bad name", file_profile()).error().code == cs::ErrorCode::usage);

  auto p = file_profile();
  p.profile.api_url = "not a url";
  CHECK(validate_profile("default", p).error().message ==
        "profile \"default\": api_url is not an http(s) URL");

  p = file_profile();
  p.profile.email = std::string("bad\xff utf-8");
  const auto utf8 = validate_profile("default", p);
  REQUIRE_FALSE(utf8);
  CHECK(utf8.error().code == cs::ErrorCode::invalid_request);
  CHECK(utf8.error().message == "profile \"default\": has text that is not valid UTF-8");

  p = file_profile();
  p.file_secrets.access_token = std::string(k_max_field_bytes + 1, 'a');
  CHECK(validate_profile("default", p).error().message ==
        "profile \"default\": access_token is longer than 16384 bytes");

  p = file_profile();
  p.profile.storage = Storage::keyring;
  CHECK(validate_profile("default", p).error().message ==
        "profile \"default\": storage is \"keyring\" but the file holds secrets");
}

TEST_CASE("a profile may name its key file and a CA, both round-trip", "[credentials]") {
  const auto d = parse_document(with_profile(
      R"("api_url": "http://127.0.0.1:18080", "storage": "file",
         "api_key_file": "/home/ada/.cloudsignal/dev/admin.key",
         "ca_file": "/home/ada/.cloudsignal/dev/certs/ca.pem")"));
  REQUIRE(d);
  const Profile& p = d->profiles.at("default").profile;
  CHECK(p.api_key_file == "/home/ada/.cloudsignal/dev/admin.key");
  CHECK(p.ca_file == "/home/ada/.cloudsignal/dev/certs/ca.pem");
  CHECK(d->profiles.at("default").unknown.empty());
  const auto back = parse_document(serialize_document(*d));
  REQUIRE(back);
  CHECK(back->profiles.at("default").profile == p);
  CHECK(corruption(with_profile(R"("api_url": "https://a.example.com", "storage": "file",
                                   "ca_file": 7)")) ==
        "profile \"default\": ca_file is not a string");
}
