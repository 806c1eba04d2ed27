#include "cli/commands/pubsub.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/interrupt.h"
#include "cli/line_reader.h"
#include "cli/mqtt_client/paho_client.h"
#include "cli/mqtt_client/refusal.h"
#include "cli/pubsub_identity.h"
#include "devbroker/mqtt/topic.h"

namespace cs::cli {
namespace {

using mqtt_client::ClientEvent;
using mqtt_client::MqttClient;

// MQTT itself bounds topics only by the length of a UTF-8 string.
constexpr mqtt::TopicLimits k_topic_limits{65535, 65535};

tl::unexpected<Error> usage(std::string message, std::string hint = {}) {
  return fail(ErrorCode::usage, std::move(message), std::move(hint));
}

tl::unexpected<Error> usage_of(std::string_view command, std::string message) {
  std::string hint = "run 'cloudsignal ";
  hint.append(command).append(" --help' for usage");
  return fail(ErrorCode::usage, std::move(message), std::move(hint));
}

Result<PayloadSource> payload_source(const PubCommandOptions& o) {
  const int given =
      (o.message ? 1 : 0) + (o.file.empty() ? 0 : 1) + (o.lines ? 1 : 0) + (o.null_message ? 1 : 0);
  if (given == 0) {
    return usage_of("pub",
                    "say what to publish: -m TEXT, -f FILE, -l (one message per stdin line) or "
                    "-n (an empty message)");
  }
  if (given > 1) return usage_of("pub", "give only one of -m, -f, -l and -n");
  if (!o.file.empty()) return PayloadSource::file;
  if (o.lines) return PayloadSource::lines;
  return PayloadSource::message;
}

Result<std::string> read_payload_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(ErrorCode::io, "cannot read -f " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::io, "cannot read -f " + path + ": " + std::strerror(errno));
  }
  std::string data;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > k_max_payload_bytes) {
      return fail(ErrorCode::invalid_request, "-f " + path + " is larger than " +
                                                  std::to_string(k_max_payload_bytes) +
                                                  " bytes, the most one MQTT message can carry");
    }
  }
  if (in.bad()) return fail(ErrorCode::io, "cannot read -f " + path);
  return data;
}

std::istream& input(Context& ctx, std::istringstream& empty) {
  return ctx.in != nullptr ? *ctx.in : empty;
}

Result<void> publish_lines(const PubPlan& plan, Context& ctx, MqttClient& client) {
  std::istringstream empty;
  std::istream& in = input(ctx, empty);
  mqtt_client::OutgoingMessage message = plan.message;
  for (;;) {
    auto line = read_line(in, k_max_payload_bytes, "a line on stdin");
    if (!line) return fail(line.error());
    if (!*line) return {};
    if ((*line)->empty()) continue;
    message.payload = std::move(**line);
    if (auto sent = client.publish(message); !sent) return sent;
  }
}

// 2, 0.5, 1.25: as a person would write it.
std::string seconds_text(std::chrono::milliseconds ms) {
  std::ostringstream out;
  out << static_cast<double>(ms.count()) / 1000.0;
  return out.str();
}

// -W passed before -C messages arrived.
Error too_few(std::size_t received, std::size_t count, std::chrono::milliseconds wait) {
  std::string message = "received ";
  message.append(std::to_string(received)).append(" of ").append(std::to_string(count));
  message.append(" messages within -W ").append(seconds_text(wait)).append(" seconds");
  return Error(ErrorCode::timeout, std::move(message));
}

int end_with(const Error& error, Context& ctx, MqttClient& client) {
  client.disconnect();
  return report_error(error, ctx);
}

Result<void> subscribe_all(const SubPlan& plan, mqtt::Version version, MqttClient& client) {
  auto codes = client.subscribe(plan.filters, plan.qos);
  if (!codes) return fail(codes.error());
  for (std::size_t i = 0; i < codes->size() && i < plan.filters.size(); ++i) {
    if ((*codes)[i] >= 0x80) {
      return fail(mqtt_client::subscribe_error(version, plan.filters[i], (*codes)[i]));
    }
  }
  return {};
}

// stdout refused a message. The library ignores SIGPIPE, so `sub | head -1` lands here when head
// exits: that is the reader's way of saying enough, not a failure.
Result<void> output_failed() {
  const int error = errno;
  if (error == EPIPE) return {};
  return fail(ErrorCode::io, std::string("cannot write to stdout: ") + std::strerror(error));
}

// Prints each message until -C, -W, an interrupt or the end of stdout's reader.
Result<void> print_messages(const SubPlan& plan, Context& ctx, MqttClient& client) {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (plan.wait) deadline = ctx.steady_now() + *plan.wait;
  std::size_t received = 0;
  for (;;) {
    ClientEvent event = client.next_event(deadline);
    if (auto* message = std::get_if<mqtt_client::ReceivedMessage>(&event)) {
      ctx.out << (plan.json ? mqtt_client::format_json(*message)
                            : mqtt_client::format_text(*message))
              << '\n';
      ctx.out.flush();
      if (!ctx.out) return output_failed();
      if (plan.count && ++received >= *plan.count) return {};
    } else if (auto* lost = std::get_if<mqtt_client::ConnectionLost>(&event)) {
      return fail(lost->error);
    } else if (std::holds_alternative<mqtt_client::Interrupted>(event)) {
      return {};
    } else if (plan.count && plan.wait) {
      return fail(too_few(received, *plan.count, *plan.wait));
    } else {
      return {};  // -W without -C: listened for as long as asked
    }
  }
}

// The connection `given` describes, with the signed-in account's credentials when neither the
// command line nor the environment names any; `keeper` then keeps a session's token alive.
Result<mqtt_client::ConnectSettings> connection_settings(
    const mqtt_client::ConnectionOptions& given, const ApiFlags& api, Context& ctx,
    std::unique_ptr<TokenKeeper>& keeper) {
  if (auto ok = mqtt_client::check_connection(given); !ok) return fail(ok.error());
  mqtt_client::ConnectionOptions o = given;
  const bool named = o.username || o.password || ctx.env_set(mqtt_client::k_username_env) ||
                     ctx.env_set(mqtt_client::k_password_env);
  if (!named) {
    std::optional<std::string> url = o.url;
    if (!url && ctx.env_set(mqtt_client::k_url_env)) url = ctx.getenv(mqtt_client::k_url_env);
    auto identity = resolve_api_identity(api, url, ctx);
    if (!identity) return fail(identity.error());
    if (*identity) {
      ApiIdentity& id = **identity;
      o.url = id.url;
      o.username = id.username;
      o.password = id.password;
      auto parsed = mqtt_client::parse_mqtt_url(id.url);
      if (o.ca_file.empty() && parsed && parsed->tls()) o.ca_file = id.ca_file;
      if (id.token) keeper = std::make_unique<TokenKeeper>(id);
    }
  }
  return mqtt_client::resolve_connection(o, ctx);
}

}  // namespace

void add_pub(CLI::App& app, Context& ctx, Action& action, const ApiFlags& api) {
  auto o = std::make_shared<PubCommandOptions>();
  CLI::App* cmd = app.add_subcommand("pub", "Publish MQTT messages");
  mqtt_client::add_connection_flags(*cmd, o->connection);
  cmd->add_option("-t,--topic", o->topic, "Topic to publish to");
  cmd->add_option("-m,--message", o->message, "Publish this text");
  cmd->add_option("-f,--file", o->file, "Publish the contents of this file (any bytes)");
  cmd->add_flag("-l,--stdin-line", o->lines,
                "Publish each line of stdin as a message (empty lines are skipped)");
  cmd->add_flag("-n,--null-message", o->null_message,
                "Publish an empty message (with -r: clears the retained message)");
  cmd->add_option("-q,--qos", o->qos, "QoS 0, 1 or 2; with 1 and 2, waits for the broker's ack")
      ->capture_default_str();
  cmd->add_flag("-r,--retain", o->retain, "Ask the broker to retain the message");
  cmd->add_option("--user-property", o->user_properties,
                  "KEY=VALUE user property on each message (repeatable; MQTT 5.0)")
      ->allow_extra_args(false);
  cmd->footer(
      "Credentials: -u/-P, else CLOUDSIGNAL_MQTT_USERNAME/PASSWORD, else the account the CLI is\n"
      "signed in to (--dev, CLOUDSIGNAL_API_KEY or the profile): after `cloudsignal login` a\n"
      "short-lived token for you, renewed while the command runs and revoked at its end; an API\n"
      "key connects as cli@<org> with the key's access. Signed-in credentials go only to that\n"
      "account's brokers; any other --url is reached without credentials.\n"
      "\n"
      "Exit codes: 0 published (acknowledged at QoS 1 and 2), 2 usage, 3 credentials or access\n"
      "refused, 6 the broker cannot be reached (or its TLS certificate is not trusted).\n"
      "\n"
      "Examples:\n"
      "  cloudsignal pub -t sensors/1/temp -m 21.5\n"
      "  cloudsignal pub --url mqtts://localhost:8883 --cafile \"$(cloudsignal dev ca)\" \\\n"
      "      -u backend@org_xxxxxxxxxxxx -P - -t events -m hi < key-file\n"
      "  cloudsignal pub -t config/device-7 -f config.json -q 1 -r\n"
      "  tail -f app.log | cloudsignal pub -t logs/app -l\n"
      "  cloudsignal pub -t config/device-7 -n -r            # clear a retained message\n"
      "  cloudsignal pub -t jobs -m '{}' --user-property trace=abc123");
  cmd->callback([o, &ctx, &action, &api] {
    action = [o, &ctx, &api] {
      o->api = api;
      mqtt_client::PahoClient client([] { return false; });
      return run_pub(*o, ctx, client);
    };
  });
}

void add_sub(CLI::App& app, Context& ctx, Action& action, const ApiFlags& api) {
  auto o = std::make_shared<SubCommandOptions>();
  CLI::App* cmd = app.add_subcommand("sub", "Subscribe to MQTT topics and print the messages");
  mqtt_client::add_connection_flags(*cmd, o->connection);
  cmd->add_option("-t,--topic", o->filters, "Topic filter, + and # allowed (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("-q,--qos", o->qos, "Highest QoS to receive messages at: 0, 1 or 2")
      ->capture_default_str();
  cmd->add_option("-C,--count", o->count, "Exit after this many messages");
  cmd->add_option("-W,--timeout", o->wait,
                  "Listen this many seconds at most (decimals allowed); see the exit codes");
  cmd->add_flag("--json", o->json, "Print one JSON object per message (see below)");
  cmd->footer(
      "Each message is one line on stdout: the topic, a space and the payload; a payload that\n"
      "is not UTF-8 text prints as base64:... With --json each line is an object:\n"
      "  {\"topic\": ..., \"payload\": text | \"payload_base64\": ..., \"qos\": 0-2,\n"
      "   \"retain\": bool, \"properties\": {content_type, response_topic, correlation_data\n"
      "   (base64), user_properties [{key, value}], message_expiry_interval,\n"
      "   payload_format_indicator}}   (properties only when the message has any)\n"
      "\n"
      "Credentials: -u/-P, else CLOUDSIGNAL_MQTT_USERNAME/PASSWORD, else the account the CLI is\n"
      "signed in to (--dev, CLOUDSIGNAL_API_KEY or the profile): after `cloudsignal login` a\n"
      "short-lived token for you, renewed while the command runs and revoked at its end; an API\n"
      "key connects as cli@<org> with the key's access. Signed-in credentials go only to that\n"
      "account's brokers; any other --url is reached without credentials.\n"
      "\n"
      "Exit codes: 0 after -C COUNT messages, after -W SECONDS when no -C was given, or on\n"
      "Ctrl-C (SIGINT) or SIGTERM; 6 when -W SECONDS pass before -C COUNT messages arrived,\n"
      "when the broker cannot be reached or the connection is lost; 3 when the credentials or\n"
      "the access list refuse (the error names the refused filter); 2 usage.\n"
      "\n"
      "Examples:\n"
      "  cloudsignal sub -t 'sensors/#'\n"
      "  cloudsignal sub --url wss://localhost:18885/mqtt --cafile \"$(cloudsignal dev ca)\" \\\n"
      "      -u backend@org_xxxxxxxxxxxx -P - -t 'users/#' < key-file\n"
      "  cloudsignal sub -t jobs/done -C 1 -W 30 --json | jq -r .payload\n"
      "  cloudsignal sub -t a -t 'b/+' --json -q 1");
  cmd->callback([o, &ctx, &action, &api] {
    action = [o, &ctx, &api] {
      o->api = api;
      InterruptFlag interrupt;
      mqtt_client::PahoClient client([&interrupt] { return interrupt.raised(); });
      return run_sub(*o, ctx, client);
    };
  });
}

Result<PubPlan> make_pub_plan(const PubCommandOptions& o) {
  if (auto ok = mqtt_client::check_connection(o.connection); !ok) return fail(ok.error());
  const auto version = *mqtt_client::connection_version(o.connection);
  PubPlan plan;
  if (o.topic.empty()) return usage_of("pub", "give the topic to publish to with -t TOPIC");
  if (auto why = mqtt::check_topic_name(o.topic, k_topic_limits)) {
    return usage("-t '" + o.topic + "' is not a topic name: " + *why,
                 "wildcards (+ and #) are for sub; pub names one topic");
  }
  auto source = payload_source(o);
  if (!source) return fail(source.error());
  plan.source = *source;
  plan.file = o.file;
  if (o.qos < 0 || o.qos > 2) return usage_of("pub", "-q must be 0, 1 or 2");
  if (!o.user_properties.empty() && version != mqtt::Version::v5) {
    return usage("--user-property needs MQTT 5.0", "drop --mqtt-version 3");
  }
  if (o.user_properties.size() > mqtt_client::k_max_user_properties) {
    return usage("at most " + std::to_string(mqtt_client::k_max_user_properties) +
                 " --user-property flags");
  }
  for (const auto& text : o.user_properties) {
    auto property = mqtt_client::parse_user_property(text);
    if (!property) return fail(property.error());
    plan.message.user_properties.push_back(std::move(*property));
  }
  plan.message.topic = o.topic;
  plan.message.qos = o.qos;
  plan.message.retain = o.retain;
  if (o.message) plan.message.payload = *o.message;
  return plan;
}

Result<SubPlan> make_sub_plan(const SubCommandOptions& o) {
  if (auto ok = mqtt_client::check_connection(o.connection); !ok) return fail(ok.error());
  SubPlan plan;
  if (o.filters.empty()) return usage_of("sub", "give at least one topic filter with -t FILTER");
  if (o.filters.size() > k_max_filters) {
    return usage("at most " + std::to_string(k_max_filters) + " -t filters");
  }
  for (const auto& filter : o.filters) {
    if (auto why = mqtt::check_topic_filter(filter, k_topic_limits)) {
      return usage("-t '" + filter + "' is not a topic filter: " + *why);
    }
  }
  plan.filters = o.filters;
  if (o.qos < 0 || o.qos > 2) return usage_of("sub", "-q must be 0, 1 or 2");
  plan.qos = o.qos;
  if (o.count && *o.count == 0) return usage_of("sub", "-C must be at least 1");
  plan.count = o.count;
  if (o.wait) {
    if (!(*o.wait > 0 && *o.wait <= k_max_wait_seconds)) {
      return usage_of("sub", "-W must be more than 0 and at most 604800 seconds (a week)");
    }
    const auto ms = static_cast<std::int64_t>(std::llround(*o.wait * 1000.0));
    plan.wait = std::chrono::milliseconds(std::max<std::int64_t>(ms, 1));
  }
  plan.json = o.json;
  return plan;
}

int run_pub(const PubCommandOptions& options, Context& ctx, MqttClient& client) {
  auto plan = make_pub_plan(options);
  if (!plan) return report_error(plan.error(), ctx);
  if (plan->source == PayloadSource::file) {
    auto data = read_payload_file(plan->file);
    if (!data) return report_error(data.error(), ctx);
    plan->message.payload = std::move(*data);
  }
  std::unique_ptr<TokenKeeper> keeper;
  auto settings = connection_settings(options.connection, options.api, ctx, keeper);
  if (!settings) return report_error(settings.error(), ctx);
  if (auto connected = client.connect(*settings); !connected) {
    return end_with(connected.error(), ctx, client);
  }
  const auto sent = plan->source == PayloadSource::lines ? publish_lines(*plan, ctx, client)
                                                         : client.publish(plan->message);
  if (!sent) return end_with(sent.error(), ctx, client);
  client.disconnect();
  return 0;
}

int run_sub(const SubCommandOptions& options, Context& ctx, MqttClient& client) {
  auto plan = make_sub_plan(options);
  if (!plan) return report_error(plan.error(), ctx);
  std::unique_ptr<TokenKeeper> keeper;
  auto settings = connection_settings(options.connection, options.api, ctx, keeper);
  if (!settings) return report_error(settings.error(), ctx);
  auto subscribed = client.connect(*settings).and_then(
      [&] { return subscribe_all(*plan, settings->version, client); });
  if (!subscribed) {
    // Ctrl-C while connecting is the user leaving, not a failure.
    if (client.interrupted()) return 0;
    return end_with(subscribed.error(), ctx, client);
  }
  if (auto printed = print_messages(*plan, ctx, client); !printed) {
    return end_with(printed.error(), ctx, client);
  }
  client.disconnect();
  return 0;
}

}  // namespace cs::cli
