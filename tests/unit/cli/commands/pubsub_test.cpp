#include "cli/commands/pubsub.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <deque>
#include <sstream>

#include "cli/app.h"
#include "cli/mqtt_client/refusal.h"
#include "tests/support/process.h"

using namespace cs::cli;
using namespace cs::cli::mqtt_client;

namespace {

// Plays the broker's part: records what the command asks for, answers from a script.
class FakeClient final : public MqttClient {
 public:
  cs::Result<void> connect_result;
  std::vector<int> subscribe_codes;  // empty = grant every filter its QoS
  std::optional<cs::Error> publish_error_at;
  std::size_t publish_fail_index = 0;
  std::deque<ClientEvent> events;  // then DeadlinePassed (with a deadline) or Interrupted
  bool interrupt_flag = false;

  std::optional<ConnectSettings> connected;
  std::vector<OutgoingMessage> published;
  std::vector<std::string> filters;
  int subscribed_qos = -1;
  std::vector<std::optional<std::chrono::steady_clock::time_point>> deadlines;
  bool disconnected = false;

  cs::Result<void> connect(const ConnectSettings& s) override {
    connected = s;
    return connect_result;
  }
  cs::Result<void> publish(const OutgoingMessage& m) override {
    if (publish_error_at && published.size() == publish_fail_index) {
      return cs::fail(*publish_error_at);
    }
    published.push_back(m);
    return {};
  }
  cs::Result<std::vector<int>> subscribe(const std::vector<std::string>& f, int qos) override {
    filters = f;
    subscribed_qos = qos;
    if (!subscribe_codes.empty()) return subscribe_codes;
    return std::vector<int>(f.size(), qos);
  }
  ClientEvent next_event(std::optional<std::chrono::steady_clock::time_point> d) override {
    deadlines.push_back(d);
    if (!events.empty()) {
      ClientEvent e = std::move(events.front());
      events.pop_front();
      return e;
    }
    if (d) return DeadlinePassed{};
    return Interrupted{};
  }
  bool interrupted() const override { return interrupt_flag; }
  void disconnect() override { disconnected = true; }
};

struct Run {
  std::ostringstream out, err;
  std::istringstream in;
  std::map<std::string, std::string> vars;
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
  Context ctx{out, err, [this](std::string_view name) -> std::optional<std::string> {
                auto it = vars.find(std::string(name));
                if (it == vars.end()) return std::nullopt;
                return it->second;
              }};
  explicit Run(std::string input = {}) : in(std::move(input)) {
    ctx.in = &in;
    ctx.steady_now = [this] { return now; };
  }
};

PubCommandOptions pub_options(std::string topic = "t") {
  PubCommandOptions o;
  o.topic = std::move(topic);
  o.message = "hello";
  return o;
}

SubCommandOptions sub_options(std::vector<std::string> filters = {"t/#"}) {
  SubCommandOptions o;
  o.filters = std::move(filters);
  return o;
}

std::string pub_refusal(const PubCommandOptions& o) {
  auto plan = make_pub_plan(o);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().code == cs::ErrorCode::usage);
  return plan.error().message;
}

std::string sub_refusal(const SubCommandOptions& o) {
  auto plan = make_sub_plan(o);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().code == cs::ErrorCode::usage);
  return plan.error().message;
}

ReceivedMessage message(std::string topic, std::string payload) {
  return ReceivedMessage{std::move(topic), std::move(payload), 0, false, {}};
}

}  // namespace

TEST_CASE("pub plan: exactly one payload source", "[cli][pubsub]") {
  PubCommandOptions o;
  o.topic = "t";
  CHECK(pub_refusal(o) ==
        "say what to publish: -m TEXT, -f FILE, -l (one message per stdin line) or -n (an empty "
        "message)");
  o.message = "x";
  o.lines = true;
  CHECK(pub_refusal(o) == "give only one of -m, -f, -l and -n");
  o.lines = false;
  o.null_message = true;
  CHECK(pub_refusal(o) == "give only one of -m, -f, -l and -n");
  o.message.reset();
  auto plan = make_pub_plan(o);
  REQUIRE(plan);
  CHECK(plan->source == PayloadSource::message);
  CHECK(plan->message.payload.empty());
  o.null_message = false;
  o.file = "f.bin";
  plan = make_pub_plan(o);
  REQUIRE(plan);
  CHECK(plan->source == PayloadSource::file);
  CHECK(plan->file == "f.bin");
}

TEST_CASE("pub plan: the topic is a name, not a filter", "[cli][pubsub]") {
  CHECK(pub_refusal(pub_options("")) == "give the topic to publish to with -t TOPIC");
  CHECK(pub_refusal(pub_options("a/+/b")).starts_with("-t 'a/+/b' is not a topic name: "));
  CHECK(pub_refusal(pub_options("a/#")).starts_with("-t 'a/#' is not a topic name: "));
  CHECK(make_pub_plan(pub_options("a//b/")));
}

TEST_CASE("pub plan: QoS, retain and user properties", "[cli][pubsub]") {
  auto o = pub_options();
  o.qos = 3;
  CHECK(pub_refusal(o) == "-q must be 0, 1 or 2");
  o.qos = 2;
  o.retain = true;
  o.user_properties = {"a=1", "a=2", "b="};
  auto plan = make_pub_plan(o);
  REQUIRE(plan);
  CHECK(plan->message.qos == 2);
  CHECK(plan->message.retain);
  CHECK(plan->message.user_properties ==
        std::vector<UserProperty>{{"a", "1"}, {"a", "2"}, {"b", ""}});
  o.user_properties = {"nokey"};
  CHECK(pub_refusal(o) == "--user-property 'nokey' is not KEY=VALUE");
  o.user_properties = {"a=1"};
  o.connection.mqtt_version = 3;
  CHECK(pub_refusal(o) == "--user-property needs MQTT 5.0");
  o.connection.mqtt_version = 5;
  o.user_properties.assign(65, "k=v");
  CHECK(pub_refusal(o) == "at most 64 --user-property flags");
}

TEST_CASE("sub plan: filters, count and timeout", "[cli][pubsub]") {
  CHECK(sub_refusal(sub_options({})) == "give at least one topic filter with -t FILTER");
  CHECK(sub_refusal(sub_options({"a/#/b"})).starts_with("-t 'a/#/b' is not a topic filter: "));
  CHECK(sub_refusal(sub_options({"a/b+"})).starts_with("-t 'a/b+' is not a topic filter: "));
  CHECK(sub_refusal(sub_options(std::vector<std::string>(65, "a"))) == "at most 64 -t filters");
  auto o = sub_options({"a/+", "$share/g/b/#", "#"});
  o.count = 0;
  CHECK(sub_refusal(o) == "-C must be at least 1");
  o.count = 3;
  for (double bad : {0.0, -1.0, 604801.0, std::nan("")}) {
    o.wait = bad;
    CHECK(sub_refusal(o) == "-W must be more than 0 and at most 604800 seconds (a week)");
  }
  o.wait = 0.25;
  o.qos = 2;
  auto plan = make_sub_plan(o);
  REQUIRE(plan);
  CHECK(plan->filters.size() == 3);
  CHECK(plan->count == 3u);
  CHECK(plan->wait == std::chrono::milliseconds(250));
  CHECK(plan->qos == 2);
  o.wait = 0.0001;
  CHECK(make_sub_plan(o)->wait == std::chrono::milliseconds(1));
}

TEST_CASE("pub: connects, publishes -m and disconnects", "[cli][pubsub]") {
  Run run;
  run.vars["CLOUDSIGNAL_MQTT_URL"] = "mqtts://broker.example";
  FakeClient client;
  auto o = pub_options("a/b");
  o.qos = 1;
  o.connection.username = "u";
  o.connection.password = "p";
  CHECK(run_pub(o, run.ctx, client) == 0);
  REQUIRE(client.connected);
  CHECK(client.connected->target.url.text() == "mqtts://broker.example:8883");
  CHECK(client.connected->target.password == "p");
  REQUIRE(client.published.size() == 1);
  CHECK(client.published[0].topic == "a/b");
  CHECK(client.published[0].payload == "hello");
  CHECK(client.published[0].qos == 1);
  CHECK(client.disconnected);
  CHECK(run.out.str().empty());
  CHECK(run.err.str().empty());
}

TEST_CASE("pub -l: one message per stdin line, after the password line", "[cli][pubsub]") {
  Run run("secret\none\n\ntwo\r\nthree");
  FakeClient client;
  auto o = pub_options();
  o.message.reset();
  o.lines = true;
  o.connection.username = "u";
  o.connection.password = "-";
  CHECK(run_pub(o, run.ctx, client) == 0);
  CHECK(client.connected->target.password == "secret");
  REQUIRE(client.published.size() == 3);
  CHECK(client.published[0].payload == "one");
  CHECK(client.published[1].payload == "two");
  CHECK(client.published[2].payload == "three");
}

TEST_CASE("pub -f: a missing file fails before connecting", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  auto o = pub_options();
  o.message.reset();
  o.file = "/nonexistent/payload.bin";
  CHECK(run_pub(o, run.ctx, client) == 1);
  CHECK_FALSE(client.connected);
  CHECK(run.err.str() ==
        "error: cannot read -f /nonexistent/payload.bin: No such file or directory\n");
  cs::test::TempDir dir;
  o.file = dir.path();
  CHECK(run_pub(o, run.ctx, client) == 1);
  CHECK(run.err.str().find("it is a directory") != std::string::npos);
}

TEST_CASE("pub: a refusal from the broker becomes the exit code", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.connect_result =
      cs::fail(connack_error(cs::mqtt::Version::v5, 0x86, "mqtt://127.0.0.1:1883"));
  auto o = pub_options();
  o.connection.username = "u";
  o.connection.password = "hunter2";
  CHECK(run_pub(o, run.ctx, client) == 3);
  CHECK(run.err.str() ==
        "error: the broker at mqtt://127.0.0.1:1883 refused the connection: bad user name or "
        "password (0x86)\n"
        "hint: check -u and -P (or CLOUDSIGNAL_MQTT_USERNAME and CLOUDSIGNAL_MQTT_PASSWORD)\n");
  CHECK(run.err.str().find("hunter2") == std::string::npos);
  CHECK(client.published.empty());
}

TEST_CASE("pub -l: a failed publish stops the run with its error", "[cli][pubsub]") {
  Run run("a\nb\nc\n");
  FakeClient client;
  client.publish_error_at = publish_error("t", 0x87);
  client.publish_fail_index = 1;
  auto o = pub_options();
  o.message.reset();
  o.lines = true;
  CHECK(run_pub(o, run.ctx, client) == 3);
  CHECK(client.published.size() == 1);
  CHECK(run.err.str().starts_with(
      "error: the broker refused the message to 't': not authorized (0x87)\n"));
  CHECK(client.disconnected);
}

TEST_CASE("pub: usage errors exit 2 before any connection", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  auto o = pub_options("a/#");
  CHECK(run_pub(o, run.ctx, client) == 2);
  CHECK_FALSE(client.connected);
  o = pub_options();
  o.connection.url = "mqtt://user:pw@host";
  CHECK(run_pub(o, run.ctx, client) == 2);
  CHECK(run.err.str().find("pw@") == std::string::npos);
}

TEST_CASE("sub: prints topic and payload lines, stops after -C", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.events = {message("t/1", "one"), message("t/2", std::string("\x00\x01", 2)),
                   message("t/3", "three")};
  auto o = sub_options({"t/#", "u"});
  o.count = 2;
  o.qos = 1;
  CHECK(run_sub(o, run.ctx, client) == 0);
  CHECK(client.filters == std::vector<std::string>{"t/#", "u"});
  CHECK(client.subscribed_qos == 1);
  CHECK(run.out.str() == "t/1 one\nt/2 base64:AAE=\n");
  CHECK(run.err.str().empty());
  CHECK(client.disconnected);
  CHECK(client.deadlines.front() == std::nullopt);
}

TEST_CASE("sub --json: one object per line", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  ReceivedMessage m = message("t", "x");
  m.retain = true;
  m.properties.user_properties = {{"k", "v"}};
  client.events = {m};
  auto o = sub_options();
  o.json = true;
  o.count = 1;
  CHECK(run_sub(o, run.ctx, client) == 0);
  CHECK(run.out.str() ==
        "{\"topic\":\"t\",\"payload\":\"x\",\"qos\":0,\"retain\":true,\"properties\":{"
        "\"user_properties\":[{\"key\":\"k\",\"value\":\"v\"}]}}\n");
}

TEST_CASE("sub -W: without -C the deadline ends the run with 0", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.events = {message("t", "a")};
  auto o = sub_options();
  o.wait = 1.5;
  CHECK(run_sub(o, run.ctx, client) == 0);
  CHECK(run.out.str() == "t a\n");
  REQUIRE(client.deadlines.size() == 2);
  CHECK(client.deadlines[0] == run.now + std::chrono::milliseconds(1500));
}

TEST_CASE("sub -W with -C: too few messages in time is a timeout, exit 6", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.events = {message("t", "a")};
  auto o = sub_options();
  o.wait = 0.5;
  o.count = 3;
  CHECK(run_sub(o, run.ctx, client) == 6);
  CHECK(run.out.str() == "t a\n");
  CHECK(run.err.str() == "error: received 1 of 3 messages within -W 0.5 seconds\n");
}

TEST_CASE("sub: an interrupt ends the run with 0, even while connecting", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.events = {message("t", "a"), Interrupted{}, message("t", "b")};
  CHECK(run_sub(sub_options(), run.ctx, client) == 0);
  CHECK(run.out.str() == "t a\n");
  CHECK(client.disconnected);

  Run again;
  FakeClient connecting;
  connecting.interrupt_flag = true;
  connecting.connect_result = cs::fail(cs::ErrorCode::unreachable, "interrupted while connecting");
  CHECK(run_sub(sub_options(), again.ctx, connecting) == 0);
  CHECK(again.err.str().empty());
}

TEST_CASE("sub: a refused filter is named with its reason code", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.subscribe_codes = {0, 0x87};
  CHECK(run_sub(sub_options({"users/me/#", "#"}), run.ctx, client) == 3);
  CHECK(run.err.str() ==
        "error: the broker refused the subscription to '#': not authorized (0x87)\n"
        "hint: the access list does not give these credentials this filter\n");
  CHECK(run.out.str().empty());
  CHECK(client.disconnected);
}

TEST_CASE("sub: a lost connection is an error with its exit code", "[cli][pubsub]") {
  Run run;
  FakeClient client;
  client.events = {message("t", "a"),
                   ConnectionLost{disconnect_error(0x8B, "mqtt://127.0.0.1:1883")}};
  CHECK(run_sub(sub_options(), run.ctx, client) == 6);
  CHECK(run.out.str() == "t a\n");
  CHECK(run.err.str() ==
        "error: the broker at mqtt://127.0.0.1:1883 closed the connection: server shutting "
        "down (0x8B)\n");
}

TEST_CASE("sub: stdout that fails is an error unless its reader left", "[cli][pubsub]") {
  Run run;
  std::ostream broken(nullptr);  // every write fails
  Context ctx{broken, run.err, run.ctx.getenv};
  FakeClient client;
  client.events = {message("t", "a"), message("t", "b")};
  errno = 0;
  CHECK(run_sub(sub_options(), ctx, client) == 1);
  CHECK(run.err.str().starts_with("error: cannot write to stdout: "));
  CHECK(client.events.size() == 1);  // stopped at the first message
}

TEST_CASE("pub and sub appear in the help with examples and exit codes", "[cli][pubsub]") {
  std::ostringstream out, err;
  Context ctx{out, err, [](std::string_view) { return std::optional<std::string>{}; }};
  CHECK(run_cli({"sub", "--help"}, ctx) == 0);
  CHECK(out.str().find("-W,--timeout") != std::string::npos);
  CHECK(out.str().find("6 when -W SECONDS pass before -C COUNT messages arrived") !=
        std::string::npos);
  out.str("");
  CHECK(run_cli({"pub", "--help"}, ctx) == 0);
  CHECK(out.str().find("--user-property") != std::string::npos);
  CHECK(out.str().find("Examples:") != std::string::npos);
  out.str("");
  CHECK(run_cli({"pub", "-t", "x", "-q", "3", "-m", "y"}, ctx) == 2);
  CHECK(run_cli({"sub", "--mqtt-version", "4", "-t", "x"}, ctx) == 2);
}
