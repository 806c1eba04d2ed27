#include "devbroker/api/principal.h"

namespace cs::api {

Result<void> require_scope(const std::optional<Principal>& principal, auth::ScopeKind kind) {
  if (!principal) {
    return fail(ErrorCode::unauthorized, "this route needs an API key or a CLI session",
                "send \"Authorization: Bearer sk_…\"");
  }
  if (principal->has(kind)) return {};
  return fail(ErrorCode::forbidden, "the API key's scopes do not allow this",
              "use a key with the \"" + auth::scope_text(auth::Scope{kind, {}}) + "\" scope");
}

Result<void> require_full_access(const std::optional<Principal>& principal) {
  if (!principal) {
    return fail(ErrorCode::unauthorized, "this route needs an API key or a CLI session",
                "send \"Authorization: Bearer sk_…\"");
  }
  if (principal->full_access) return {};
  return fail(ErrorCode::forbidden, "this route needs a secret (sk_) key or a CLI session");
}

}  // namespace cs::api
