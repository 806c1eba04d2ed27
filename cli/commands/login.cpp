// `cloudsignal login`: with --with-token, a token or API key from stdin; otherwise the browser
// login (authorization code + PKCE S256 through a one-shot loopback listener).

#include <istream>
#include <ostream>

#include "cli/callback_listener.h"
#include "cli/commands/auth.h"
#include "cli/login_flow.h"
#include "cli/session.h"
#include "common/crypto/pkce.h"
#include "common/crypto/random.h"

namespace cs::cli {
namespace {

using nlohmann::json;

Result<std::string> read_token(Context& ctx) {
  std::string text;
  if (ctx.in != nullptr) {
    text.resize(k_max_token_input + 1);
    ctx.in->read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(ctx.in->gcount()));
  }
  if (text.size() > k_max_token_input) {
    return fail(ErrorCode::usage, "the token on stdin is longer than 16 KiB");
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return fail(ErrorCode::usage, "no token on stdin",
                "pipe one in: `echo \"$TOKEN\" | cloudsignal login --with-token`");
  }
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  if (text.find_first_of(" \t\r\n") != std::string::npos) {
    return fail(ErrorCode::usage, "stdin holds more than one token");
  }
  return text;
}

// Where `login` signs in: the local broker with --dev, else --api-url, CLOUDSIGNAL_API_URL or the
// cloud; with the CA to trust besides the system's.
Result<ApiTarget> login_api(const ApiFlags& flags, Context& ctx) {
  std::string url = explicit_api_url(flags, ctx);
  ApiTarget target;
  if (flags.dev) {
    auto dir = dev_runtime_dir(flags.dev_data_dir, ctx);
    if (!dir) return fail(dir.error());
    auto runtime = read_dev_runtime(*dir);
    if (!runtime) return fail(runtime.error());
    url = flags.api_url.empty() ? runtime->api_url : flags.api_url;
    target.ca_file = runtime->ca_file.string();
  }
  if (url.empty()) url = k_cloud_api_url;
  auto parsed = parse_api_url(url);
  if (!parsed) return fail(parsed.error());
  target.url = std::move(*parsed);
  target.source = url;  // as the user wrote it: the profile's api_url
  return target;
}

bool is_api_key(std::string_view token) {
  return token.rfind("sk_", 0) == 0 || token.rfind("rk_", 0) == 0;
}

std::string identity_line(const credentials::Profile& profile) {
  if (profile.email) return *profile.email;
  std::string line = "an API key of organization ";
  return line.append(profile.org_short_id.value_or("?"));
}

// Asks the API who `bearer` is and saves the profile with `session`'s secrets and expiry.
int finish_login(const ApiTarget& api, const std::string& name, credentials::Session session,
                 Context& ctx) {
  const std::string bearer = session.secrets.api_key ? *session.secrets.api_key
                                                     : session.secrets.access_token.value_or("");
  auto me = api_client(api).json("GET", "/v2/me", std::nullopt, bearer);
  if (!me) {
    Error error = me.error();
    if (error.code == ErrorCode::unauthorized || error.code == ErrorCode::invalid_token) {
      error = Error{ErrorCode::unauthorized, api.source + " refused the token",
                    "check that it is a current API key or access token for this API"};
    }
    return report_error(error, ctx);
  }
  session.profile.api_url = api.source;
  session.profile.email = optional_string(string_at(*me, "user", "email"));
  session.profile.org_id = optional_string(string_at(*me, "organization", "id"));
  session.profile.org_short_id = optional_string(string_at(*me, "organization", "short_id"));
  session.profile.ca_file = optional_string(api.ca_file);
  auto store = open_store(ctx);
  if (!store) return report_error(store.error(), ctx);
  auto saved = store->save(name, session);
  if (!saved) return report_error(saved.error(), ctx);
  if (!saved->notice.empty()) ctx.err << "notice: " << saved->notice << '\n';
  ctx.status() << "Signed in to " << api.source << " as " << identity_line(session.profile)
               << " (profile \"" << name << "\", secrets in the "
               << credentials::storage_name(saved->storage) << ")\n";
  return 0;
}

CallbackAnswer answer_callback(const std::multimap<std::string, std::string>& params,
                               const std::string& state) {
  auto code = read_callback(params, state);
  if (!code) return {fail(code.error()), callback_page(false, code.error().message)};
  return {std::move(code),
          callback_page(true, "cloudsignal received the sign-in; return to the terminal.")};
}

// Runs the browser part: listener, URL, browser, wait. Returns the code and the redirect URI.
Result<std::pair<std::string, std::string>> browser_code(const LoginOptions& options,
                                                         const ApiTarget& api,
                                                         const std::string& challenge,
                                                         Context& ctx) {
  auto timeout = login_timeout(ctx.getenv(k_login_timeout_env));
  if (!timeout) return fail(timeout.error());
  const std::string state = crypto::random_secret("", 24);
  auto listener = CallbackListener::start(
      [state](const auto& params) { return answer_callback(params, state); });
  if (!listener) return fail(listener.error());
  const std::string redirect_uri = loopback_redirect_uri((*listener)->port());
  const std::string url = authorize_url(api.url, {redirect_uri, challenge, state});
  ctx.err << "Open this URL in a browser to sign in:\n  " << url << '\n';
  if (!options.no_browser && ctx.open_url) {
    if (auto opened = ctx.open_url(url); !opened) {
      ctx.err << "warning: " << opened.error().message << '\n';
    }
  }
  static constexpr std::string_view k_frames = "|/-\\";
  std::size_t frame = 0;
  const auto spin = [&] {
    ctx.err << '\r' << k_frames[frame++ % k_frames.size()] << " Waiting for the browser..."
            << std::flush;
  };
  const bool spinning = ctx.interactive && !ctx.quiet;
  auto code = (*listener)->wait(*timeout, spinning ? std::function<void()>(spin) : nullptr);
  if (spinning) ctx.err << "\r\033[K" << std::flush;
  if (!code) return fail(code.error());
  return std::pair{std::move(*code), redirect_uri};
}

int browser_login(const LoginOptions& options, const ApiTarget& api, const std::string& name,
                  Context& ctx) {
  const bool ci = !ctx.getenv("CI").value_or("").empty();
  const bool has_browser = !ctx.getenv("BROWSER").value_or("").empty();
  if (ci || (!ctx.interactive && !has_browser)) {
    return report_error(
        Error{ErrorCode::usage,
              ci ? "CI is set, so login does not wait for a browser"
                 : "login needs a browser, and there is no terminal to wait in",
              "set CLOUDSIGNAL_API_KEY, or pipe a token into `cloudsignal login --with-token`"},
        ctx);
  }
  const std::string verifier = crypto::pkce_verifier();
  auto code = browser_code(options, api, crypto::pkce_challenge_s256(verifier), ctx);
  if (!code) return report_error(code.error(), ctx);
  auto grant =
      exchange_code(api_client(api), code->first, code->second, verifier, now_seconds(ctx));
  if (!grant) return report_error(grant.error(), ctx);
  credentials::Session session;
  apply_grant(session, *grant);
  return finish_login(api, name, std::move(session), ctx);
}

}  // namespace

int run_login(const LoginOptions& options, const ApiFlags& flags, Context& ctx) {
  auto name = profile_name(flags.profile, ctx);
  if (!name) return report_error(name.error(), ctx);
  if (!options.with_token) {
    auto api = login_api(flags, ctx);
    if (!api) return report_error(api.error(), ctx);
    return browser_login(options, *api, *name, ctx);
  }
  auto token = read_token(ctx);
  if (!token) return report_error(token.error(), ctx);
  auto api = login_api(flags, ctx);
  if (!api) return report_error(api.error(), ctx);
  credentials::Session session;
  (is_api_key(*token) ? session.secrets.api_key : session.secrets.access_token) = *token;
  return finish_login(*api, *name, std::move(session), ctx);
}

}  // namespace cs::cli
