#include "cli/commands/users.h"

#include <memory>
#include <ostream>

#include "cli/commands/api_command.h"
#include "cli/output/table.h"

namespace cs::cli {

void add_users(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags) {
  auto options = std::make_shared<UsersOptions>();
  CLI::App* users = add_noun(app, "users", "Manage the organization's MQTT users");
  users->footer(
      "Examples:\n"
      "  cloudsignal users list --json\n"
      "  PASSWORD=$(cloudsignal users add sensor_01)\n"
      "  printf '%s\\n' \"$PASSWORD\" | cloudsignal users passwd sensor_01 --password -\n"
      "  cloudsignal users remove sensor_01 --yes");
  const auto bind = [&ctx, &action, &flags, options](CLI::App* command, auto run) {
    command->callback([&ctx, &action, &flags, options, run] {
      action = [&ctx, &flags, options, run] { return run(*options, flags, ctx); };
    });
  };

  CLI::App* list = users->add_subcommand("list", "List the users");
  add_json_flag(*list, options->json);
  bind(list, run_users_list);

  CLI::App* add = users->add_subcommand("add", "Create a user (the password is shown once)");
  add->add_option("name", options->name, "User name (the part before @ in the MQTT username)")
      ->required();
  add->add_option("--password", options->password,
                  "`-` reads the password from stdin; without it one is generated");
  add_json_flag(*add, options->json);
  bind(add, run_users_add);

  CLI::App* remove = users->add_subcommand("remove", "Delete a user");
  remove->add_option("name", options->name, "User name")->required();
  add_yes_flag(*remove, options->yes);
  bind(remove, run_users_remove);

  CLI::App* passwd = users->add_subcommand("passwd", "Set a user's password");
  passwd->add_option("name", options->name, "User name")->required();
  passwd->add_option("--password", options->password, "`-`: read the new password from stdin")
      ->required();
  bind(passwd, run_users_passwd);
}

int run_users_list(const UsersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto users = list_all(*session, "/v2/users", "users");
  if (!users) return report_error(users.error(), ctx);
  if (options.json) return print_json(ctx, {{"users", *users}});
  output::Table table{{"NAME", "MQTT USERNAME", "CREATED"}, {}};
  for (const auto& user : *users) {
    table.rows.push_back({output::field(user, "name"), output::field(user, "mqtt_username"),
                          output::field(user, "created_at")});
  }
  ctx.out << output::render_table(table, output::output_style(ctx));
  return 0;
}

int run_users_add(const UsersOptions& options, const ApiFlags& flags, Context& ctx) {
  nlohmann::json body = {{"name", options.name}};
  if (!options.password.empty()) {
    auto password = secret_from_flag(options.password, "--password", ctx);
    if (!password) return report_error(password.error(), ctx);
    body["password"] = std::move(*password);
  }
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto created = session->call("POST", "/v2/users", body);
  if (!created) return report_error(created.error(), ctx);
  if (options.json) return print_json(ctx, *created);
  ctx.status() << "Created user " << output::printable(output::field(*created, "mqtt_username"))
               << '\n';
  if (const auto it = created->find("password"); it != created->end() && it->is_string()) {
    ctx.status() << "Its generated password follows; it is shown this once.\n";
    ctx.out << it->get<std::string>() << '\n';
  }
  return 0;
}

int run_users_remove(const UsersOptions& options, const ApiFlags& flags, Context& ctx) {
  const std::string name = output::printable(options.name);
  return delete_confirmed(flags, ctx, options.yes, "Delete the user " + name + "?",
                          path_with("/v2/users", options.name), "Deleted user " + name);
}

int run_users_passwd(const UsersOptions& options, const ApiFlags& flags, Context& ctx) {
  auto password = secret_from_flag(options.password, "--password", ctx);
  if (!password) return report_error(password.error(), ctx);
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  std::string target = path_with("/v2/users", options.name);
  target.append("/password");
  auto changed = session->call("POST", target, nlohmann::json{{"password", *password}});
  if (!changed) return report_error(changed.error(), ctx);
  ctx.status() << "Changed the password of " << output::printable(options.name) << '\n';
  return 0;
}

}  // namespace cs::cli
