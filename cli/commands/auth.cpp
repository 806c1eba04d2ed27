#include "cli/commands/auth.h"

#include <memory>
#include <ostream>

#include "cli/session.h"

namespace cs::cli {
namespace {

using nlohmann::json;

// Revocation is a courtesy to the server: a dead one must not hold up signing out.
constexpr std::chrono::seconds k_revoke_timeout{5};

json nullable(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

// `url` as a person writes it: no default port, no lone trailing '/'.
std::string display_url(const http::Url& url) {
  std::string text = url.scheme;
  text.append("://").append(url.host.find(':') != std::string::npos ? "[" + url.host + "]"
                                                                    : url.host);
  const bool default_port =
      (url.scheme == "https" && url.port == 443) || (url.scheme == "http" && url.port == 80);
  if (!default_port) text.append(":").append(std::to_string(url.port));
  if (url.path != "/") text.append(url.path);
  return text;
}

void print_field(std::ostream& out, std::string_view label, std::string_view value) {
  std::string line(label);
  line.resize(10, ' ');
  out << line << value << '\n';
}

// Revokes the session of profile `name` on its server, best effort: a failure is only reported.
void revoke_profile(const credentials::CredentialStore& store, const std::string& name,
                    const credentials::Profile& profile, Context& ctx) {
  if (profile.api_key_file) return;
  auto secrets = store.resolve_secrets(name);
  if (!secrets) {
    ctx.err << "warning: " << secrets.error().message << '\n';
    return;
  }
  const auto& token = secrets->refresh_token ? secrets->refresh_token : secrets->access_token;
  if (!token) return;  // an API key is revoked with the keys commands, not by signing out
  auto url = parse_api_url(profile.api_url);
  if (!url) return;
  http::ClientOptions options;
  options.connect_timeout = k_revoke_timeout;
  options.read_timeout = k_revoke_timeout;
  options.ca_file = profile.ca_file.value_or("");
  if (auto revoked = revoke_token(http::Client(*url, options), *token); !revoked) {
    ctx.err << "warning: the session could not be revoked on " << profile.api_url << " ("
            << revoked.error().message << "); it ends when it expires\n";
  }
}

Result<void> logout_one(const credentials::CredentialStore& store, const std::string& name,
                        Context& ctx) {
  auto profile = store.load(name);
  if (!profile) return fail(profile.error());
  if (*profile) revoke_profile(store, name, **profile, ctx);
  if (auto removed = store.remove(name); !removed) return removed;
  ctx.status() << "Signed out of profile \"" << name << "\"\n";
  return {};
}

void print_whoami(const ApiTarget& target, const json& me, bool as_json, Context& ctx) {
  const auto email = optional_string(string_at(me, "user", "email"));
  const auto kind = string_at(me, "credential", "kind");
  std::optional<std::string> expiry, storage;
  if (target.stored && target.stored->access_token_expires_at) {
    expiry = format_rfc3339(*target.stored->access_token_expires_at);
  }
  if (target.stored) storage = std::string(credentials::storage_name(target.stored->storage));
  if (as_json) {
    ctx.out << json{{"email", nullable(email)},
                    {"user_id", nullable(optional_string(string_at(me, "user", "id")))},
                    {"org_id", string_at(me, "organization", "id")},
                    {"org_short_id", string_at(me, "organization", "short_id")},
                    {"org_name", string_at(me, "organization", "name")},
                    {"api_url", display_url(target.url)},
                    {"credential", nullable(optional_string(kind))},
                    {"access_token_expires_at", nullable(expiry)},
                    {"storage", nullable(storage)},
                    {"profile", nullable(optional_string(target.profile))},
                    {"source", target.source}}
                   .dump(2)
            << '\n';
    return;
  }
  print_field(ctx.out, "user", email.value_or("none (an API key)"));
  std::string org = string_at(me, "organization", "name");
  org.append(" (").append(string_at(me, "organization", "short_id")).append(")");
  print_field(ctx.out, "org", org);
  print_field(ctx.out, "API", display_url(target.url));
  print_field(ctx.out, "expires", expiry.value_or("never"));
  print_field(ctx.out, "storage", storage.value_or("none"));
  print_field(ctx.out, "source", target.source);
}

}  // namespace

int run_logout(const LogoutOptions& options, const ApiFlags& flags, Context& ctx) {
  auto store = open_store(ctx);
  if (!store) return report_error(store.error(), ctx);
  if (!options.all) {
    auto name = profile_name(flags.profile, ctx);
    if (!name) return report_error(name.error(), ctx);
    auto done = logout_one(*store, *name, ctx);
    return done ? 0 : report_error(done.error(), ctx);
  }
  auto profiles = store->list();
  if (!profiles) return report_error(profiles.error(), ctx);
  if (profiles->empty()) ctx.status() << "No profile is signed in\n";
  int code = 0;
  for (const auto& profile : *profiles) {
    if (auto done = logout_one(*store, profile.name, ctx); !done) {
      code = report_error(done.error(), ctx);
    }
  }
  return code;
}

int run_whoami(const WhoamiOptions& options, const ApiFlags& flags, Context& ctx) {
  auto target = resolve_api_target(flags, ctx);
  if (!target) return report_error(target.error(), ctx);
  auto me = api_client(*target).json("GET", "/v2/me", std::nullopt, target->bearer);
  if (!me) return report_error(me.error(), ctx);
  print_whoami(*target, *me, options.json, ctx);
  return 0;
}

int run_auth_token(const ApiFlags& flags, Context& ctx) {
  auto target = resolve_api_target(flags, ctx);
  if (!target) return report_error(target.error(), ctx);
  ctx.out << *target->bearer << '\n';
  return 0;
}

void add_auth(CLI::App& app, const ApiFlags& flags, Context& ctx, Action& action) {
  auto login = std::make_shared<LoginOptions>();
  CLI::App* login_cmd =
      app.add_subcommand("login", "Sign in: in the browser, or with a token or API key from stdin");
  login_cmd->add_flag("--with-token", login->with_token,
                      "Read a token or API key from stdin and save it in the profile");
  login_cmd->add_flag("--no-browser", login->no_browser,
                      "Print the sign-in URL without opening a browser (SSH, headless)");
  login_cmd->footer(
      "Examples:\n"
      "  cloudsignal login\n"
      "  cloudsignal login --dev --profile local\n"
      "  cloudsignal login --no-browser --api-url https://api.example.com --profile staging\n"
      "  echo \"$CLOUDSIGNAL_KEY\" | cloudsignal login --with-token");
  login_cmd->callback([login, &flags, &ctx, &action] {
    action = [=, &flags, &ctx] { return run_login(*login, flags, ctx); };
  });

  auto logout = std::make_shared<LogoutOptions>();
  CLI::App* logout_cmd =
      app.add_subcommand("logout", "Sign out: revoke the session and delete its secrets");
  logout_cmd->add_flag("--all", logout->all, "Sign out of every profile");
  logout_cmd->footer(
      "Examples:\n"
      "  cloudsignal logout\n"
      "  cloudsignal logout --profile staging\n"
      "  cloudsignal logout --all");
  logout_cmd->callback([logout, &flags, &ctx, &action] {
    action = [=, &flags, &ctx] { return run_logout(*logout, flags, ctx); };
  });

  auto whoami = std::make_shared<WhoamiOptions>();
  CLI::App* whoami_cmd = app.add_subcommand("whoami", "Show who is signed in, where and how");
  whoami_cmd->add_flag("--json", whoami->json, "Print one JSON object");
  whoami_cmd->footer(
      "Examples:\n"
      "  cloudsignal whoami\n"
      "  cloudsignal whoami --json --profile dev\n"
      "  CLOUDSIGNAL_API_KEY=sk_... cloudsignal whoami");
  whoami_cmd->callback([whoami, &flags, &ctx, &action] {
    action = [=, &flags, &ctx] { return run_whoami(*whoami, flags, ctx); };
  });

  CLI::App* auth = app.add_subcommand("auth", "Credentials for scripts");
  auth->require_subcommand(1);
  CLI::App* token = auth->add_subcommand(
      "token", "Print a valid access token or API key (a session is refreshed first)");
  token->footer(
      "Examples:\n"
      "  curl -H \"Authorization: Bearer $(cloudsignal auth token)\" "
      "https://api.cloudsignal.io/v2/me\n"
      "  cloudsignal auth token --profile dev");
  token->callback(
      [&flags, &ctx, &action] { action = [&flags, &ctx] { return run_auth_token(flags, ctx); }; });
}

}  // namespace cs::cli
