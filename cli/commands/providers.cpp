#include "cli/commands/providers.h"

#include <fstream>
#include <memory>
#include <ostream>

#include "cli/commands/api_command.h"
#include "cli/output/table.h"

namespace cs::cli {
namespace {

void add_config_flags(CLI::App& command, ProviderFlags& provider) {
  auto& c = provider.config;
  command
      .add_option("--username-claim", provider.username_claim,
                  "MQTT names from the token's email (default) or sub")
      ->check(CLI::IsMember({"email", "sub"}));
  command.add_option("--project-url", c.project_url, "supabase: https://<ref>.supabase.co");
  command.add_option("--jwt-secret", c.jwt_secret,
                     "supabase, auth0: `-` reads the HS256 secret from stdin");
  command.add_option("--jwt-secret-file", c.jwt_secret_file,
                     "supabase, auth0: a file holding the HS256 secret");
  command.add_option("--project-id", c.project_id, "firebase: the Firebase project id");
  command.add_option("--domain", c.domain, "auth0: the tenant domain");
  command.add_option("--audience", c.audience, "auth0, oidc: the expected audience");
  command.add_option("--frontend-api-dev", c.frontend_api_dev, "clerk: development frontend API");
  command.add_option("--frontend-api-prod", c.frontend_api_prod, "clerk: production frontend API");
  command.add_option("--authorized-party", c.authorized_parties, "clerk: allowed azp (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--issuer", c.issuer, "oidc: the issuer; other types: an override");
  command.add_option("--jwks-uri", c.jwks_uri, "Where the signing keys are (an override)");
}

Result<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::usage, "cannot read --jwt-secret-file " + path);
  std::string secret(k_max_jwt_secret_file_bytes + 1, '\0');
  in.read(secret.data(), static_cast<std::streamsize>(secret.size()));
  secret.resize(static_cast<std::size_t>(in.gcount()));
  if (secret.size() > k_max_jwt_secret_file_bytes) {
    return fail(ErrorCode::usage, "--jwt-secret-file " + path + " is too large");
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return fail(ErrorCode::usage, "--jwt-secret-file " + path + " is empty");
  return secret;
}

// The JWT secret from stdin or a file, when either flag is given.
Result<std::optional<std::string>> jwt_secret(const ProviderConfigFlags& config, Context& ctx) {
  if (!config.jwt_secret.empty() && !config.jwt_secret_file.empty()) {
    return fail(ErrorCode::usage, "give --jwt-secret - or --jwt-secret-file, not both");
  }
  if (!config.jwt_secret_file.empty()) {
    auto secret = read_secret_file(config.jwt_secret_file);
    if (!secret) return fail(secret.error());
    return std::optional<std::string>(std::move(*secret));
  }
  if (config.jwt_secret.empty()) return std::optional<std::string>();
  auto secret = secret_from_flag(config.jwt_secret, "--jwt-secret", ctx);
  if (!secret) return fail(secret.error());
  return std::optional<std::string>(std::move(*secret));
}

int print_provider(const nlohmann::json& provider, Context& ctx) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const char* name :
       {"id", "type", "name", "enabled", "username_claim", "dev", "created_at", "updated_at"}) {
    fields.emplace_back(name, output::field(provider, name));
  }
  if (const auto config = provider.find("config");
      config != provider.end() && config->is_object()) {
    for (const auto& [key, value] : config->items()) {
      fields.emplace_back("config." + key, output::cell(value));
    }
  }
  fields.emplace_back("secrets_set", output::field(provider, "secrets_set"));
  ctx.out << output::render_fields(fields);
  return 0;
}

}  // namespace

void add_providers(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags) {
  auto options = std::make_shared<ProvidersOptions>();
  CLI::App* providers = add_noun(app, "providers", "Manage identity providers (token exchange)");
  providers->footer(
      "Examples:\n"
      "  cloudsignal providers list\n"
      "  cloudsignal providers add --type supabase --name app \\\n"
      "      --project-url https://abc.supabase.co --jwt-secret-file ./jwt-secret\n"
      "  cloudsignal providers add --type clerk --name web --frontend-api-prod clerk.example.com\n"
      "  cloudsignal providers update PROVIDER_ID --disabled\n"
      "  printf '%s\\n' \"$JWT\" | cloudsignal providers test PROVIDER_ID --token -\n"
      "  cloudsignal providers remove PROVIDER_ID --yes\n"
      "`providers test` exits 0 when the token is accepted and 1 when it is refused.");
  const auto bind = [&ctx, &action, &flags, options](CLI::App* command, auto run) {
    command->callback([&ctx, &action, &flags, options, run] {
      action = [&ctx, &flags, options, run] { return run(*options, flags, ctx); };
    });
  };
  auto& provider = options->provider;

  CLI::App* list = providers->add_subcommand("list", "List the providers");
  add_json_flag(*list, options->json);
  bind(list, run_providers_list);

  CLI::App* add = providers->add_subcommand("add", "Add a provider");
  add->add_option("--type", provider.type, "supabase, firebase, auth0, clerk or oidc")
      ->required()
      ->check(CLI::IsMember({"supabase", "firebase", "auth0", "clerk", "oidc"}));
  add->add_option("--name", provider.name, "A unique name (1 to 64 bytes)")->required();
  add->add_flag("--disabled", provider.disabled, "Create it switched off");
  add_config_flags(*add, provider);
  add_json_flag(*add, options->json);
  bind(add, run_providers_add);

  CLI::App* get = providers->add_subcommand("get", "Show a provider (secrets are never shown)");
  get->add_option("id", options->id, "Provider id")->required();
  add_json_flag(*get, options->json);
  bind(get, run_providers_get);

  CLI::App* update = providers->add_subcommand("update", "Change a provider's fields");
  update->add_option("id", options->id, "Provider id")->required();
  update->add_option("--name", provider.name, "A new unique name");
  auto* enabled = update->add_flag("--enabled", provider.enabled, "Switch it on");
  update->add_flag("--disabled", provider.disabled, "Switch it off")->excludes(enabled);
  add_config_flags(*update, provider);
  add_json_flag(*update, options->json);
  bind(update, run_providers_update);

  CLI::App* remove = providers->add_subcommand("remove", "Delete a provider");
  remove->add_option("id", options->id, "Provider id")->required();
  add_yes_flag(*remove, options->yes);
  bind(remove, run_providers_remove);

  CLI::App* test = providers->add_subcommand("test", "Check a token against a provider");
  test->add_option("id", options->id, "Provider id")->required();
  test->add_option("--token", options->token, "The JWT, or `-` to read it from stdin")->required();
  add_json_flag(*test, options->json);
  bind(test, run_providers_test);
}

int run_providers_list(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto providers = list_all(*session, "/v2/providers", "providers");
  if (!providers) return report_error(providers.error(), ctx);
  if (options.json) return print_json(ctx, {{"providers", *providers}});
  output::Table table{{"ID", "TYPE", "NAME", "ENABLED", "DEV", "USERNAME CLAIM"}, {}};
  for (const auto& p : *providers) {
    std::vector<std::string> row;
    for (const char* field : {"id", "type", "name", "enabled", "dev", "username_claim"}) {
      row.push_back(output::field(p, field));
    }
    table.rows.push_back(std::move(row));
  }
  ctx.out << output::render_table(table, output::output_style(ctx));
  return 0;
}

int run_providers_add(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto secret = jwt_secret(options.provider.config, ctx);
  if (!secret) return report_error(secret.error(), ctx);
  auto body = provider_create_body(options.provider, *secret);
  if (!body) return report_error(body.error(), ctx);
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto created = session->call("POST", "/v2/providers", *body);
  if (!created) return report_error(created.error(), ctx);
  if (options.json) return print_json(ctx, *created);
  ctx.status() << "Added provider " << output::printable(options.provider.name) << '\n';
  ctx.out << output::printable(output::field(*created, "id")) << '\n';
  return 0;
}

int run_providers_get(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto provider = session->call("GET", path_with("/v2/providers", options.id));
  if (!provider) return report_error(provider.error(), ctx);
  return options.json ? print_json(ctx, *provider) : print_provider(*provider, ctx);
}

int run_providers_update(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto secret = jwt_secret(options.provider.config, ctx);
  if (!secret) return report_error(secret.error(), ctx);
  auto body = provider_update_body(options.provider, *secret);
  if (!body) return report_error(body.error(), ctx);
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto updated = session->call("PATCH", path_with("/v2/providers", options.id), *body);
  if (!updated) return report_error(updated.error(), ctx);
  if (options.json) return print_json(ctx, *updated);
  ctx.status() << "Updated provider " << output::printable(options.id) << '\n';
  return 0;
}

int run_providers_remove(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx) {
  const std::string id = output::printable(options.id);
  return delete_confirmed(flags, ctx, options.yes,
                          "Delete the provider " + id + "? Its users can no longer sign in.",
                          path_with("/v2/providers", options.id), "Deleted provider " + id);
}

int run_providers_test(const ProvidersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto jwt = token_argument(options.token, ctx);
  if (!jwt) return report_error(jwt.error(), ctx);
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  std::string target = path_with("/v2/providers", options.id);
  target.append("/test");
  auto verdict = session->call("POST", target, nlohmann::json{{"token", *jwt}});
  if (!verdict) return report_error(verdict.error(), ctx);
  const auto it = verdict->find("valid");
  const bool valid = it != verdict->end() && it->is_boolean() && it->get<bool>();
  if (options.json) {
    print_json(ctx, *verdict);
  } else if (valid) {
    ctx.out << "valid: " << output::printable(output::field(*verdict, "mqtt_username")) << '\n';
  } else {
    ctx.out << "refused: " << output::printable(output::field(*verdict, "reason")) << '\n';
    ctx.err << output::printable(output::field(*verdict, "message")) << '\n';
  }
  return valid ? 0 : k_provider_refused_exit_code;
}

}  // namespace cs::cli
