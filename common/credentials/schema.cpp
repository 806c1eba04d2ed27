#include "common/credentials/schema.h"

#include <array>
#include <cstdint>
#include <utility>

#include "common/http/url.h"
#include "common/jwt/strict_json.h"

namespace cs::credentials {
namespace {

using json = nlohmann::json;

constexpr std::array<const char*, 11> k_known_profile_members = {
    "api_url",      "email",   "org_id",  "org_short_id", "access_token_expires_at",
    "api_key_file", "ca_file", "storage", "access_token", "refresh_token",
    "api_key"};

tl::unexpected<Error> profile_problem(std::string_view name, std::string_view what) {
  std::string message = "profile \"";
  message.append(name).append("\": ").append(what);
  return fail(ErrorCode::invalid_request, std::move(message));
}

tl::unexpected<Error> corrupt(std::string message) {
  return fail(ErrorCode::io, std::move(message), {}, std::string(k_reason_corrupt));
}

// Reads the optional string member `key` of `object` into `out`; JSON null means absent.
Result<void> read_string(const json& object, std::string_view name, const char* key,
                         std::optional<std::string>& out) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  std::string what(key);
  if (!it->is_string()) return profile_problem(name, what.append(" is not a string"));
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() > k_max_field_bytes) {
    return profile_problem(
        name,
        what.append(" is longer than ").append(std::to_string(k_max_field_bytes)).append(" bytes"));
  }
  out = text;
  return {};
}

Result<void> read_metadata(const json& object, std::string_view name, Profile& profile) {
  std::optional<std::string> api_url, expiry, storage;
  for (auto [key, out] : {std::pair{"api_url", &api_url},
                          {"email", &profile.email},
                          {"org_id", &profile.org_id},
                          {"org_short_id", &profile.org_short_id},
                          {"access_token_expires_at", &expiry},
                          {"api_key_file", &profile.api_key_file},
                          {"ca_file", &profile.ca_file},
                          {"storage", &storage}}) {
    if (auto r = read_string(object, name, key, *out); !r) return r;
  }
  if (!api_url) return profile_problem(name, "api_url is missing");
  if (!http::parse_url(*api_url)) return profile_problem(name, "api_url is not an http(s) URL");
  profile.api_url = std::move(*api_url);
  if (expiry) {
    auto t = parse_rfc3339(*expiry);
    if (!t) return profile_problem(name, "access_token_expires_at is not an RFC 3339 time");
    profile.access_token_expires_at = *t;
  }
  if (!storage) return profile_problem(name, "storage is missing");
  const auto kind = parse_storage(*storage);
  if (!kind) return profile_problem(name, "storage is neither \"keyring\" nor \"file\"");
  profile.storage = *kind;
  return {};
}

Result<StoredProfile> profile_from_json(std::string_view name, const json& object) {
  if (!object.is_object()) return profile_problem(name, "is not a JSON object");
  StoredProfile stored;
  if (auto r = read_metadata(object, name, stored.profile); !r) return fail(r.error());
  for (const SecretKind kind : k_secret_kinds) {
    const std::string key(secret_kind_name(kind));
    if (auto r = read_string(object, name, key.c_str(), stored.file_secrets.get(kind)); !r) {
      return fail(r.error());
    }
  }
  if (stored.profile.storage == Storage::keyring && !stored.file_secrets.empty()) {
    return profile_problem(name, "storage is \"keyring\" but the file holds secrets");
  }
  stored.unknown = object;
  for (const char* key : k_known_profile_members) stored.unknown.erase(key);
  return stored;
}

void put(json& object, const char* key, const std::optional<std::string>& value) {
  if (value) object[key] = *value;
}

json profile_to_json(const StoredProfile& stored) {
  json object = stored.unknown.is_object() ? stored.unknown : json::object();
  for (const char* key : k_known_profile_members) object.erase(key);
  const Profile& p = stored.profile;
  object["api_url"] = p.api_url;
  put(object, "email", p.email);
  put(object, "org_id", p.org_id);
  put(object, "org_short_id", p.org_short_id);
  if (p.access_token_expires_at) {
    object["access_token_expires_at"] = format_rfc3339(*p.access_token_expires_at);
  }
  put(object, "api_key_file", p.api_key_file);
  put(object, "ca_file", p.ca_file);
  object["storage"] = storage_name(p.storage);
  for (const SecretKind kind : k_secret_kinds) {
    put(object, std::string(secret_kind_name(kind)).c_str(), stored.file_secrets.get(kind));
  }
  return object;
}

// Checks the version member: 1 is read, a larger one belongs to a newer cloudsignal.
Result<void> check_version(const json& root) {
  const auto it = root.find("version");
  if (it == root.end()) return corrupt("no \"version\" member");
  if (!it->is_number_integer()) return corrupt("\"version\" is not an integer");
  constexpr auto k_version = static_cast<std::uint64_t>(k_schema_version);
  if (it->is_number_unsigned() && it->get<std::uint64_t>() == k_version) return {};
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > k_version) {
    std::string message = "written by a newer cloudsignal (file version ";
    message.append(std::to_string(it->get<std::uint64_t>()))
        .append(", this cloudsignal reads version ")
        .append(std::to_string(k_schema_version))
        .append(")");
    return fail(ErrorCode::io, std::move(message), "upgrade cloudsignal",
                std::string(k_reason_newer_version));
  }
  return corrupt("\"version\" is not one cloudsignal writes");
}

}  // namespace

Result<Document> parse_document(std::string_view text) {
  if (text.size() > k_max_file_bytes) return corrupt("larger than 1 MiB");
  auto root = jwt::parse_strict_json(text);
  if (!root) return corrupt("not valid JSON");
  if (!root->is_object()) return corrupt("not a JSON object");
  if (auto r = check_version(*root); !r) return fail(r.error());
  const auto profiles = root->find("profiles");
  if (profiles == root->end() || !profiles->is_object()) {
    return corrupt("\"profiles\" is missing or not an object");
  }
  if (profiles->size() > k_max_profiles) {
    return corrupt("more than " + std::to_string(k_max_profiles) + " profiles");
  }
  Document document;
  for (const auto& [name, value] : profiles->items()) {
    if (!validate_profile_name(name)) return corrupt("an invalid profile name");
    auto stored = profile_from_json(name, value);
    if (!stored) return corrupt(stored.error().message);
    document.profiles.emplace(name, std::move(*stored));
  }
  document.unknown = std::move(*root);
  document.unknown.erase("version");
  document.unknown.erase("profiles");
  return document;
}

std::string serialize_document(const Document& document) {
  json root = document.unknown.is_object() ? document.unknown : json::object();
  root["version"] = k_schema_version;
  json profiles = json::object();
  for (const auto& [name, stored] : document.profiles) profiles[name] = profile_to_json(stored);
  root["profiles"] = std::move(profiles);
  // Validation keeps non-UTF-8 text out of known members; replacing is the non-throwing choice.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<void> validate_profile(std::string_view name, const StoredProfile& profile) {
  if (auto r = validate_profile_name(name); !r) return r;
  const auto text = profile_to_json(profile).dump(-1, ' ', false, json::error_handler_t::replace);
  const auto back = profile_from_json(name, json::parse(text, nullptr, false));
  if (!back) return fail(back.error());
  if (back->profile != profile.profile || back->file_secrets != profile.file_secrets) {
    return profile_problem(name, "has text that is not valid UTF-8");
  }
  return {};
}

}  // namespace cs::credentials
