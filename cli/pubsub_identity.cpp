#include "cli/pubsub_identity.h"

#include <charconv>

#include "cli/commands/api_command.h"
#include "cli/session.h"
#include "common/time/rfc3339.h"

namespace cs::cli {
namespace {

// The API's calls made on the way out or in the background answer fast or not at all.
http::Client keeper_client(const ApiTarget& api) {
  http::ClientOptions options;
  options.ca_file = api.ca_file;
  options.connect_timeout = std::chrono::seconds(3);
  options.read_timeout = std::chrono::seconds(10);
  return http::Client(api.url, options);
}

std::string text_member(const nlohmann::json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool same_broker(const mqtt_client::MqttUrl& url, const std::string& text) {
  if (text.empty()) return false;
  auto other = mqtt_client::parse_mqtt_url(text);
  if (!other) return false;
  // localhost and 127.0.0.1 are the same broker for a local API.
  const auto host = [](const std::string& h) { return h == "localhost" ? "127.0.0.1" : h; };
  return url.scheme == other->scheme && host(url.host) == host(other->host) &&
         url.port == other->port;
}

// True when the command line or the environment chose the API credential (rather than the
// profiles on disk).
bool credential_chosen(const ApiFlags& flags, Context& ctx) {
  return flags.dev || !flags.profile.empty() || ctx.env_set("CLOUDSIGNAL_API_KEY") ||
         ctx.env_set(k_profile_env);
}

// Whether `flags` and the environment configure any API credential; errors only for ones named
// explicitly (the implicit default profile missing, or no HOME, mean anonymous).
Result<bool> credential_configured(const ApiFlags& flags, Context& ctx) {
  if (credential_chosen(flags, ctx)) return true;
  auto store = open_store(ctx);
  if (!store) return false;
  for (std::string_view name : {credentials::k_default_profile, k_dev_profile}) {
    auto profile = store->load(std::string(name));
    if (!profile) return fail(profile.error());
    if (*profile) return true;
  }
  return false;
}

Result<BrokerUrls> api_brokers(const ApiFlags& flags, const ApiTarget& api, Context& ctx) {
  if (flags.dev) {
    auto dir = dev_runtime_dir(flags.dev_data_dir, ctx);
    if (!dir) return fail(dir.error());
    auto runtime = read_dev_runtime(*dir);
    if (!runtime) return fail(runtime.error());
    return BrokerUrls{runtime->mqtt_url, runtime->mqtts_url, runtime->ws_url, runtime->wss_url,
                      runtime->org_short_id};
  }
  auto info = api_client(api).json("GET", "/v2/info", std::nullopt, std::nullopt);
  if (!info) return fail(info.error());
  return broker_urls_from_info(*info);
}

Result<std::int64_t> token_ttl(Context& ctx) {
  auto text = ctx.getenv(k_token_ttl_env);
  if (!text || text->empty()) return k_session_token_ttl.count();
  std::int64_t ttl = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), ttl);
  if (ec != std::errc() || end != text->data() + text->size() || ttl < k_min_session_token_ttl ||
      ttl > k_max_session_token_ttl) {
    std::string message(k_token_ttl_env);
    message.append(" must be a number of seconds from 60 to 86400");
    return fail(ErrorCode::usage, std::move(message));
  }
  return ttl;
}

// The signed-in user's email: the profile's, else what /v2/me says.
Result<std::string> session_email(const ApiTarget& api) {
  if (api.stored && api.stored->email && !api.stored->email->empty()) return *api.stored->email;
  auto me = api_client(api).json("GET", "/v2/me", std::nullopt, api.bearer);
  if (!me) return fail(me.error());
  const auto user = me->find("user");
  std::string email = user != me->end() && user->is_object() ? text_member(*user, "email") : "";
  if (email.empty()) {
    return fail(ErrorCode::unauthorized, "the signed-in credential belongs to no user",
                "pass -u and -P, or set CLOUDSIGNAL_MQTT_USERNAME and CLOUDSIGNAL_MQTT_PASSWORD");
  }
  return email;
}

Result<SessionToken> issue_session_token(const ApiTarget& api, Context& ctx) {
  auto ttl = token_ttl(ctx);
  if (!ttl) return fail(ttl.error());
  auto email = session_email(api);
  if (!email) return fail(email.error());
  // Other commands of the same user keep their tokens (replace_existing false).
  const nlohmann::json body = {
      {"user_email", *email}, {"replace_existing", false}, {"ttl_seconds", *ttl}};
  auto answer = api_client(api).json("POST", "/v2/tokens/create", body, api.bearer);
  if (!answer) return fail(answer.error());
  return parse_session_token(*answer);
}

bool is_api_key(const std::string& secret) {
  return secret.starts_with("sk_") || secret.starts_with("rk_");
}

}  // namespace

Result<BrokerUrls> broker_urls_from_info(const nlohmann::json& info) {
  if (!info.is_object()) return fail(ErrorCode::invalid_request, "/v2/info is not a JSON object");
  BrokerUrls urls{text_member(info, "mqtt_url"), text_member(info, "mqtts_url"),
                  text_member(info, "ws_url"), text_member(info, "wss_url"),
                  text_member(info, "org_short_id")};
  if (urls.org_short_id.empty()) {
    return fail(ErrorCode::invalid_request, "/v2/info names no organization (org_short_id)");
  }
  return urls;
}

std::optional<std::string> default_broker_url(const BrokerUrls& urls) {
  for (const std::string* url : {&urls.mqtt_url, &urls.mqtts_url, &urls.wss_url, &urls.ws_url}) {
    if (!url->empty()) return *url;
  }
  return std::nullopt;
}

bool is_api_broker(const mqtt_client::MqttUrl& url, const BrokerUrls& urls) {
  return same_broker(url, urls.mqtt_url) || same_broker(url, urls.mqtts_url) ||
         same_broker(url, urls.ws_url) || same_broker(url, urls.wss_url);
}

Result<SessionToken> parse_session_token(const nlohmann::json& body) {
  SessionToken token;
  token.token_id = text_member(body, "token_id");
  token.username = text_member(body, "mqtt_username");
  token.password = text_member(body, "access_token");
  auto expires = parse_rfc3339(text_member(body, "expires_at"));
  auto recommended = parse_rfc3339(text_member(body, "refresh_recommended_at"));
  const auto in = body.find("expires_in");
  if (token.token_id.empty() || token.username.empty() || token.password.empty() || !expires ||
      !recommended || in == body.end() || !in->is_number_integer()) {
    return fail(ErrorCode::invalid_request, "the API's token answer lacks a field the CLI needs");
  }
  const auto lead = std::max(*expires - *recommended, std::chrono::seconds(0));
  token.refresh_after =
      std::max(std::chrono::seconds(in->get<std::int64_t>()) - lead, std::chrono::seconds(1));
  return token;
}

namespace {

Result<std::optional<ApiIdentity>> identity_of(const ApiFlags& flags,
                                               const std::optional<std::string>& explicit_url,
                                               Context& ctx) {
  auto configured = credential_configured(flags, ctx);
  if (!configured) return fail(configured.error());
  if (!*configured) return std::optional<ApiIdentity>();
  auto api = resolve_api_target(flags, ctx);
  if (!api) return fail(api.error());
  if (!api->bearer) return std::optional<ApiIdentity>();
  auto brokers = api_brokers(flags, *api, ctx);
  if (!brokers) return fail(brokers.error());

  ApiIdentity identity;
  if (explicit_url) {
    auto url = mqtt_client::parse_mqtt_url(*explicit_url);
    // A bad URL is reported where the connection is resolved.
    if (!url || !is_api_broker(*url, *brokers)) return std::optional<ApiIdentity>();
    identity.url = *explicit_url;
  } else {
    auto url = default_broker_url(*brokers);
    if (!url) {
      return fail(ErrorCode::invalid_request, "the API names no MQTT broker",
                  "pass --url or set CLOUDSIGNAL_MQTT_URL");
    }
    identity.url = *url;
  }
  identity.ca_file = api->ca_file;
  if (is_api_key(*api->bearer)) {
    identity.username = std::string(k_key_client_name).append("@").append(brokers->org_short_id);
    identity.password = *api->bearer;
  } else {
    auto token = issue_session_token(*api, ctx);
    if (!token) return fail(token.error());
    identity.username = token->username;
    identity.password = token->password;
    identity.token = std::move(*token);
  }
  identity.api = std::move(*api);
  return std::optional<ApiIdentity>(std::move(identity));
}

}  // namespace

Result<std::optional<ApiIdentity>> resolve_api_identity(
    const ApiFlags& flags, const std::optional<std::string>& explicit_url, Context& ctx) {
  auto identity = identity_of(flags, explicit_url, ctx);
  // A profile nobody named (a stale `dev` one, an expired session) does not stand in the way
  // of a broker named explicitly: that broker is reached without credentials.
  if (!identity && explicit_url && !credential_chosen(flags, ctx)) {
    return std::optional<ApiIdentity>();
  }
  return identity;
}

TokenKeeper::TokenKeeper(const ApiIdentity& identity)
    : m_api(identity.api), m_token(*identity.token), m_thread([this] { run(); }) {}

TokenKeeper::~TokenKeeper() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
  // The token dies with the command; if the API cannot be told, it expires on its own.
  (void)keeper_client(m_api).json("DELETE", path_with("/v2/tokens", m_token.token_id), std::nullopt,
                                  m_api.bearer);
}

int TokenKeeper::refreshes() const {
  std::lock_guard lock(m_mutex);
  return m_refreshes;
}

void TokenKeeper::run() {
  const http::Client client = keeper_client(m_api);
  std::unique_lock lock(m_mutex);
  auto due = std::chrono::steady_clock::now() + m_token.refresh_after;
  for (;;) {
    if (m_wake.wait_until(lock, due, [this] { return m_stop; })) return;
    const nlohmann::json body = {{"token_id", m_token.token_id},
                                 {"current_token_password", m_token.password}};
    lock.unlock();
    // The token id and its current password are the credential; no bearer is sent.
    auto answer = client.json("POST", "/v2/tokens/refresh", body, std::nullopt);
    auto renewed =
        answer ? parse_session_token(*answer) : Result<SessionToken>(fail(answer.error()));
    lock.lock();
    if (renewed) {
      m_token.password = renewed->password;
      ++m_refreshes;
      due = std::chrono::steady_clock::now() + renewed->refresh_after;
    } else {
      due = std::chrono::steady_clock::now() + k_refresh_retry;
    }
  }
}

}  // namespace cs::cli
