#include "cli/commands/tokens.h"

#include <memory>
#include <ostream>

#include "cli/commands/api_command.h"
#include "cli/output/table.h"

namespace cs::cli {
namespace {

// A token response is the secret just issued: it goes to stdout, the only place it appears.
int print_token(const nlohmann::json& token, bool json, Context& ctx) {
  if (json) return print_json(ctx, token);
  ctx.out << output::render_fields(token_fields(token));
  return 0;
}

void add_token_flags(CLI::App& command, TokensOptions& options) {
  command.add_option("--integration-id", options.integration_id,
                     "Your own tag for the token (at most 128 bytes)");
  add_json_flag(command, options.json);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> token_fields(const nlohmann::json& token) {
  const auto field = [&token](const char* name) { return output::field(token, name); };
  return {
      {"token id", field("token_id")},           {"user", field("user_email")},
      {"mqtt username", field("mqtt_username")}, {"mqtt password", field("mqtt_password")},
      {"expires at", field("expires_at")},       {"refresh at", field("refresh_recommended_at")}};
}

void add_tokens(CLI::App& app, Context& ctx, Action& action, const ApiFlags& flags) {
  auto options = std::make_shared<TokensOptions>();
  CLI::App* tokens = add_noun(app, "tokens", "Issue and manage short-lived MQTT credentials");
  tokens->footer(
      "Examples:\n"
      "  cloudsignal tokens create --email ada@example.com --ttl 600 --json\n"
      "  printf '%s\\n' \"$JWT\" | cloudsignal tokens exchange --provider supabase --token -\n"
      "  printf '%s\\n' \"$TOKEN_PASSWORD\" | cloudsignal tokens refresh --id TOKEN_ID "
      "--password -\n"
      "  cloudsignal tokens list\n"
      "  cloudsignal tokens revoke TOKEN_ID --yes");
  const auto bind = [&ctx, &action, &flags, options](CLI::App* command, auto run) {
    command->callback([&ctx, &action, &flags, options, run] {
      action = [&ctx, &flags, options, run] { return run(*options, flags, ctx); };
    });
  };

  CLI::App* create = tokens->add_subcommand("create", "Issue a token for a user (by email)");
  create->add_option("--email", options->email, "The user's email")->required();
  create->add_option("--ttl", options->ttl_seconds, "Lifetime in seconds (default: the server's)")
      ->check(CLI::PositiveNumber);
  add_token_flags(*create, *options);
  bind(create, run_tokens_create);

  CLI::App* exchange =
      tokens->add_subcommand("exchange", "Trade an identity provider's token for MQTT credentials");
  exchange
      ->add_option("--provider", options->provider,
                   "Provider type (default: found from the token's issuer)")
      ->check(CLI::IsMember({"supabase", "firebase", "auth0", "clerk", "oidc"}));
  exchange
      ->add_option("--token", options->token, "The provider's JWT, or `-` to read it from stdin")
      ->required();
  add_token_flags(*exchange, *options);
  bind(exchange, run_tokens_exchange);

  CLI::App* refresh = tokens->add_subcommand("refresh", "Get a new password for a token");
  refresh->add_option("--id", options->id, "Token id")->required();
  refresh->add_option("--password", options->password, "`-`: read the current password from stdin")
      ->required();
  add_json_flag(*refresh, options->json);
  bind(refresh, run_tokens_refresh);

  CLI::App* list = tokens->add_subcommand("list", "List the active tokens (no passwords)");
  add_json_flag(*list, options->json);
  bind(list, run_tokens_list);

  CLI::App* revoke = tokens->add_subcommand("revoke", "Revoke a token (its sessions end)");
  revoke->add_option("id", options->id, "Token id")->required();
  add_yes_flag(*revoke, options->yes);
  bind(revoke, run_tokens_revoke);
}

int run_tokens_create(const TokensOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  nlohmann::json body = {{"user_email", options.email}};
  if (options.ttl_seconds > 0) body["ttl_seconds"] = options.ttl_seconds;
  if (!options.integration_id.empty()) body["integration_id"] = options.integration_id;
  auto token = session->call("POST", "/v2/tokens/create", body);
  if (!token) return report_error(token.error(), ctx);
  return print_token(*token, options.json, ctx);
}

int run_tokens_exchange(const TokensOptions& options, const ApiFlags& flags, Context& ctx) {
  auto jwt = token_argument(options.token, ctx);
  if (!jwt) return report_error(jwt.error(), ctx);
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  nlohmann::json body = {{"token", *jwt}};
  if (!options.provider.empty()) body["provider"] = options.provider;
  if (!options.integration_id.empty()) body["integration_id"] = options.integration_id;
  auto token = session->call("POST", "/v2/tokens/exchange", body);
  if (!token) return report_error(token.error(), ctx);
  return print_token(*token, options.json, ctx);
}

int run_tokens_refresh(const TokensOptions& options, const ApiFlags& flags, Context& ctx) {
  auto password = secret_from_flag(options.password, "--password", ctx);
  if (!password) return report_error(password.error(), ctx);
  auto session = open_session_without_credential(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  // The token id and its current password are the credential; no API key is sent.
  session->bearer.reset();
  const nlohmann::json body = {{"token_id", options.id}, {"current_token_password", *password}};
  auto token = session->call("POST", "/v2/tokens/refresh", body);
  if (!token) return report_error(token.error(), ctx);
  return print_token(*token, options.json, ctx);
}

int run_tokens_list(const TokensOptions& options, const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto tokens = list_all(*session, "/v2/tokens", "tokens");
  if (!tokens) return report_error(tokens.error(), ctx);
  if (options.json) return print_json(ctx, {{"tokens", *tokens}});
  output::Table table{{"ID", "USER", "MQTT USERNAME", "PROVIDER", "INTEGRATION", "EXPIRES"}, {}};
  for (const auto& token : *tokens) {
    std::vector<std::string> row;
    for (const char* field :
         {"token_id", "user_email", "mqtt_username", "provider", "integration_id", "expires_at"}) {
      row.push_back(output::field(token, field));
    }
    table.rows.push_back(std::move(row));
  }
  ctx.out << output::render_table(table, output::output_style(ctx));
  return 0;
}

int run_tokens_revoke(const TokensOptions& options, const ApiFlags& flags, Context& ctx) {
  const std::string id = output::printable(options.id);
  return delete_confirmed(flags, ctx, options.yes,
                          "Revoke the token " + id + "? Its MQTT sessions end.",
                          path_with("/v2/tokens", options.id), "Revoked token " + id);
}

}  // namespace cs::cli
