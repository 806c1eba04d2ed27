#include "common/jwt/jws.h"

#include <algorithm>
#include <cctype>

#include "common/crypto/base64url.h"
#include "common/jwt/refusal.h"
#include "common/jwt/strict_json.h"

namespace cs::jwt {
namespace {

using json = nlohmann::json;

Result<json> decode_object(std::string_view segment, std::string_view part) {
  auto bytes = crypto::base64url_decode(segment);
  if (!bytes) {
    std::string message = "The token's ";
    message += part;
    message += " is not strict base64url.";
    return refuse(Refusal::malformed, std::move(message));
  }
  auto value = parse_strict_json(to_string(*bytes));
  if (!value) {
    // "The token's header is not usable: the JSON repeats a member name in one object."
    std::string why = value.error().message;
    if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    std::string message = "The token's ";
    message += part;
    message += " is not usable: ";
    message += why;
    return refuse(Refusal::malformed, std::move(message));
  }
  if (!value->is_object()) {
    std::string message = "The token's ";
    message += part;
    message += " is not a JSON object.";
    return refuse(Refusal::malformed, std::move(message));
  }
  return value;
}

Result<std::optional<std::string>> header_string(const json& header, const char* name) {
  const auto it = header.find(name);
  if (it == header.end()) return std::nullopt;
  if (!it->is_string()) {
    std::string message = "The token header's ";
    message += name;
    message += " is not a string.";
    return refuse(Refusal::malformed, std::move(message));
  }
  return it->get<std::string>();
}

Result<JwsHeader> read_header(const json& header) {
  if (header.contains("crit"))
    return refuse(
        Refusal::crit_unsupported,
        "The token has a crit header, which no provider needs and this verifier refuses.");
  auto alg = header_string(header, "alg");
  if (!alg) return fail(alg.error());
  if (!*alg) return refuse(Refusal::malformed, "The token header has no alg.");
  auto kid = header_string(header, "kid");
  if (!kid) return fail(kid.error());
  auto typ = header_string(header, "typ");
  if (!typ) return fail(typ.error());
  return JwsHeader{std::move(**alg), std::move(*kid), std::move(*typ)};
}

}  // namespace

Result<Jws> parse_jws(std::string_view token, std::size_t max_size) {
  if (token.size() > max_size)
    return refuse(Refusal::too_large, "The token is larger than the " +
                                          std::to_string(max_size / 1024) + " KiB allowed.");
  if (std::count(token.begin(), token.end(), '.') != 2)
    return refuse(Refusal::malformed, "The token is not three segments separated by dots.");
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  const std::string_view header_segment = token.substr(0, first);
  const std::string_view payload_segment = token.substr(first + 1, second - first - 1);
  const std::string_view signature_segment = token.substr(second + 1);

  auto header_json = decode_object(header_segment, "header");
  if (!header_json) return fail(header_json.error());
  auto header = read_header(*header_json);
  if (!header) return fail(header.error());
  auto payload = decode_object(payload_segment, "payload");
  if (!payload) return fail(payload.error());
  auto signature = crypto::base64url_decode(signature_segment);
  if (!signature)
    return refuse(Refusal::malformed, "The token's signature is not strict base64url.");
  return Jws{std::move(*header), std::move(*payload), std::string(token.substr(0, second)),
             std::move(*signature)};
}

}  // namespace cs::jwt
