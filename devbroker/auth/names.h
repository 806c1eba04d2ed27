#pragma once
// Names on the MQTT side (API.md "Identities on the MQTT side", IDENTITY.md rule 7): usernames
// `<name>@<org>`, organization ids, the names of native users, and the names derived from an
// identity provider's claims. Pure functions except the two generators, which draw randomness.

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cs::auth {

/// The longest name any identity may have, in bytes (derived names are cut to fit).
constexpr std::size_t k_max_name_length = 128;

/// The longest name of a native MQTT user, in bytes.
constexpr std::size_t k_max_native_name_length = 64;

/// How the organization is given after the `@` of an MQTT username.
enum class OrgRefKind { short_id, uuid };

/// An MQTT username split at its `@`; `org` is a short id, or a UUID in canonical lowercase.
struct MqttUsername {
  std::string name;
  std::string org;
  OrgRefKind org_kind = OrgRefKind::short_id;
};

/// Checks a name any identity may carry: 1 to k_max_name_length bytes, no `+ # / @`, no U+0000
/// or other control characters (C0, DEL, C1), and no leading `$`; else an invalid_request error.
Result<void> validate_name(std::string_view name);

/// Checks the name of a native MQTT user: 1 to k_max_native_name_length bytes of
/// `[A-Za-z0-9_-]`; else an invalid_request error.
Result<void> validate_native_name(std::string_view name);

/// True when `text` is an org short id: `org_` and 12 lowercase letters or digits.
bool is_org_short_id(std::string_view text);

/// The canonical lowercase form of the UUID `text` (8-4-4-4-12 hex digits, either case, no
/// braces or prefix), or an invalid_request error.
Result<std::string> normalise_uuid(std::string_view text);

/// Splits `username` at its one `@` into a name (validate_name) and an org short id or UUID (then
/// normalised); anything else is an invalid_request error.
Result<MqttUsername> parse_mqtt_username(std::string_view username);

/// A new random org short id, `org_` and 12 characters of `[a-z0-9]`.
std::string generate_org_short_id();

/// `text` with every character outside `[A-Za-z0-9_-]` replaced by `_` (a multi-byte UTF-8
/// character by one `_`), cut to k_max_name_length bytes; empty only when `text` is.
std::string sanitise_name(std::string_view text);

/// Which claim names an identity from an identity provider (the provider's `username_claim`).
enum class UsernameClaim { email, sub };

/// Whether the `email` claim needs `email_verified: true` to be used (Firebase does).
enum class EmailTrust { as_given, verified_only };

/// The MQTT name for the verified `claims` (IDENTITY.md rule 7): the sanitised `email` when
/// `claim` is email and the email is a non-empty string (and verified, under verified_only),
/// else `sub` unchanged when it passes validate_name; else an invalid_token error with reason
/// `bad_identity`.
Result<std::string> derive_name(const nlohmann::json& claims, UsernameClaim claim,
                                EmailTrust trust);

/// The stable id of an identity from an identity provider: `(provider, sub)`.
struct StableId {
  std::string provider;
  std::string sub;
};

/// The name to give the identity `id` whose derived name is `base`: `base` unless
/// `is_taken(base)`, which is true when another identity owns that name; then `base`, `_` and 8
/// (then 16, 32, 64) hex digits of SHA-256 over `id`, `base` cut so the whole fits
/// k_max_name_length; a conflict error when every candidate is taken.
Result<std::string> derive_unique_name(std::string_view base, const StableId& id,
                                       const std::function<bool(std::string_view)>& is_taken);

}  // namespace cs::auth
