#include "common/credentials/profile.h"

#include <algorithm>

namespace cs::credentials {

std::optional<std::string>& Secrets::get(SecretKind kind) {
  switch (kind) {
    case SecretKind::access_token:
      return access_token;
    case SecretKind::refresh_token:
      return refresh_token;
    case SecretKind::api_key:
      break;
  }
  return api_key;
}

const std::optional<std::string>& Secrets::get(SecretKind kind) const {
  return const_cast<Secrets*>(this)->get(kind);
}

bool Secrets::empty() const {
  return !access_token && !refresh_token && !api_key;
}

std::string_view secret_kind_name(SecretKind kind) {
  switch (kind) {
    case SecretKind::access_token:
      return "access_token";
    case SecretKind::refresh_token:
      return "refresh_token";
    case SecretKind::api_key:
      break;
  }
  return "api_key";
}

std::string_view storage_name(Storage storage) {
  return storage == Storage::keyring ? "keyring" : "file";
}

std::optional<Storage> parse_storage(std::string_view text) {
  if (text == "keyring") return Storage::keyring;
  if (text == "file") return Storage::file;
  return std::nullopt;
}

Result<void> validate_profile_name(std::string_view name) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  };
  const char* hint = "use 1 to 64 letters, digits, '-' or '_'";
  if (name.empty()) return fail(ErrorCode::usage, "the profile name is empty", hint);
  if (name.size() > k_max_profile_name_length) {
    return fail(ErrorCode::usage, "the profile name is longer than 64 characters", hint);
  }
  if (!std::all_of(name.begin(), name.end(), allowed)) {
    std::string message = "invalid profile name \"";
    message.append(name).append("\"");
    return fail(ErrorCode::usage, std::move(message), hint);
  }
  return {};
}

Result<StoreChoice> parse_store_choice(std::optional<std::string_view> value) {
  if (!value || value->empty()) return StoreChoice::automatic;
  if (*value == "file") return StoreChoice::file;
  if (*value == "keyring") return StoreChoice::keyring;
  std::string message(k_store_env);
  message.append(" must be \"file\" or \"keyring\", not \"").append(*value).append("\"");
  return fail(ErrorCode::usage, std::move(message), "unset it to let cloudsignal choose");
}

}  // namespace cs::credentials
