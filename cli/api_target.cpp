#include "cli/api_target.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "cli/session.h"

namespace cs::cli {
namespace {

Result<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::io, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string string_or_empty(const nlohmann::json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<http::Url> parse_api_url(std::string_view url) {
  auto parsed = http::parse_secure_url(url);
  if (!parsed) {
    std::string message = "the API URL ";
    message.append(url).append(" is not usable: ").append(parsed.error().message);
    return fail(ErrorCode::usage, std::move(message));
  }
  return parsed;
}

void add_api_flags(CLI::App& app, ApiFlags& flags) {
  app.add_option("--api-url", flags.api_url,
                 "API to talk to (default: $CLOUDSIGNAL_API_URL, the profile's, or the cloud)");
  app.add_option("--profile", flags.profile,
                 "Signed-in profile to use (default: $CLOUDSIGNAL_PROFILE or \"default\")");
  app.add_flag("--dev", flags.dev, "Use the local broker started by `cloudsignal dev`");
  app.add_option("--dev-dir", flags.dev_data_dir,
                 "Data directory of the local broker for --dev (default ~/.cloudsignal/dev)");
}

Result<std::filesystem::path> dev_runtime_dir(const std::string& flag, Context& ctx) {
  if (!flag.empty()) return std::filesystem::path(flag);
  const auto home = ctx.getenv("HOME");
  if (!home || home->empty()) {
    return fail(ErrorCode::usage, "HOME is not set, so the local broker cannot be found",
                "pass --dev-dir DIR");
  }
  return std::filesystem::path(*home) / ".cloudsignal" / "dev";
}

Result<DevRuntime> read_dev_runtime(const std::filesystem::path& data_dir) {
  const auto file = data_dir / "dev.json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return fail(ErrorCode::unreachable,
                "the local broker is not running (no " + file.string() + ")",
                "start it with `cloudsignal dev`");
  }
  auto text = read_text(file);
  if (!text) return fail(text.error());
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || string_or_empty(j, "api_url").empty()) {
    return fail(ErrorCode::invalid_request, file.string() + " is damaged",
                "restart `cloudsignal dev` to write it again");
  }
  DevRuntime runtime;
  runtime.api_url = string_or_empty(j, "api_url");
  runtime.mqtt_url = string_or_empty(j, "mqtt_url");
  runtime.mqtts_url = string_or_empty(j, "mqtts_url");
  runtime.ws_url = string_or_empty(j, "ws_url");
  runtime.wss_url = string_or_empty(j, "wss_url");
  runtime.ca_file = string_or_empty(j, "ca_file");
  runtime.admin_key_file = string_or_empty(j, "admin_key_file");
  runtime.org_id = string_or_empty(j, "org_id");
  runtime.org_short_id = string_or_empty(j, "org_short_id");
  return runtime;
}

Result<std::string> read_key_file(const std::filesystem::path& path) {
  auto text = read_text(path);
  if (!text) return fail(text.error());
  std::string key = std::move(*text);
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) {
    key.pop_back();
  }
  if (key.empty()) return fail(ErrorCode::invalid_request, path.string() + " holds no key");
  return key;
}

namespace {

Result<ApiTarget> dev_target(const ApiFlags& flags, Context& ctx) {
  auto dir = dev_runtime_dir(flags.dev_data_dir, ctx);
  if (!dir) return fail(dir.error());
  auto runtime = read_dev_runtime(*dir);
  if (!runtime) return fail(runtime.error());
  auto key = read_key_file(runtime->admin_key_file);
  if (!key) return fail(key.error());
  const std::string& url = flags.api_url.empty() ? runtime->api_url : flags.api_url;
  auto parsed = parse_api_url(url);
  if (!parsed) return fail(parsed.error());
  ApiTarget target;
  target.url = std::move(*parsed);
  target.bearer = std::move(*key);
  target.ca_file = runtime->ca_file.string();
  target.source = "--dev";
  return target;
}

tl::unexpected<Error> not_signed_in(std::string_view profile) {
  std::string message = "not signed in";
  if (profile != credentials::k_default_profile) {
    message.append(" (there is no profile \"").append(profile).append("\")");
  }
  std::string hint = "run `cloudsignal login";
  if (profile != credentials::k_default_profile) hint.append(" --profile ").append(profile);
  hint.append("`, set CLOUDSIGNAL_API_KEY, or use --dev");
  return fail(ErrorCode::unauthorized, std::move(message), std::move(hint));
}

// The access token of profile `name`, refreshed under the credentials lock when it is about to
// expire (another process may have refreshed it meanwhile: then its token is used as it is).
Result<std::string> session_token(const credentials::CredentialStore& store,
                                  const std::string& name, ApiTarget& target, Context& ctx) {
  const SysSeconds now = now_seconds(ctx);
  if (!needs_refresh(*target.stored, now)) {
    auto secrets = store.resolve_secrets(name);
    if (!secrets) return fail(secrets.error());
    if (!secrets->access_token) return fail(session_expired(name));
    return *secrets->access_token;
  }
  const http::Client client = api_client(target);
  std::string access;
  auto saved = store.update(name, [&](credentials::Session& session) -> Result<void> {
    if (needs_refresh(session.profile, now)) {
      if (!session.secrets.refresh_token) return fail(session_expired(name));
      auto grant = refresh_session(client, name, *session.secrets.refresh_token, now);
      if (!grant) return fail(grant.error());
      apply_grant(session, *grant);
    }
    if (!session.secrets.access_token) return fail(session_expired(name));
    access = *session.secrets.access_token;
    target.stored = session.profile;
    return {};
  });
  if (!saved) return fail(saved.error());
  target.stored->storage = saved->storage;
  if (!saved->notice.empty()) ctx.err << "notice: " << saved->notice << '\n';
  return access;
}

// True when neither --profile nor CLOUDSIGNAL_PROFILE names a profile.
bool profile_implicit(const ApiFlags& flags, Context& ctx) {
  if (!flags.profile.empty()) return false;
  auto env = ctx.getenv(k_profile_env);
  return !env || env->empty();
}

Result<ApiTarget> profile_target(const ApiFlags& flags, Context& ctx,
                                 const credentials::CredentialStore& store, const std::string& name,
                                 const credentials::Profile& profile) {
  const std::string url = explicit_api_url(flags, ctx);
  if (!url.empty() && !same_api(url, profile.api_url)) {
    std::string message = "profile \"";
    message.append(name).append("\" is signed in to ").append(profile.api_url).append(", not ");
    message.append(url);
    return fail(ErrorCode::unauthorized, std::move(message),
                "sign in to that API with `cloudsignal login --api-url " + url +
                    " --profile NAME`, or set CLOUDSIGNAL_API_KEY");
  }
  auto parsed = parse_api_url(profile.api_url);
  if (!parsed) return fail(parsed.error());
  ApiTarget target;
  target.url = std::move(*parsed);
  target.ca_file = profile.ca_file.value_or("");
  target.source = "profile \"" + name + "\"";
  target.profile = name;
  target.stored = profile;
  if (profile.api_key_file) {
    auto key = read_key_file(*profile.api_key_file);
    if (!key) return fail(key.error());
    target.bearer = std::move(*key);
    return target;
  }
  if (!profile.access_token_expires_at) {
    auto secrets = store.resolve_secrets(name);
    if (!secrets) return fail(secrets.error());
    target.bearer = secrets->api_key ? secrets->api_key : secrets->access_token;
    if (!target.bearer) return not_signed_in(name);
    return target;
  }
  auto token = session_token(store, name, target, ctx);
  if (!token) return fail(token.error());
  target.bearer = std::move(*token);
  return target;
}

}  // namespace

std::string explicit_api_url(const ApiFlags& flags, Context& ctx) {
  if (!flags.api_url.empty()) return flags.api_url;
  return ctx.getenv("CLOUDSIGNAL_API_URL").value_or("");
}

bool same_api(std::string_view a, std::string_view b) {
  auto x = http::parse_url(a);
  auto y = http::parse_url(b);
  if (!x || !y) return false;
  const auto path = [](std::string p) {
    while (!p.empty() && p.back() == '/') p.pop_back();
    return p;
  };
  return x->scheme == y->scheme && x->host == y->host && x->port == y->port &&
         path(x->path) == path(y->path);
}

Result<ApiTarget> resolve_api_target(const ApiFlags& flags, Context& ctx) {
  if (flags.dev) return dev_target(flags, ctx);
  if (auto key = ctx.getenv("CLOUDSIGNAL_API_KEY"); key && !key->empty()) {
    std::string url = explicit_api_url(flags, ctx);
    auto parsed = parse_api_url(url.empty() ? std::string(k_cloud_api_url) : url);
    if (!parsed) return fail(parsed.error());
    ApiTarget target;
    target.url = std::move(*parsed);
    target.bearer = *key;
    target.source = "CLOUDSIGNAL_API_KEY";
    return target;
  }
  auto name = profile_name(flags.profile, ctx);
  if (!name) return fail(name.error());
  const std::string url = explicit_api_url(flags, ctx);
  if (!url.empty()) {
    if (auto parsed = parse_api_url(url); !parsed) return fail(parsed.error());
  }
  auto store = open_store(ctx);
  if (!store) return fail(store.error());
  auto profile = store->load(*name);
  if (!profile) return fail(profile.error());
  if (!*profile && profile_implicit(flags, ctx)) {
    // Nobody signed in, but `cloudsignal dev` ran here: commands reach the local broker.
    auto dev = store->load(std::string(k_dev_profile));
    if (!dev) return fail(dev.error());
    if (*dev && (url.empty() || same_api(url, (*dev)->api_url))) {
      return profile_target(flags, ctx, *store, std::string(k_dev_profile), **dev);
    }
  }
  if (!*profile) return not_signed_in(*name);
  return profile_target(flags, ctx, *store, *name, **profile);
}

http::Client api_client(const ApiTarget& target) {
  http::ClientOptions options;
  options.ca_file = target.ca_file;
  return http::Client(target.url, options);
}

}  // namespace cs::cli
