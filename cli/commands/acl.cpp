#include "cli/commands/acl.h"

#include <memory>
#include <ostream>

#include "cli/commands/api_command.h"
#include "cli/output/table.h"

namespace cs::cli {
namespace {

std::string describe_rule(const nlohmann::json& rule) {
  std::string text = output::field(rule, "effect");
  text.append(" ")
      .append(output::field(rule, "permission"))
      .append(" on ")
      .append(output::field(rule, "topic"))
      .append(" for ")
      .append(output::field(rule, "user_pattern"));
  return output::printable(text);
}

}  // namespace

void add_acl(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags) {
  auto options = std::make_shared<AclOptions>();
  CLI::App* acl = add_noun(app, "acl", "Manage the access list (who may use which topics)");
  acl->footer(
      "Examples:\n"
      "  cloudsignal acl list\n"
      "  cloudsignal acl add --user % --topic 'users/%u/#' --permission pubsub\n"
      "  cloudsignal acl add --user sensor_01 --topic 'admin/#' --permission pub --deny\n"
      "  cloudsignal acl check --username sensor_01 --topic users/sensor_01/t --action pub\n"
      "  cloudsignal acl remove RULE_ID --yes\n"
      "`acl check` exits 0 when the access is allowed and 1 when it is denied.");
  const auto bind = [&ctx, &action, &flags, options](CLI::App* command, auto run) {
    command->callback([&ctx, &action, &flags, options, run] {
      action = [&ctx, &flags, options, run] { return run(*options, flags, ctx); };
    });
  };

  CLI::App* list = acl->add_subcommand("list", "List the rules in evaluation order");
  add_json_flag(*list, options->json);
  bind(list, run_acl_list);

  CLI::App* add = acl->add_subcommand("add", "Add a rule");
  add->add_option("--user", options->user_pattern, "`%` (every user) or a user name")->required();
  add->add_option("--topic", options->topic, "MQTT topic filter; %u = user name, %c = client id")
      ->required();
  add->add_option("--permission", options->permission, "pub, sub or pubsub")
      ->required()
      ->check(CLI::IsMember({"pub", "sub", "pubsub"}));
  add->add_flag("--deny", options->deny, "Deny instead of allow (a deny rule wins)");
  add_json_flag(*add, options->json);
  bind(add, run_acl_add);

  CLI::App* remove = acl->add_subcommand("remove", "Delete a rule");
  remove->add_option("id", options->id, "Rule id")->required();
  add_yes_flag(*remove, options->yes);
  bind(remove, run_acl_remove);

  CLI::App* check = acl->add_subcommand(
      "check", "Say whether a user may publish or subscribe (exit 0 allowed, 1 denied)");
  check->add_option("--username", options->username, "User name (with or without @org)")
      ->required();
  check->add_option("--topic", options->topic, "Topic (pub) or topic filter (sub)")->required();
  check->add_option("--action", options->action, "pub or sub")
      ->required()
      ->check(CLI::IsMember({"pub", "sub"}));
  check->add_option("--client-id", options->client_id, "Client id, for rules that use %c");
  add_json_flag(*check, options->json);
  bind(check, run_acl_check);
}

int run_acl_list(const AclOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto rules = list_all(*session, "/v2/acl", "rules");
  if (!rules) return report_error(rules.error(), ctx);
  if (options.json) return print_json(ctx, {{"rules", *rules}});
  output::Table table{{"ID", "USER", "TOPIC", "PERMISSION", "EFFECT"}, {}};
  for (const auto& rule : *rules) {
    std::vector<std::string> row;
    for (const char* field : {"id", "user_pattern", "topic", "permission", "effect"}) {
      row.push_back(output::field(rule, field));
    }
    table.rows.push_back(std::move(row));
  }
  ctx.out << output::render_table(table, output::output_style(ctx));
  return 0;
}

int run_acl_add(const AclOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  const nlohmann::json body = {{"user_pattern", options.user_pattern},
                               {"topic", options.topic},
                               {"permission", options.permission},
                               {"effect", options.deny ? "deny" : "allow"}};
  auto rule = session->call("POST", "/v2/acl", body);
  if (!rule) return report_error(rule.error(), ctx);
  if (options.json) return print_json(ctx, *rule);
  ctx.status() << "Added rule: " << describe_rule(*rule) << '\n';
  ctx.out << output::printable(output::field(*rule, "id")) << '\n';
  return 0;
}

int run_acl_remove(const AclOptions& options, const ApiFlags& flags, Context& ctx) {
  const std::string id = output::printable(options.id);
  return delete_confirmed(flags, ctx, options.yes, "Delete the rule " + id + "?",
                          path_with("/v2/acl", options.id), "Deleted rule " + id);
}

int run_acl_check(const AclOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  nlohmann::json body = {
      {"username", options.username}, {"topic", options.topic}, {"action", options.action}};
  if (!options.client_id.empty()) body["client_id"] = options.client_id;
  auto decision = session->call("POST", "/v2/acl/check", body);
  if (!decision) return report_error(decision.error(), ctx);
  const auto allowed = decision->find("allowed");
  if (allowed == decision->end() || !allowed->is_boolean()) {
    return report_error(Error{ErrorCode::internal, "the API's answer has no \"allowed\""}, ctx);
  }
  const bool ok = allowed->get<bool>();
  if (options.json) {
    print_json(ctx, *decision);
  } else {
    ctx.out << (ok ? "allowed" : "denied") << '\n';
    if (const auto rule = decision->find("rule"); rule != decision->end() && rule->is_object()) {
      ctx.err << "by rule " << output::printable(output::field(*rule, "id")) << ": "
              << describe_rule(*rule) << '\n';
    } else if (!ok) {
      ctx.err << "no rule allows it\n";
    }
  }
  return ok ? 0 : k_acl_denied_exit_code;
}

}  // namespace cs::cli
