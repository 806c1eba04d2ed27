#include "cli/commands/api_command.h"

#include <istream>
#include <ostream>

#include "cli/output/table.h"

namespace cs::cli {

Result<nlohmann::json> ApiSession::call(std::string_view method, std::string_view target,
                                        const std::optional<nlohmann::json>& body) const {
  return client.json(method, target, body, bearer);
}

Result<ApiSession> open_session(const ApiFlags& flags, Context& ctx) {
  auto target = resolve_api_target(flags, ctx);
  if (!target) return fail(target.error());
  return ApiSession{api_client(*target), target->bearer};
}

Result<ApiSession> open_session_without_credential(const ApiFlags& flags, Context& ctx) {
  auto session = open_session(flags, ctx);
  if (session || session.error().code != ErrorCode::unauthorized) return session;
  // No credential anywhere, so no profile either: the URL comes from the flags, the local
  // broker's runtime file, the environment or the default.
  ApiTarget target;
  std::string url = flags.api_url;
  if (flags.dev) {
    auto dir = dev_runtime_dir(flags.dev_data_dir, ctx);
    if (!dir) return fail(dir.error());
    auto runtime = read_dev_runtime(*dir);
    if (!runtime) return fail(runtime.error());
    if (url.empty()) url = runtime->api_url;
    target.ca_file = runtime->ca_file.string();
  }
  if (url.empty()) url = ctx.getenv("CLOUDSIGNAL_API_URL").value_or("");
  if (url.empty()) url = k_cloud_api_url;
  auto parsed = http::parse_secure_url(url);
  if (!parsed) {
    return fail(ErrorCode::usage,
                "the API URL " + url + " is not usable: " + parsed.error().message);
  }
  target.url = std::move(*parsed);
  return ApiSession{api_client(target), std::nullopt};
}

Result<nlohmann::json> list_all(const ApiSession& session, const std::string& path,
                                const std::string& field) {
  nlohmann::json items = nlohmann::json::array();
  std::string target = path;
  for (int page = 0; page < k_max_list_pages; ++page) {
    auto body = session.call("GET", target);
    if (!body) return fail(body.error());
    const auto it = body->find(field);
    if (it == body->end() || !it->is_array()) {
      return fail(ErrorCode::internal, "the API answered " + path + " without \"" + field + "\"");
    }
    for (auto& item : *it) items.push_back(std::move(item));
    const auto next = body->find("next_cursor");
    if (next == body->end() || !next->is_string()) return items;
    target = path;
    target.append(path.find('?') == std::string::npos ? "?" : "&")
        .append("cursor=")
        .append(http::url_encode(next->get<std::string>()));
  }
  return fail(ErrorCode::internal, "the listing of " + path + " did not end",
              "narrow it or report the API's behaviour");
}

std::string path_with(std::string_view path, std::string_view segment) {
  std::string out(path);
  out.push_back('/');
  // "." and ".." would be read as path steps by anything that normalises the URL.
  if (segment.find_first_not_of('.') == std::string_view::npos) {
    for (std::size_t i = 0; i < segment.size(); ++i) out.append("%2E");
    return out;
  }
  out.append(http::url_encode(segment));
  return out;
}

Result<std::string> read_stdin_line(Context& ctx, std::string_view what) {
  if (ctx.in == nullptr) {
    return fail(ErrorCode::usage,
                std::string(what) + " was to be read from stdin, which is closed");
  }
  std::string line;
  char c = 0;
  while (ctx.in->get(c) && c != '\n') {
    if (line.size() >= k_max_stdin_secret_bytes) {
      return fail(ErrorCode::usage, std::string(what) + " on stdin is too long");
    }
    line.push_back(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    std::string message = "no ";
    message.append(what).append(" on stdin");
    return fail(ErrorCode::usage, message, "pipe it in, e.g. `printf '%s\\n' \"$VALUE\" | ...`");
  }
  return line;
}

Result<std::string> secret_from_flag(const std::string& value, std::string_view flag,
                                     Context& ctx) {
  if (value != "-") {
    std::string message = "refusing to take a secret from the command line (";
    message.append(flag).append(")");
    std::string hint = "pass ";
    hint.append(flag).append(" - and the value on stdin");
    return fail(ErrorCode::usage, message, hint);
  }
  return read_stdin_line(ctx, flag.substr(flag.find_first_not_of('-')));
}

Result<void> confirm(Context& ctx, bool yes, std::string_view question) {
  if (yes) return {};
  if (!ctx.stdin_is_tty || ctx.in == nullptr) {
    return fail(ErrorCode::usage, "this command needs confirmation and stdin is not a terminal",
                "pass --yes to confirm");
  }
  ctx.err << question << " [y/N] ";
  ctx.err.flush();
  std::string answer;
  std::getline(*ctx.in, answer);
  if (answer == "y" || answer == "Y" || answer == "yes") return {};
  return fail(ErrorCode::usage, "cancelled");
}

void add_json_flag(CLI::App& command, bool& json) {
  command.add_flag("--json", json, "Print the API's JSON on stdout");
}

void add_yes_flag(CLI::App& command, bool& yes) {
  command.add_flag("-y,--yes", yes, "Do not ask for confirmation (required without a terminal)");
}

CLI::App* add_noun(CLI::App& app, const std::string& name, const std::string& description) {
  CLI::App* noun = app.add_subcommand(name, description);
  noun->require_subcommand(1);
  noun->fallthrough();
  return noun;
}

int delete_confirmed(const ApiFlags& flags, Context& ctx, bool yes, const std::string& question,
                     const std::string& path, const std::string& done) {
  if (auto ok = confirm(ctx, yes, question); !ok) return report_error(ok.error(), ctx);
  auto session = open_session(flags, ctx);
  if (!session) return report_error(session.error(), ctx);
  auto removed = session->call("DELETE", path);
  if (!removed) return report_error(removed.error(), ctx);
  ctx.status() << done << '\n';
  return 0;
}

Result<std::string> token_argument(const std::string& value, Context& ctx) {
  if (value != "-") return value;
  return read_stdin_line(ctx, "token");
}

int print_json(Context& ctx, const nlohmann::json& value) {
  ctx.out << output::render_json(value);
  return 0;
}

}  // namespace cs::cli
