// `cloudsignal dev` keeps what it acknowledged across SIGTERM and SIGKILL: retained messages,
// persistent sessions with their subscriptions, their QoS 1 messages (also those sent to a
// connected client that did not acknowledge them) and their wills, and what /v1/publish
// confirmed; with the real binary and real clients (mosquitto_pub/sub, python3-paho-mqtt and a
// raw-socket subscriber in tests/integration/clients).

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "devbroker/store/database.h"
#include "tests/support/api_client.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::ApiClient;
using cs::test::BackgroundProcess;
using cs::test::DevBroker;
using cs::test::run_process;
using cs::test::TempDir;

namespace {

// `cloudsignal dev` over the data directory `dir`, which outlives it.
std::unique_ptr<DevBroker> start(const TempDir& dir) {
  return std::make_unique<DevBroker>(std::vector<std::string>{"--allow-anonymous"}, dir.path());
}

void kill_hard(DevBroker& dev) {
  dev.process().signal(SIGKILL);
  REQUIRE(dev.process().wait(10s).value_or(0) == 128 + SIGKILL);
}

// Runs one step of tests/integration/clients/paho_steps.py; true when it held.
bool step(int port, int version, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   CS_TEST_SOURCE_DIR "/integration/clients/paho_steps.py",
                                   std::to_string(port), std::to_string(version)};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv, 60s);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  return r.exit_code == 0;
}

std::vector<std::string> mosquitto(const char* tool, int port, const std::string& version,
                                   std::vector<std::string> args) {
  std::vector<std::string> argv = {tool, "-h",   "127.0.0.1", "-p", std::to_string(port),
                                   "-V", version};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// Waits until `text` shows up in the broker's stderr (log lines are read by another thread).
bool logged(DevBroker& dev, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (dev.process().err().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// Waits until `text` shows up in `process`'s stdout.
bool printed(const BackgroundProcess& process, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (process.out().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// Publishes "ready" to `topic` until `subscriber` prints it: it has connected and subscribed.
bool until_ready(const BackgroundProcess& subscriber, int port, const std::string& topic) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    run_process(mosquitto("mosquitto_pub", port, "mqttv311", {"-t", topic, "-m", "ready"}), 10s);
    const auto deadline = std::chrono::steady_clock::now() + 200ms;
    while (std::chrono::steady_clock::now() < deadline) {
      if (subscriber.out().find("ready") != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
  }
  return false;
}

// A persistent subscriber to `topic` that receives and never acknowledges.
std::unique_ptr<BackgroundProcess> unacked_subscriber(int port, int version, const std::string& id,
                                                      const std::string& topic) {
  auto p = std::make_unique<BackgroundProcess>(std::vector<std::string>{
      "/usr/bin/python3", CS_TEST_SOURCE_DIR "/integration/clients/unacked_subscriber.py",
      std::to_string(port), std::to_string(version), id, topic});
  INFO(p->err());
  REQUIRE(printed(*p, "subscribed"));
  return p;
}

}  // namespace

TEST_CASE("a message sent to a connected subscriber that never acknowledged it survives SIGKILL",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  std::vector<std::unique_ptr<BackgroundProcess>> holders;
  for (int v : {3, 5}) {
    const std::string v_text = std::to_string(v);
    holders.push_back(
        unacked_subscriber(dev->mqtt_port(), v, "holder-" + v_text, "live/" + v_text));
    // mosquitto_pub exits once its PUBACK (or PUBCOMP) arrives.
    for (const char* qos : {"1", "2"}) {
      const auto r = run_process(mosquitto("mosquitto_pub", dev->mqtt_port(), "mqttv311",
                                           {"-t", "live/" + v_text, "-m",
                                            std::string("in flight at QoS ") + qos, "-q", qos}),
                                 10s);
      REQUIRE(r.exit_code == 0);
    }
    INFO(holders.back()->out());
    REQUIRE(printed(*holders.back(), "got in flight at QoS 2"));
  }
  kill_hard(*dev);
  holders.clear();

  dev = start(dir);
  for (int v : {3, 5}) {
    INFO("MQTT " << v);
    const std::string v_text = std::to_string(v);
    CHECK(step(dev->mqtt_port(), v,
               {"resume", "holder-" + v_text, "live/" + v_text, "300", "in flight at QoS 1",
                "in flight at QoS 2"}));
  }
}

TEST_CASE("what /v1/publish confirmed survives SIGKILL right after the answer",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  REQUIRE(step(dev->mqtt_port(), 5, {"subscribe", "away", "http/queued", "300"}));
  const ApiClient api(dev->http_port(), dev->admin_key());
  auto reply =
      api.post("/v1/publish",
               {{"topic", "http/kept"}, {"payload", "retained"}, {"qos", 0}, {"retain", true}});
  REQUIRE(reply.status == 200);
  reply = api.post("/v1/publish", {{"topic", "http/queued"}, {"payload", "queued"}, {"qos", 1}});
  REQUIRE(reply.status == 200);
  CHECK(reply.body == nlohmann::json{{"status", "published"}});
  kill_hard(*dev);

  dev = start(dir);
  CHECK(step(dev->mqtt_port(), 3, {"retained", "http/kept", "1"}));
  CHECK(step(dev->mqtt_port(), 5, {"resume", "away", "http/queued", "300", "queued"}));
}

TEST_CASE("the will of a client connected when dev was killed is published after the restart",
          "[integration][persistence][will]") {
  TempDir dir;
  auto dev = start(dir);
  REQUIRE(step(dev->mqtt_port(), 5, {"subscribe", "observer", "wills/#", "300"}));
  std::vector<std::unique_ptr<BackgroundProcess>> holders;
  // 3.1.1 clean session 0 and 5.0 with a session expiry: persistent sessions, each with a will.
  holders.push_back(std::make_unique<BackgroundProcess>(
      mosquitto("mosquitto_sub", dev->mqtt_port(), "mqttv311",
                {"-c", "-i", "will-311", "-q", "1", "-t", "quiet/311", "--will-topic", "wills/311",
                 "--will-payload", "311 offline", "--will-qos", "1"})));
  holders.push_back(std::make_unique<BackgroundProcess>(
      mosquitto("mosquitto_sub", dev->mqtt_port(), "mqttv5",
                {"-c", "-i", "will-5", "-x", "300", "-q", "1", "-t", "quiet/5", "--will-topic",
                 "wills/5", "--will-payload", "5 offline", "--will-qos", "1"})));
  REQUIRE(until_ready(*holders[0], dev->mqtt_port(), "quiet/311"));
  REQUIRE(until_ready(*holders[1], dev->mqtt_port(), "quiet/5"));
  kill_hard(*dev);
  holders.clear();

  dev = start(dir);
  // The observer's session queued both wills; their order is the order of the sessions.
  std::this_thread::sleep_for(1s);
  auto r = run_process(mosquitto("mosquitto_sub", dev->mqtt_port(), "mqttv5",
                                 {"-c", "-i", "observer", "-x", "300", "-q", "1", "-t", "wills/#",
                                  "-v", "-C", "2", "-W", "10"}),
                       15s);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("wills/311 311 offline\n") != std::string::npos);
  CHECK(r.out.find("wills/5 5 offline\n") != std::string::npos);
}

TEST_CASE("a delayed will pending when dev was killed is published when due",
          "[integration][persistence][will]") {
  TempDir dir;
  auto dev = start(dir);
  {
    BackgroundProcess holder(
        mosquitto("mosquitto_sub", dev->mqtt_port(), "mqttv5",
                  {"-c", "-i", "delayed", "-x", "300", "-t", "quiet/d", "--will-topic",
                   "wills/delayed", "--will-payload", "delayed offline", "--will-retain", "-D",
                   "will", "will-delay-interval", "4"}));
    REQUIRE(until_ready(holder, dev->mqtt_port(), "quiet/d"));
    holder.signal(SIGKILL);  // the connection is lost: the 4 s delay starts
  }
  std::this_thread::sleep_for(1s);
  kill_hard(*dev);

  dev = start(dir);
  const auto restarted = std::chrono::steady_clock::now();
  auto r = run_process(mosquitto("mosquitto_sub", dev->mqtt_port(), "mqttv5",
                                 {"-t", "wills/#", "-v", "-C", "1", "-W", "10"}),
                       15s);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "wills/delayed delayed offline\n");
  // Due about 4 s after the connection was lost, of which about 1 passed before the kill.
  CHECK(std::chrono::steady_clock::now() - restarted > 1s);
}

TEST_CASE("a retained message survives SIGTERM, and SIGKILL right after its PUBACK",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  // mosquitto_pub exits once its QoS 1 PUBLISH is acknowledged.
  auto r = run_process(mosquitto("mosquitto_pub", dev->mqtt_port(), "mqttv311",
                                 {"-t", "keep/term", "-m", "after SIGTERM", "-q", "1", "-r"}),
                       10s);
  REQUIRE(r.exit_code == 0);
  CHECK(dev->stop() == 0);

  dev = start(dir);
  r = run_process(mosquitto("mosquitto_pub", dev->mqtt_port(), "mqttv5",
                            {"-t", "keep/kill", "-m", "after SIGKILL", "-q", "1", "-r"}),
                  10s);
  REQUIRE(r.exit_code == 0);
  kill_hard(*dev);

  dev = start(dir);
  r = run_process(mosquitto("mosquitto_sub", dev->mqtt_port(), "mqttv5",
                            {"-t", "keep/#", "-v", "-C", "2", "-W", "5"}),
                  10s);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("keep/term after SIGTERM\n") != std::string::npos);
  CHECK(r.out.find("keep/kill after SIGKILL\n") != std::string::npos);
}

TEST_CASE("every retained message acknowledged in a burst survives SIGKILL",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  // 300 QoS 1 retained messages in flight together: they commit in batches.
  REQUIRE(step(dev->mqtt_port(), 5, {"retain", "burst", "x", "300"}));
  kill_hard(*dev);
  dev = start(dir);
  CHECK(step(dev->mqtt_port(), 3, {"retained", "burst/#", "300"}));
}

TEST_CASE("a persistent session keeps its subscription and queued QoS 1 messages across SIGKILL",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  for (int v : {3, 5}) {
    INFO("MQTT " << v);
    const std::string id = "keeper-" + std::to_string(v);
    const std::string topic = "queued/" + std::to_string(v);
    REQUIRE(step(dev->mqtt_port(), v, {"subscribe", id, topic, "300"}));
    REQUIRE(step(dev->mqtt_port(), v, {"publish", topic, "first while away"}));
    REQUIRE(step(dev->mqtt_port(), v, {"publish", topic, "second while away"}));
  }
  kill_hard(*dev);

  dev = start(dir);
  for (int v : {3, 5}) {
    INFO("MQTT " << v);
    const std::string id = "keeper-" + std::to_string(v);
    const std::string topic = "queued/" + std::to_string(v);
    CHECK(step(dev->mqtt_port(), v,
               {"resume", id, topic, "300", "first while away", "second while away"}));
  }
  // Delivered and acknowledged: a second restart brings nothing back but the subscription.
  CHECK(dev->stop() == 0);
  dev = start(dir);
  CHECK(step(dev->mqtt_port(), 5, {"resume", "keeper-5", "queued/5", "300"}));
}

TEST_CASE("a session whose expiry lapsed while dev was down is gone",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  REQUIRE(step(dev->mqtt_port(), 5, {"subscribe", "brief", "lapse/brief", "2"}));
  REQUIRE(step(dev->mqtt_port(), 5, {"subscribe", "lasting", "lapse/lasting", "300"}));
  REQUIRE(step(dev->mqtt_port(), 5, {"publish", "lapse/lasting", "kept"}));
  kill_hard(*dev);
  std::this_thread::sleep_for(3s);

  dev = start(dir);
  CHECK(step(dev->mqtt_port(), 5, {"absent", "brief"}));
  CHECK(step(dev->mqtt_port(), 5, {"resume", "lasting", "lapse/lasting", "300", "kept"}));
}

TEST_CASE("a damaged row is left out with a warning and the rest is served",
          "[integration][persistence]") {
  TempDir dir;
  auto dev = start(dir);
  REQUIRE(step(dev->mqtt_port(), 5, {"retain", "damage/ok", "fine"}));
  REQUIRE(step(dev->mqtt_port(), 5, {"retain", "damage/bad", "broken"}));
  REQUIRE(step(dev->mqtt_port(), 3, {"subscribe", "damaged", "damage/queue", "0"}));
  REQUIRE(step(dev->mqtt_port(), 3, {"publish", "damage/queue", "lost to damage"}));
  REQUIRE(step(dev->mqtt_port(), 3, {"publish", "damage/queue", "still here"}));
  CHECK(dev->stop() == 0);

  {
    auto db = cs::store::Database::open(dir.path() + "/state.db");
    REQUIRE(db);
    REQUIRE(db->execute("UPDATE retained SET properties = x'01ff00' WHERE topic = 'damage/bad'"));
    REQUIRE(
        db->execute("UPDATE session_queue SET properties = x'02a0' WHERE seq = "
                    "(SELECT min(seq) FROM session_queue)"));
  }

  dev = start(dir);
  CHECK(logged(*dev,
               "left out of the stored state (the row stays in the database): the retained "
               "message of 'damage/bad': stored MQTT properties are damaged (not a CBOR map)"));
  CHECK(logged(*dev, "of session 'damaged': stored MQTT properties have an unknown format 2"));
  CHECK(step(dev->mqtt_port(), 5, {"retained", "damage/#", "1"}));
  CHECK(step(dev->mqtt_port(), 3, {"resume", "damaged", "damage/queue", "0", "still here"}));
}

TEST_CASE("a state.db that is not a database stops dev with an error naming it",
          "[integration][persistence]") {
  TempDir dir;
  { auto dev = start(dir); }
  {
    std::FILE* f = std::fopen((dir.path() + "/state.db").c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fputs("this is not a database, just damage\n", f);
    std::fclose(f);
  }
  for (const char* suffix : {"-wal", "-shm"})
    std::remove((dir.path() + "/state.db" + suffix).c_str());
  const auto r = run_process(
      {cs::test::cloudsignal_binary(), "dev", "--allow-anonymous", "--data-dir", dir.path(),
       "--mqtt-port", "0", "--mqtts-port", "0", "--ws-port", "0", "--wss-port", "0"},
      20s);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find(dir.path() + "/state.db") != std::string::npos);
}

TEST_CASE("with --ephemeral retained messages are acknowledged and served, and forgotten on exit",
          "[integration][persistence]") {
  TempDir dir;
  std::vector<std::string> args = {"--allow-anonymous", "--ephemeral"};
  auto dev = std::make_unique<DevBroker>(args, dir.path());
  REQUIRE(step(dev->mqtt_port(), 5, {"retain", "eph", "in memory"}));
  CHECK(step(dev->mqtt_port(), 3, {"retained", "eph", "1"}));
  CHECK(dev->stop() == 0);
  dev = std::make_unique<DevBroker>(args, dir.path());
  CHECK(step(dev->mqtt_port(), 3, {"retained", "eph", "0"}));
}
