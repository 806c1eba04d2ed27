#include "devbroker/auth/names.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "common/crypto/hash.h"
#include "common/crypto/hex.h"
#include "common/crypto/random.h"

namespace cs::auth {
namespace {

constexpr std::string_view k_short_id_prefix = "org_";
constexpr std::size_t k_short_id_length = 12;
constexpr std::string_view k_bad_identity = "bad_identity";
constexpr std::array<std::size_t, 4> k_suffix_lengths = {8, 16, 32, 64};

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// The first byte of `name` that no name may hold, or npos. C1 controls are U+0080..U+009F, which
// UTF-8 writes as 0xC2 followed by 0x80..0x9F.
std::size_t find_forbidden(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7F || c == '+' || c == '#' || c == '/' || c == '@') return i;
    if (c == 0xC2 && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return i;
    }
  }
  return std::string_view::npos;
}

// At most `max` bytes of `text`, never ending inside a UTF-8 character.
std::string_view cut_utf8(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

// The bytes the suffix of `id` is derived from. The length prefix keeps ("ab", "c") and
// ("a", "bc") apart.
std::string stable_id_bytes(const StableId& id) {
  std::string out = std::to_string(id.provider.size());
  out.append(":").append(id.provider).append(id.sub);
  return out;
}

Result<std::string> bad_identity(std::string message) {
  return fail(ErrorCode::invalid_token, std::move(message), {}, std::string(k_bad_identity));
}

}  // namespace

Result<void> validate_name(std::string_view name) {
  if (name.empty()) return fail(ErrorCode::invalid_request, "a name must not be empty");
  if (name.size() > k_max_name_length) {
    std::string message = "a name must be at most ";
    message.append(std::to_string(k_max_name_length)).append(" bytes");
    return fail(ErrorCode::invalid_request, std::move(message));
  }
  if (find_forbidden(name) != std::string_view::npos)
    return fail(ErrorCode::invalid_request,
                "a name must not contain '+', '#', '/', '@' or control characters");
  if (name.front() == '$')
    return fail(ErrorCode::invalid_request, "a name must not start with '$'");
  return {};
}

Result<void> validate_native_name(std::string_view name) {
  if (name.empty() || name.size() > k_max_native_name_length) {
    std::string message = "a user name must be 1 to ";
    message.append(std::to_string(k_max_native_name_length)).append(" characters long");
    return fail(ErrorCode::invalid_request, std::move(message));
  }
  for (char c : name) {
    if (!is_name_char(c))
      return fail(ErrorCode::invalid_request,
                  "a user name may only contain letters, digits, '_' and '-'");
  }
  return {};
}

bool is_org_short_id(std::string_view text) {
  if (text.size() != k_short_id_prefix.size() + k_short_id_length) return false;
  if (!text.starts_with(k_short_id_prefix)) return false;
  for (char c : text.substr(k_short_id_prefix.size())) {
    if (!is_lower_alnum(c)) return false;
  }
  return true;
}

Result<std::string> normalise_uuid(std::string_view text) {
  constexpr std::size_t k_uuid_length = 36;
  bool ok = text.size() == k_uuid_length;
  std::string out;
  out.reserve(k_uuid_length);
  for (std::size_t i = 0; ok && i < text.size(); ++i) {
    const char c = text[i];
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    ok = dash_here ? c == '-' : is_hex(c);
    out.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (!ok)
    return fail(ErrorCode::invalid_request,
                "an organization UUID must have the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  return out;
}

Result<MqttUsername> parse_mqtt_username(std::string_view username) {
  const std::size_t at = username.find('@');
  if (at == std::string_view::npos || username.find('@', at + 1) != std::string_view::npos)
    return fail(ErrorCode::invalid_request,
                "an MQTT username must have the form <name>@<organization id>");
  const std::string_view name = username.substr(0, at);
  const std::string_view org = username.substr(at + 1);
  if (auto valid = validate_name(name); !valid) return fail(valid.error());
  if (is_org_short_id(org)) return MqttUsername{std::string(name), std::string(org)};
  auto uuid = normalise_uuid(org);
  if (!uuid)
    return fail(ErrorCode::invalid_request,
                "the organization after '@' must be an org short id (org_ and 12 lowercase "
                "letters or digits) or an organization UUID");
  return MqttUsername{std::string(name), std::move(*uuid), OrgRefKind::uuid};
}

std::string generate_org_short_id() {
  std::string out(k_short_id_prefix);
  out.append(crypto::random_string(crypto::k_lowercase_alnum, k_short_id_length));
  return out;
}

std::string sanitise_name(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), k_max_name_length));
  bool in_multibyte = false;
  for (char c : text) {
    if (out.size() == k_max_name_length) break;
    const auto byte = static_cast<unsigned char>(c);
    // Continuation bytes after a lead byte belong to the character already replaced; stray ones
    // are replaced one by one.
    if (in_multibyte && is_continuation(byte)) continue;
    in_multibyte = byte >= 0xC0;
    out.push_back(is_name_char(c) ? c : '_');
  }
  return out;
}

Result<std::string> derive_name(const nlohmann::json& claims, UsernameClaim claim,
                                EmailTrust trust) {
  if (!claims.is_object()) return bad_identity("the token's claims are not a JSON object");
  if (claim == UsernameClaim::email) {
    const auto email = claims.find("email");
    const auto verified = claims.find("email_verified");
    const bool trusted =
        trust == EmailTrust::as_given ||
        (verified != claims.end() && verified->is_boolean() && verified->get<bool>());
    if (trusted && email != claims.end() && email->is_string() &&
        !email->get_ref<const std::string&>().empty())
      return sanitise_name(email->get_ref<const std::string&>());
  }
  const auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string())
    return bad_identity("the token has no usable email and no sub to name its user by");
  const auto& text = sub->get_ref<const std::string&>();
  if (auto valid = validate_name(text); !valid) {
    std::string message = "the token's sub cannot be used as a name: ";
    message.append(valid.error().message);
    return bad_identity(std::move(message));
  }
  return text;
}

Result<std::string> derive_unique_name(std::string_view base, const StableId& id,
                                       const std::function<bool(std::string_view)>& is_taken) {
  if (auto valid = validate_name(base); !valid) return fail(valid.error());
  if (!is_taken(base)) return std::string(base);
  const std::string digest = crypto::hex_encode(crypto::sha256(stable_id_bytes(id)));
  for (std::size_t length : k_suffix_lengths) {
    std::string name(cut_utf8(base, k_max_name_length - 1 - length));
    name.append("_").append(digest, 0, length);
    if (!is_taken(name)) return name;
  }
  std::string message = "every name derived from '";
  message.append(base).append("' already belongs to another identity");
  return fail(ErrorCode::conflict, std::move(message));
}

}  // namespace cs::auth
