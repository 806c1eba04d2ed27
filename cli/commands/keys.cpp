#include "cli/commands/keys.h"

#include <memory>
#include <ostream>

#include "cli/commands/api_command.h"
#include "cli/output/table.h"

namespace cs::cli {
namespace {

// The new secret goes alone to stdout so that `KEY=$(cloudsignal keys create ...)` holds it.
int print_new_key(const nlohmann::json& key, const char* verb, bool json, Context& ctx) {
  if (json) return print_json(ctx, key);
  ctx.status() << verb << " key " << output::printable(output::field(key, "id")) << " ("
               << output::printable(output::field(key, "name")) << ", "
               << output::printable(output::field(key, "type"))
               << "); its secret follows and is shown this once.\n";
  ctx.out << output::field(key, "key") << '\n';
  return 0;
}

}  // namespace

void add_keys(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags) {
  auto options = std::make_shared<KeysOptions>();
  CLI::App* keys = add_noun(app, "keys", "Manage API keys (sk_ full access, rk_ restricted)");
  keys->footer(
      "Examples:\n"
      "  cloudsignal keys list\n"
      "  KEY=$(cloudsignal keys create --name ci --type secret)\n"
      "  cloudsignal keys create --name dashboard --type restricted \\\n"
      "      --scope 'subscribe:dash/#' --scope read --allow-ip 10.0.0.0/8\n"
      "  cloudsignal keys rotate KEY_ID\n"
      "  cloudsignal keys revoke KEY_ID --yes");
  const auto bind = [&ctx, &action, &flags, options](CLI::App* command, auto run) {
    command->callback([&ctx, &action, &flags, options, run] {
      action = [&ctx, &flags, options, run] { return run(*options, flags, ctx); };
    });
  };

  CLI::App* list = keys->add_subcommand("list", "List the live keys (prefixes, never secrets)");
  add_json_flag(*list, options->json);
  bind(list, run_keys_list);

  CLI::App* create = keys->add_subcommand("create", "Create a key (the secret is shown once)");
  create->add_option("--name", options->name, "A name to recognise the key by")->required();
  create->add_option("--type", options->type, "secret (full access) or restricted (scopes)")
      ->required()
      ->check(CLI::IsMember({"secret", "restricted"}));
  create
      ->add_option("--scope", options->scopes,
                   "publish:FILTER, subscribe:FILTER, tokens:create, tokens:exchange or read "
                   "(repeatable)")
      ->allow_extra_args(false);
  create
      ->add_option("--allow-ip", options->allowed_ips,
                   "Address range allowed to use it (CIDR, "
                   "repeatable; default: any)")
      ->allow_extra_args(false);
  add_json_flag(*create, options->json);
  bind(create, run_keys_create);

  CLI::App* rotate = keys->add_subcommand("rotate", "Replace a key's secret (the old stops now)");
  rotate->add_option("id", options->id, "Key id")->required();
  add_json_flag(*rotate, options->json);
  bind(rotate, run_keys_rotate);

  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a key");
  revoke->add_option("id", options->id, "Key id")->required();
  add_yes_flag(*revoke, options->yes);
  bind(revoke, run_keys_revoke);
}

int run_keys_list(const KeysOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto keys = list_all(*session, "/v2/keys", "keys");
  if (!keys) return report_error(keys.error(), ctx);
  if (options.json) return print_json(ctx, {{"keys", *keys}});
  output::Table table{{"ID", "NAME", "TYPE", "PREFIX", "SCOPES", "CREATED", "LAST USED", "USES"},
                      {}};
  for (const auto& key : *keys) {
    std::vector<std::string> row;
    for (const char* field :
         {"id", "name", "type", "prefix", "scopes", "created_at", "last_used_at", "use_count"}) {
      row.push_back(output::field(key, field));
    }
    table.rows.push_back(std::move(row));
  }
  ctx.out << output::render_table(table, output::output_style(ctx));
  return 0;
}

int run_keys_create(const KeysOptions& options, const ApiFlags& flags, Context& ctx) {
  if (options.type == "secret" && !options.scopes.empty()) {
    return report_error(Error{ErrorCode::usage, "a secret key has full access and takes no scopes",
                              "use --type restricted with --scope"},
                        ctx);
  }
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  nlohmann::json body = {{"name", options.name}, {"type", options.type}};
  if (!options.scopes.empty()) body["scopes"] = options.scopes;
  if (!options.allowed_ips.empty()) body["ip_allowlist"] = options.allowed_ips;
  auto created = session->call("POST", "/v2/keys", body);
  if (!created) return report_error(created.error(), ctx);
  return print_new_key(*created, "Created", options.json, ctx);
}

int run_keys_rotate(const KeysOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  std::string target = path_with("/v2/keys", options.id);
  target.append("/rotate");
  auto rotated = session->call("POST", target);
  if (!rotated) return report_error(rotated.error(), ctx);
  return print_new_key(*rotated, "Rotated", options.json, ctx);
}

int run_keys_revoke(const KeysOptions& options, const ApiFlags& flags, Context& ctx) {
  const std::string id = output::printable(options.id);
  return delete_confirmed(flags, ctx, options.yes,
                          "Revoke the key " + id + "? Whatever uses it stops working.",
                          path_with("/v2/keys", options.id), "Revoked key " + id);
}

}  // namespace cs::cli
