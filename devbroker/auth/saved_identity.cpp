#include "devbroker/auth/saved_identity.h"

#include <nlohmann/json.hpp>

namespace cs::auth {

namespace {

Error damaged(std::string_view why) {
  std::string message = "the saved identity is damaged: ";
  message.append(why);
  return Error(ErrorCode::io, std::move(message));
}

}  // namespace

std::string save_identity(const ClientIdentity& identity) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const Scope& scope : identity.scopes) scopes.push_back(scope_text(scope));
  const nlohmann::json j = {{"name", identity.name},
                            {"username", identity.username},
                            {"anonymous", identity.anonymous},
                            {"kind", identity.kind},
                            {"credential_id", identity.credential_id},
                            {"full_access", identity.full_access},
                            {"scopes", std::move(scopes)}};
  return j.dump();
}

Result<std::shared_ptr<const ClientIdentity>> restore_identity(std::string_view text,
                                                               const mqtt::TopicLimits& limits) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return fail(damaged("not a JSON object"));
  auto identity = std::make_shared<ClientIdentity>();
  try {
    identity->name = j.at("name").get<std::string>();
    identity->username = j.at("username").get<std::string>();
    identity->anonymous = j.at("anonymous").get<bool>();
    identity->kind = j.at("kind").get<std::string>();
    identity->credential_id = j.at("credential_id").get<std::string>();
    identity->full_access = j.at("full_access").get<bool>();
    auto scopes = parse_scopes(j.at("scopes").get<std::vector<std::string>>(), limits);
    if (!scopes) return fail(damaged(scopes.error().message));
    identity->scopes = std::move(*scopes);
  } catch (const nlohmann::json::exception&) {
    return fail(damaged("a member is missing or of the wrong type"));
  }
  return std::shared_ptr<const ClientIdentity>(std::move(identity));
}

}  // namespace cs::auth
