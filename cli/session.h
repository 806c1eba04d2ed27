#pragma once
// The signed-in side of the CLI: the credential store under ~/.cloudsignal, which profile a
// command uses, and the OAuth calls (refresh, revoke) that keep a CLI session usable
// (API.md, "CLI login").

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/context.h"
#include "common/credentials/store.h"
#include "common/http/client.h"
#include "common/result.h"
#include "common/time/rfc3339.h"

namespace cs::cli {

/// The OAuth client id of the CLI.
inline constexpr std::string_view k_cli_client_id = "cloudsignal-cli";

/// An access token this close to its expiry is refreshed before use.
inline constexpr std::chrono::seconds k_refresh_margin{60};

/// The profile `cloudsignal dev` writes on every start (its API URL, admin key file and CA); used
/// when no profile is named and there is no "default" one.
inline constexpr std::string_view k_dev_profile = "dev";

/// The environment variable that names the profile when --profile does not.
inline constexpr std::string_view k_profile_env = "CLOUDSIGNAL_PROFILE";

/// The credential store over $HOME/.cloudsignal, writing where CLOUDSIGNAL_CREDENTIALS_STORE
/// says (or `choice` when set), with `ctx.keyring` and warnings printed to `ctx.err`.
Result<credentials::CredentialStore> open_store(
    Context& ctx, std::optional<credentials::StoreChoice> choice = std::nullopt);

/// The profile a command uses: `flag`, else $CLOUDSIGNAL_PROFILE, else "default"; validated.
Result<std::string> profile_name(const std::string& flag, Context& ctx);

/// True when `profile` holds a session whose access token expires within k_refresh_margin of
/// `now` or has expired.
bool needs_refresh(const credentials::Profile& profile, SysSeconds now);

/// What a token endpoint grants.
struct TokenGrant {
  std::string access_token;
  std::optional<std::string> refresh_token;
  SysSeconds expires_at;
};

/// Reads the JSON `body` of a successful /oauth/token answer received at `now`; invalid_request
/// when it lacks a bearer access token or a sane `expires_in`.
Result<TokenGrant> parse_token_response(const nlohmann::json& body, SysSeconds now);

/// Stores `grant` in `session`: new access token and expiry, and the rotated refresh token.
void apply_grant(credentials::Session& session, const TokenGrant& grant);

/// The error every failed refresh becomes for profile `name` (auth exit code).
Error session_expired(std::string_view name);

/// Exchanges `refresh_token` for new tokens at `client`'s POST /oauth/token at `now`. An answer
/// refusing the token becomes session_expired(`name`); unreachable and timeout pass unchanged.
Result<TokenGrant> refresh_session(const http::Client& client, std::string_view name,
                                   const std::string& refresh_token, SysSeconds now);

/// Redeems the authorization `code` (sent to `redirect_uri`, with the PKCE `verifier`) at
/// `client`'s POST /oauth/token at `now`; a refusal is an `unauthorized` error.
Result<TokenGrant> exchange_code(const http::Client& client, const std::string& code,
                                 const std::string& redirect_uri, const std::string& verifier,
                                 SysSeconds now);

/// Asks `client`'s POST /oauth/revoke to end the session that `token` belongs to.
Result<void> revoke_token(const http::Client& client, const std::string& token);

/// The string at `object`[`outer`][`inner`] (as in a /v2/me answer), or "" when it is absent or
/// not a string.
std::string string_at(const nlohmann::json& object, const char* outer, const char* inner);

/// `text`, or nullopt when it is empty.
std::optional<std::string> optional_string(const std::string& text);

/// `ctx.now()` to the second.
SysSeconds now_seconds(Context& ctx);

}  // namespace cs::cli
