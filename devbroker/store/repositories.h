#pragma once
// Every repository over one connection: what Store offers its callers and what StoreWriter hands
// each write it runs.

#include "devbroker/store/acl_repository.h"
#include "devbroker/store/api_key_repository.h"
#include "devbroker/store/binding_repository.h"
#include "devbroker/store/database.h"
#include "devbroker/store/oauth_repository.h"
#include "devbroker/store/org_repository.h"
#include "devbroker/store/provider_repository.h"
#include "devbroker/store/retained_repository.h"
#include "devbroker/store/session_repository.h"
#include "devbroker/store/token_repository.h"
#include "devbroker/store/user_repository.h"

namespace cs::store {

struct Repositories {
  /// Repositories over `connection`, which must outlive them.
  explicit Repositories(Database& connection)
      : db(connection),
        org(connection),
        users(connection),
        tokens(connection),
        api_keys(connection),
        providers(connection),
        acl(connection),
        bindings(connection),
        retained(connection),
        sessions(connection),
        oauth(connection) {}

  Database& db;
  OrgRepository org;
  UserRepository users;
  TokenRepository tokens;
  ApiKeyRepository api_keys;
  ProviderRepository providers;
  AclRepository acl;
  BindingRepository bindings;
  RetainedRepository retained;
  SessionRepository sessions;
  OAuthRepository oauth;
};

}  // namespace cs::store
