#pragma once
// The route groups of the HTTP API, one file each; every group registers on an ApiServer's
// router.

namespace cs::auth {
class ProviderService;
}

namespace cs::api {

class ApiServer;

void add_meta_routes(ApiServer& api);     // /healthz, /v2/info, /v2/me (routes_meta.cpp)
void add_token_routes(ApiServer& api);    // /v2/tokens... (routes_tokens.cpp)
void add_user_routes(ApiServer& api);     // /v2/users... (routes_users.cpp)
void add_key_routes(ApiServer& api);      // /v2/keys... (routes_keys.cpp)
void add_acl_routes(ApiServer& api);      // /v2/acl... (routes_acl.cpp)
void add_publish_routes(ApiServer& api);  // /v1/publish (routes_publish.cpp)
/// /v2/providers... and /v2/tokens/exchange (routes_providers.cpp), served by `providers`,
/// which must outlive `api`.
void add_provider_routes(ApiServer& api, auth::ProviderService& providers);
void add_oauth_routes(ApiServer& api);  // /oauth/... and CLI session tokens (routes_oauth.cpp)

}  // namespace cs::api
