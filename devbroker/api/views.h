#pragma once
// The JSON the API answers with for each kind of record (API.md), in one place. Nothing here
// ever holds a stored hash; secrets appear only in the views made at creation.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time/rfc3339.h"
#include "devbroker/api/router.h"
#include "devbroker/auth/auth_service.h"
#include "devbroker/store/store.h"

namespace cs::api {

/// A token response (API.md "Token service"): the flat and the nested form, as the JS client
/// and the docs read them.
nlohmann::json token_response(const auth::AuthService::IssuedToken& token,
                              const store::OrgRecord& org, SysSeconds now);
/// An active token in a listing, without its password.
nlohmann::json token_view(const store::TokenRecord& token, const store::OrgRecord& org);
nlohmann::json user_view(const store::UserRecord& user, const store::OrgRecord& org);
nlohmann::json key_view(const store::ApiKeyRecord& key);
nlohmann::json rule_view(const store::AclRuleRecord& rule);
nlohmann::json rule_view(const auth::AclRule& rule);

/// An RFC 3339 string, or null.
nlohmann::json time_or_null(const std::optional<SysSeconds>& t);

/// `{"<name>": [the items of `items` that `call`'s `limit` and `cursor` select], "next_cursor"?}`.
/// Without `limit`, every item; `cursor` is the opaque value a previous page returned.
Result<nlohmann::json> page(const Call& call, const std::string& name,
                            const std::vector<nlohmann::json>& items);

}  // namespace cs::api
