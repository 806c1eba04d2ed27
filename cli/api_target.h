#pragma once
// Where API commands send requests, and with which credential. Precedence, first match wins:
// 1. `--dev`: the local broker that `cloudsignal dev` runs, from its dev.json and admin key.
// 2. CLOUDSIGNAL_API_KEY: that key, at --api-url, CLOUDSIGNAL_API_URL or the cloud; no profile
//    is read (the CI mode).
// 3. The profile (--profile, CLOUDSIGNAL_PROFILE, or "default"; with none of these, the "dev"
//    profile that `cloudsignal dev` writes): its API key, its key file, or
//    its CLI session (refreshed first when the access token is within 60 s of expiry), at its
//    API URL. A URL from --api-url or CLOUDSIGNAL_API_URL must be that same API: a profile's
//    credential is never sent anywhere else.
// 4. Not signed in (auth exit code).

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "cli/context.h"
#include "common/credentials/profile.h"
#include "common/http/client.h"
#include "common/result.h"

namespace cs::cli {

inline constexpr std::string_view k_cloud_api_url = "https://api.cloudsignal.io";

/// The flags every API command shares (set on the top-level app, usable after any command).
struct ApiFlags {
  std::string api_url;
  std::string profile;
  bool dev = false;
  std::string dev_data_dir;  // --dev with another data directory than ~/.cloudsignal/dev
};

/// Adds --api-url, --profile, --dev and --dev-dir to `app`.
void add_api_flags(CLI::App& app, ApiFlags& flags);

/// What a running `cloudsignal dev` wrote to `<data-dir>/dev.json`.
struct DevRuntime {
  std::string api_url;
  std::string mqtt_url;
  std::string mqtts_url;
  std::string ws_url;
  std::string wss_url;
  std::filesystem::path ca_file;  // empty when the broker uses the user's own certificate
  std::filesystem::path admin_key_file;
  std::string org_id;
  std::string org_short_id;
};

/// Reads `<data_dir>/dev.json`; unreachable (with a hint to start `cloudsignal dev`) when the
/// file is absent, invalid_request when it is damaged.
Result<DevRuntime> read_dev_runtime(const std::filesystem::path& data_dir);

/// `~/.cloudsignal/dev` unless `flag` names another directory.
Result<std::filesystem::path> dev_runtime_dir(const std::string& flag, Context& ctx);

/// Reads the admin key file `path`, trimmed; never echoes the key in errors.
Result<std::string> read_key_file(const std::filesystem::path& path);

struct ApiTarget {
  http::Url url;
  std::optional<std::string> bearer;           // an API key or a CLI session's access token
  std::string ca_file;                         // trusted besides the system CAs (the dev CA)
  std::string source;                          // for messages: "--dev", "CLOUDSIGNAL_API_KEY", ...
  std::string profile;                         // the profile used, empty when none was
  std::optional<credentials::Profile> stored;  // that profile as saved (after any refresh)
};

/// Resolves where API commands go from `flags`, the environment, the profile and the defaults,
/// refreshing the profile's session when it is about to expire.
Result<ApiTarget> resolve_api_target(const ApiFlags& flags, Context& ctx);

/// Parses the API URL `url` (HTTPS, or HTTP to this machine); a usage error naming it otherwise.
Result<http::Url> parse_api_url(std::string_view url);

/// The API URL that `flags` or CLOUDSIGNAL_API_URL name, or empty (the dev runtime aside).
std::string explicit_api_url(const ApiFlags& flags, Context& ctx);

/// True when the URLs `a` and `b` name the same API (scheme, host, port and path, ignoring a
/// trailing '/').
bool same_api(std::string_view a, std::string_view b);

/// An HTTP client for `target`.
http::Client api_client(const ApiTarget& target);

}  // namespace cs::cli
