#include "cli/commands/dev_idp_token.h"

#include <ostream>

#include "cli/commands/api_command.h"
#include "cli/output/table.h"

namespace cs::cli {

void add_dev_idp_token(CLI::App& dev, std::shared_ptr<const DevCommandOptions> dev_options,
                       Context& ctx, Action& action) {
  auto options = std::make_shared<DevIdpTokenOptions>();
  CLI::App* cmd = dev.add_subcommand(
      "idp-token", "Print a token from the dev identity provider of the running broker");
  cmd->add_option("--provider", options->provider,
                  "supabase, firebase, auth0, clerk or oidc, or a dev provider's id or name")
      ->required();
  cmd->add_option("--email", options->email, "The email the token vouches for")->required();
  cmd->add_option("--subject", options->subject,
                  "The token's sub (default: a stable id derived from the email)");
  cmd->add_option("--ttl", options->ttl_seconds, "Seconds until the token expires (default 3600)");
  add_json_flag(*cmd, options->json);
  cmd->fallthrough();  // `dev idp-token --data-dir DIR` means `dev --data-dir DIR idp-token`
  cmd->footer(
      "The token is signed by keys the dev broker keeps in its data directory, and carries the\n"
      "iss, aud and claims of the named provider. Naming a type the broker has no dev provider\n"
      "for creates one (dev-<type>), which trusts those keys. Needs `cloudsignal dev` running.\n"
      "\n"
      "Examples:\n"
      "  cloudsignal dev idp-token --provider supabase --email ada@example.com\n"
      "  cloudsignal dev idp-token --provider firebase --email ada@example.com \\\n"
      "      | cloudsignal tokens exchange --dev --token -\n"
      "  cloudsignal dev idp-token --provider clerk --email ada@example.com --ttl 60 --json");
  cmd->callback([options, dev_options, &ctx, &action] {
    options->data_dir = dev_options->data_dir;
    action = [options, &ctx] { return run_dev_idp_token(*options, ctx); };
  });
}

int run_dev_idp_token(const DevIdpTokenOptions& options, Context& ctx) {
  if (options.ttl_seconds && (*options.ttl_seconds < k_min_idp_token_ttl_seconds ||
                              *options.ttl_seconds > k_max_idp_token_ttl_seconds)) {
    return report_error(Error(ErrorCode::usage, "--ttl must be from 1 to 86400 seconds"), ctx);
  }
  ApiFlags flags;
  flags.dev = true;
  flags.dev_data_dir = options.data_dir;
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  nlohmann::json body = {{"provider", options.provider}, {"email", options.email}};
  if (!options.subject.empty()) body["subject"] = options.subject;
  if (options.ttl_seconds) body["ttl_seconds"] = *options.ttl_seconds;
  auto answer = session->call("POST", "/v2/dev/idp-token", body);
  if (!answer) return report_error(answer.error(), ctx);
  if (options.json) return print_json(ctx, *answer);
  const auto token = answer->find("token");
  if (token == answer->end() || !token->is_string()) {
    return report_error(Error(ErrorCode::internal, "the broker answered without a token"), ctx);
  }
  if (answer->value("provider_created", false)) {
    ctx.status() << "created the dev provider "
                 << output::field(answer->value("provider", nlohmann::json::object()), "name")
                 << '\n';
  }
  ctx.out << token->get<std::string>() << '\n';
  return 0;
}

}  // namespace cs::cli
