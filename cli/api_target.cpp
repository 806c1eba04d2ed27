#include "cli/api_target.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

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

Result<ApiTarget> resolve_api_target(const ApiFlags& flags, Context& ctx) {
  ApiTarget target;
  std::string url;
  if (flags.dev) {
    auto dir = dev_runtime_dir(flags.dev_data_dir, ctx);
    if (!dir) return fail(dir.error());
    auto runtime = read_dev_runtime(*dir);
    if (!runtime) return fail(runtime.error());
    url = runtime->api_url;
    auto key = read_key_file(runtime->admin_key_file);
    if (!key) return fail(key.error());
    target.bearer = std::move(*key);
    target.ca_file = runtime->ca_file.string();
    target.source = "--dev";
  }
  if (!flags.api_url.empty()) {
    url = flags.api_url;
  } else if (url.empty()) {
    url = ctx.getenv("CLOUDSIGNAL_API_URL").value_or("");
  }
  if (url.empty()) url = k_cloud_api_url;
  if (!target.bearer) {
    if (auto key = ctx.getenv("CLOUDSIGNAL_API_KEY"); key && !key->empty()) {
      target.bearer = *key;
      target.source = "CLOUDSIGNAL_API_KEY";
    }
  }
  auto parsed = http::parse_secure_url(url);
  if (!parsed) {
    return fail(ErrorCode::usage,
                "the API URL " + url + " is not usable: " + parsed.error().message);
  }
  target.url = std::move(*parsed);
  if (!target.bearer) {
    return fail(ErrorCode::unauthorized, "not signed in",
                "run `cloudsignal login`, set CLOUDSIGNAL_API_KEY, or use --dev");
  }
  return target;
}

http::Client api_client(const ApiTarget& target) {
  http::ClientOptions options;
  options.ca_file = target.ca_file;
  return http::Client(target.url, options);
}

}  // namespace cs::cli
