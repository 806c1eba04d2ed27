#include "devbroker/auth/names.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>

#include "common/crypto/random.h"

using cs::auth::derive_name;
using cs::auth::derive_unique_name;
using cs::auth::EmailTrust;
using cs::auth::k_max_name_length;
using cs::auth::OrgRefKind;
using cs::auth::sanitise_name;
using cs::auth::StableId;
using cs::auth::UsernameClaim;
using nlohmann::json;

namespace {

std::string name_problem(std::string_view name) {
  const auto valid = cs::auth::validate_name(name);
  return valid ? std::string("(valid)") : valid.error().message;
}

std::string native_problem(std::string_view name) {
  const auto valid = cs::auth::validate_native_name(name);
  return valid ? std::string("(valid)") : valid.error().message;
}

bool is_canonical_uuid(std::string_view text) {
  const auto normalised = cs::auth::normalise_uuid(text);
  return normalised && *normalised == text;
}

// The derived name as text, or the refusal as "reason: message".
std::string derived(const json& claims, UsernameClaim claim = UsernameClaim::email,
                    EmailTrust trust = EmailTrust::as_given) {
  const auto name = derive_name(claims, claim, trust);
  if (name) return *name;
  CHECK(name.error().code == cs::ErrorCode::invalid_token);
  return name.error().reason + ": " + name.error().message;
}

}  // namespace

TEST_CASE("names: any identity's name is plain text without MQTT specials", "[names]") {
  for (std::string_view good : {"alice", "john_example_com", "google-oauth2|1234", "Jöhn Doe", "a$",
                                "%", "x.y:z", "用户"}) {
    INFO(good);
    CHECK(name_problem(good) == "(valid)");
  }
  CHECK(name_problem(std::string(k_max_name_length, 'a')) == "(valid)");
  CHECK(name_problem("") == "a name must not be empty");
  CHECK(name_problem(std::string(k_max_name_length + 1, 'a')) ==
        "a name must be at most 128 bytes");
  const std::string forbidden = "a name must not contain '+', '#', '/', '@' or control characters";
  for (std::string_view bad : {"a+b", "#", "a/b", "a@b", "tab\there", "new\nline", "del\x7f",
                               "c1\xc2\x85"
                               "control",
                               "esc\x1b"}) {
    INFO(bad);
    CHECK(name_problem(bad) == forbidden);
  }
  CHECK(name_problem(std::string_view("a\0b", 3)) == forbidden);
  CHECK(name_problem("$SYS") == "a name must not start with '$'");
}

TEST_CASE("names: native user names are letters, digits, '_' and '-'", "[names]") {
  for (std::string_view good : {"a", "sensor_01", "Sensor-01", "A_b-C"}) {
    INFO(good);
    CHECK(native_problem(good) == "(valid)");
  }
  CHECK(native_problem(std::string(64, 'x')) == "(valid)");
  CHECK(native_problem("") == "a user name must be 1 to 64 characters long");
  CHECK(native_problem(std::string(65, 'x')) == "a user name must be 1 to 64 characters long");
  for (std::string_view bad : {"a b", "a.b", "a@b", "a/b", "jöhn", "a+", "%", "$x"}) {
    INFO(bad);
    CHECK(native_problem(bad) == "a user name may only contain letters, digits, '_' and '-'");
  }
}

TEST_CASE("names: org short ids are org_ and 12 lowercase letters or digits", "[names]") {
  CHECK(cs::auth::is_org_short_id("org_k7xm4pqr2n5t"));
  CHECK(cs::auth::is_org_short_id("org_000000000000"));
  for (std::string_view bad :
       {"", "org_", "org_k7xm4pqr2n5", "org_k7xm4pqr2n5tt", "org_K7XM4PQR2N5T", "ORG_k7xm4pqr2n5t",
        "org-k7xm4pqr2n5t", "org_k7xm4pqr2n5_", "xorg_k7xm4pqr2n5", "org_k7xm4pqr2n5\xc3"}) {
    INFO(bad);
    CHECK_FALSE(cs::auth::is_org_short_id(bad));
  }
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = cs::auth::generate_org_short_id();
    CHECK(cs::auth::is_org_short_id(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 50);
}

TEST_CASE("names: UUIDs are read in either case and written in lowercase", "[names]") {
  CHECK(cs::auth::normalise_uuid("123e4567-e89b-12d3-a456-426614174000") ==
        "123e4567-e89b-12d3-a456-426614174000");
  CHECK(cs::auth::normalise_uuid("123E4567-E89B-12D3-A456-426614174ABC") ==
        "123e4567-e89b-12d3-a456-426614174abc");
  CHECK(cs::auth::normalise_uuid("00000000-0000-0000-0000-000000000000"));
  for (std::string_view bad :
       {"", "123e4567e89b12d3a456426614174000", "{123e4567-e89b-12d3-a456-426614174000}",
        "urn:uuid:123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-42661417400",
        "123e4567-e89b-12d3-a456-4266141740000", "123e4567-e89b-12d3-a456_426614174000",
        "123e4567-e89b-12d3-a4560426614174000", "g23e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-42661417400 ", "123e456-7e89b-12d3-a456-426614174000"}) {
    INFO(bad);
    const auto uuid = cs::auth::normalise_uuid(bad);
    REQUIRE_FALSE(uuid);
    CHECK(uuid.error().message ==
          "an organization UUID must have the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  }
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string uuid = cs::crypto::random_uuid_v4();
    INFO(uuid);
    CHECK(is_canonical_uuid(uuid));
    CHECK(uuid[14] == '4');
    CHECK(std::string_view("89ab").find(uuid[19]) != std::string_view::npos);
    seen.insert(uuid);
  }
  CHECK(seen.size() == 50);
}

TEST_CASE("names: MQTT usernames are <name>@<org short id or UUID>", "[names]") {
  auto short_id = cs::auth::parse_mqtt_username("sensor_01@org_k7xm4pqr2n5t");
  REQUIRE(short_id);
  CHECK(short_id->name == "sensor_01");
  CHECK(short_id->org == "org_k7xm4pqr2n5t");
  CHECK(short_id->org_kind == OrgRefKind::short_id);

  auto uuid =
      cs::auth::parse_mqtt_username("john_example_com@123E4567-E89B-12D3-A456-426614174000");
  REQUIRE(uuid);
  CHECK(uuid->name == "john_example_com");
  CHECK(uuid->org == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(uuid->org_kind == OrgRefKind::uuid);

  auto derived_sub = cs::auth::parse_mqtt_username("google-oauth2|1234@org_k7xm4pqr2n5t");
  REQUIRE(derived_sub);
  CHECK(derived_sub->name == "google-oauth2|1234");

  const auto message = [](std::string_view username) {
    const auto parsed = cs::auth::parse_mqtt_username(username);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == cs::ErrorCode::invalid_request);
    return parsed.error().message;
  };
  const std::string shape = "an MQTT username must have the form <name>@<organization id>";
  CHECK(message("sensor_01") == shape);
  CHECK(message("") == shape);
  CHECK(message("john@example.com@org_k7xm4pqr2n5t") == shape);
  CHECK(message("a@org_k7xm4pqr2n5t@") == shape);
  CHECK(message("@org_k7xm4pqr2n5t") == "a name must not be empty");
  CHECK(message("a/b@org_k7xm4pqr2n5t") ==
        "a name must not contain '+', '#', '/', '@' or control characters");
  CHECK(message("$SYS@org_k7xm4pqr2n5t") == "a name must not start with '$'");
  const std::string org =
      "the organization after '@' must be an org short id (org_ and 12 lowercase letters or "
      "digits) or an organization UUID";
  for (std::string_view bad : {"a@", "a@org_K7XM4PQR2N5T", "a@org_k7xm4pqr2n5", "a@k7xm4pqr2n5t",
                               "a@123e4567e89b12d3a456426614174000", "a@example.com"}) {
    INFO(bad);
    CHECK(message(bad) == org);
  }
}

TEST_CASE("names: sanitising turns every other character into '_'", "[names]") {
  CHECK(sanitise_name("john@example.com") == "john_example_com");
  CHECK(sanitise_name("John.Doe+tag@Example.COM") == "John_Doe_tag_Example_COM");
  CHECK(sanitise_name("a-b_c") == "a-b_c");
  CHECK(sanitise_name("a/b#c+d e") == "a_b_c_d_e");
  CHECK(sanitise_name("$SYS") == "_SYS");
  CHECK(sanitise_name("jöhn@x.com") == "j_hn_x_com");   // one '_' per character
  CHECK(sanitise_name("a\xf0\x9f\x98\x80z") == "a_z");  // a four-byte character
  CHECK(sanitise_name("\x80\x80z") == "__z");           // stray continuation bytes count
  CHECK(sanitise_name(std::string_view("a\0b", 3)) == "a_b");
  CHECK(sanitise_name("@") == "_");
  CHECK(sanitise_name("") == "");
  const std::string long_email = std::string(200, 'x') + "@example.com";
  CHECK(sanitise_name(long_email) == std::string(k_max_name_length, 'x'));
}

TEST_CASE("names: the name comes from the email or the sub as the provider says", "[names]") {
  const json both = {{"sub", "user-1"}, {"email", "john@example.com"}};
  CHECK(derived(both) == "john_example_com");
  CHECK(derived(both, UsernameClaim::sub) == "user-1");
  CHECK(derived({{"sub", "user-1"}}) == "user-1");
  CHECK(derived({{"sub", "user-1"}, {"email", ""}}) == "user-1");
  CHECK(derived({{"sub", "user-1"}, {"email", 42}}) == "user-1");
  CHECK(derived({{"sub", "user-1"}, {"email", nullptr}}) == "user-1");
  CHECK(derived({{"sub", "auth0|abc"}, {"email", "a@b.c"}, {"email_verified", false}}) ==
        "a_b_c");  // only Firebase asks for verification
  CHECK(derived({{"email", "john@example.com"}}) == "john_example_com");
}

TEST_CASE("names: Firebase uses the email only when email_verified is true", "[names]") {
  const auto firebase = [](const json& claims) {
    return derived(claims, UsernameClaim::email, EmailTrust::verified_only);
  };
  CHECK(firebase({{"sub", "uid1"}, {"email", "j@x.io"}, {"email_verified", true}}) == "j_x_io");
  CHECK(firebase({{"sub", "uid1"}, {"email", "j@x.io"}, {"email_verified", false}}) == "uid1");
  CHECK(firebase({{"sub", "uid1"}, {"email", "j@x.io"}}) == "uid1");
  CHECK(firebase({{"sub", "uid1"}, {"email", "j@x.io"}, {"email_verified", "true"}}) == "uid1");
  CHECK(firebase({{"sub", "uid1"}, {"email", "j@x.io"}, {"email_verified", 1}}) == "uid1");
  CHECK(firebase({{"email", "j@x.io"}, {"email_verified", false}}) ==
        "bad_identity: the token has no usable email and no sub to name its user by");
}

TEST_CASE("names: a sub that cannot be a name is refused as bad_identity", "[names]") {
  const std::string prefix = "bad_identity: the token's sub cannot be used as a name: ";
  CHECK(derived({{"sub", ""}}) == prefix + "a name must not be empty");
  for (std::string_view bad : {"a/b", "a+b", "a#b", "a@b", "line\nbreak"}) {
    INFO(bad);
    CHECK(derived({{"sub", bad}}, UsernameClaim::sub) ==
          prefix + "a name must not contain '+', '#', '/', '@' or control characters");
  }
  CHECK(derived({{"sub", std::string("a\0b", 3)}}) ==
        prefix + "a name must not contain '+', '#', '/', '@' or control characters");
  CHECK(derived({{"sub", "$SYS"}}) == prefix + "a name must not start with '$'");
  CHECK(derived({{"sub", std::string(129, 's')}}) == prefix + "a name must be at most 128 bytes");
  CHECK(derived({{"sub", std::string(128, 's')}}) == std::string(128, 's'));
  CHECK(derived({{"sub", 12345}}) ==
        "bad_identity: the token has no usable email and no sub to name its user by");
  CHECK(derived({{"email", "a@b.c"}}, UsernameClaim::sub) ==
        "bad_identity: the token has no usable email and no sub to name its user by");
  CHECK(derived(json::array({"sub"})) == "bad_identity: the token's claims are not a JSON object");
}

TEST_CASE("names: a taken name gets a suffix derived from the stable id", "[names]") {
  const StableId user1{"supabase", "user-1"};
  const StableId user2{"supabase", "user-2"};
  const auto nothing_taken = [](std::string_view) { return false; };
  const auto base_taken = [](std::string_view name) { return name == "john_example_com"; };

  CHECK(derive_unique_name("john_example_com", user1, nothing_taken) == "john_example_com");
  // SHA-256("8:supabase" "user-1") starts 3dc74755b24ccecc; names are stored, so this is fixed.
  CHECK(derive_unique_name("john_example_com", user1, base_taken) == "john_example_com_3dc74755");
  CHECK(derive_unique_name("john_example_com", user1, base_taken) == "john_example_com_3dc74755");
  CHECK(derive_unique_name("john_example_com", user2, base_taken) == "john_example_com_da5ed09a");

  // The provider is part of the stable id, and the two parts cannot run into each other.
  const auto a = derive_unique_name("x", {"auth0", "user-1"}, [](auto n) { return n == "x"; });
  const auto b = derive_unique_name("x", {"auth", "0user-1"}, [](auto n) { return n == "x"; });
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  CHECK(*a != "x_3dc74755");

  // When the short suffix is taken too, a longer one follows.
  const auto short_taken = [](std::string_view name) {
    return name == "john_example_com" || name == "john_example_com_3dc74755";
  };
  CHECK(derive_unique_name("john_example_com", user1, short_taken) ==
        "john_example_com_3dc74755b24ccecc");

  const auto all_taken = derive_unique_name("john", user1, [](std::string_view) { return true; });
  REQUIRE_FALSE(all_taken);
  CHECK(all_taken.error().code == cs::ErrorCode::conflict);
  CHECK(all_taken.error().message ==
        "every name derived from 'john' already belongs to another identity");

  const auto invalid = derive_unique_name("a/b", user1, nothing_taken);
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().code == cs::ErrorCode::invalid_request);
}

TEST_CASE("names: a suffixed name stays within the length bound and whole characters", "[names]") {
  const StableId id{"oidc", "u"};
  const std::string long_base(k_max_name_length, 'a');
  const auto long_name =
      derive_unique_name(long_base, id, [&](std::string_view n) { return n == long_base; });
  REQUIRE(long_name);
  CHECK(long_name->size() == k_max_name_length);
  CHECK(long_name->starts_with(std::string(k_max_name_length - 9, 'a') + "_"));

  std::string accented;
  for (int i = 0; i < 64; ++i) accented.append("é");  // 128 bytes, two per character
  const auto cut =
      derive_unique_name(accented, id, [&](std::string_view n) { return n == accented; });
  REQUIRE(cut);
  // 119 bytes would end inside a character, so 118 bytes (59 characters) are kept.
  CHECK(cut->size() == 118 + 1 + 8);
  CHECK(cut->substr(0, 118) == accented.substr(0, 118));
  CHECK((*cut)[118] == '_');
}
