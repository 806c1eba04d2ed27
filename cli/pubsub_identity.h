#pragma once
// Whom `pub` and `sub` connect as when neither the command line nor the environment names MQTT
// credentials: the account the CLI is signed in to (`--dev`, CLOUDSIGNAL_API_KEY or a profile).
// - A CLI session (after `cloudsignal login`) gets a short-lived token for the signed-in user
//   (POST /v2/tokens/create), renewed while the command runs and revoked when it ends, so the
//   access list applies to that user as it would to an app of theirs.
// - An API key (the dev broker's admin key, CLOUDSIGNAL_API_KEY, `login --with-token`) is itself
//   an MQTT password: it connects as `cli@<org_short_id>` with the key's access.
// The credential only goes to a broker of that API (the URLs its /v2/info or dev.json name);
// with no credential configured, or another broker named, the connection stays anonymous.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/api_target.h"
#include "cli/context.h"
#include "cli/mqtt_client/url.h"
#include "common/result.h"

namespace cs::cli {

/// The MQTT name an API key connects as.
inline constexpr std::string_view k_key_client_name = "cli";
/// The life of the token a session gets unless CLOUDSIGNAL_MQTT_TOKEN_TTL says otherwise.
inline constexpr std::chrono::seconds k_session_token_ttl{3600};
inline constexpr std::string_view k_token_ttl_env = "CLOUDSIGNAL_MQTT_TOKEN_TTL";
/// The bounds of that life, in seconds (as the API's).
inline constexpr std::int64_t k_min_session_token_ttl = 60;
inline constexpr std::int64_t k_max_session_token_ttl = 24 * 3600;

/// The brokers of one API, from its /v2/info (or the dev broker's dev.json).
struct BrokerUrls {
  std::string mqtt_url;
  std::string mqtts_url;
  std::string ws_url;
  std::string wss_url;
  std::string org_short_id;
};

/// The URLs in an /v2/info answer `info`; invalid_request without an organization short id.
Result<BrokerUrls> broker_urls_from_info(const nlohmann::json& info);

/// The URL `pub`/`sub` use when none is given: the plain MQTT one, else the first there is.
std::optional<std::string> default_broker_url(const BrokerUrls& urls);

/// True when `url` reaches one of `urls`' brokers (same scheme, host and port).
bool is_api_broker(const mqtt_client::MqttUrl& url, const BrokerUrls& urls);

/// A token issued for the signed-in user.
struct SessionToken {
  std::string token_id;
  std::string username;
  std::string password;  // a secret
  // How long after issue to refresh it: its refresh_recommended_at, as an offset.
  std::chrono::seconds refresh_after{0};
};

/// Reads a token response `body` of the API; invalid_request when a field is missing.
Result<SessionToken> parse_session_token(const nlohmann::json& body);

/// The credentials and broker the signed-in account gives `pub` and `sub`.
struct ApiIdentity {
  std::string url;      // the broker to use when none was named
  std::string ca_file;  // trusted for that API's TLS brokers (the dev CA)
  std::string username;
  std::string password;               // a secret
  std::optional<SessionToken> token;  // set for a session: keep it alive with TokenKeeper
  ApiTarget api;                      // where the token is renewed and revoked
};

/// The identity `flags`, the environment and the profiles give, for a connection to
/// `explicit_url` (or to the API's default broker when empty); nullopt when no credential is
/// configured or `explicit_url` is not one of that API's brokers.
Result<std::optional<ApiIdentity>> resolve_api_identity(
    const ApiFlags& flags, const std::optional<std::string>& explicit_url, Context& ctx);

/// Keeps a session's token alive while a command runs: refreshes it in the background once its
/// `refresh_after` has passed (retrying every k_refresh_retry on failure), and revokes it on
/// destruction (best effort). It prints nothing: if the token cannot be renewed, the broker ends
/// the connection when it expires, and the command reports that.
class TokenKeeper {
 public:
  /// Retry interval after a failed refresh.
  static constexpr std::chrono::seconds k_refresh_retry{15};

  /// Starts keeping `identity`'s token, which must be set.
  explicit TokenKeeper(const ApiIdentity& identity);
  ~TokenKeeper();
  TokenKeeper(const TokenKeeper&) = delete;
  TokenKeeper& operator=(const TokenKeeper&) = delete;

  /// How many refreshes succeeded so far.
  int refreshes() const;

 private:
  void run();

  ApiTarget m_api;
  SessionToken m_token;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  int m_refreshes = 0;
  std::thread m_thread;
};

}  // namespace cs::cli
