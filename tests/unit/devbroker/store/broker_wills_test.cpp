// Wills of persistent sessions across restarts: a session whose connection was open when the
// broker died lost it then, so its will is published after the restart (its delay and session
// expiry counted from the restart); a will whose delay was running is published when it falls
// due. Real SQLite file, real writer thread; restart() ends the broker as SIGKILL would.

#include <catch2/catch.hpp>

#include "tests/unit/devbroker/store/persisted_broker.h"

using namespace cs::mqtt;
using namespace std::chrono_literals;
using cs::test::expiry;
using cs::test::payload_text;
using cs::test::PersistedBroker;
using cs::test::publishes;

namespace {

Will make_will(const std::string& topic, const std::string& payload, std::uint32_t delay = 0) {
  Will w;
  w.topic = topic;
  w.payload = cs::Bytes(payload.begin(), payload.end());
  w.qos = QoS::at_least_once;
  if (delay != 0) w.properties.will_delay_interval = delay;
  return w;
}

// A clean watcher of `wills/#` on the running broker.
ConnectionId watch(PersistedBroker& b) {
  const auto w = b.h().connect("watcher");
  b.h().subscribe(w, "wills/#", QoS::at_least_once);
  return w;
}

std::vector<std::string> wills_seen(PersistedBroker& b, ConnectionId watcher) {
  std::vector<std::string> out;
  for (const auto& p : publishes(b.h().received(watcher))) out.push_back(payload_text(p));
  return out;
}

}  // namespace

TEST_CASE("the will of a session connected when the broker died is published after the restart",
          "[store][persistence][will]") {
  for (Version v : {Version::v311, Version::v5}) {
    INFO("version " << static_cast<int>(v));
    PersistedBroker b;
    b.h().connect("c", v, false, v == Version::v5 ? expiry(300) : Properties{},
                  make_will("wills/c", "lost"));
    b.settle();
    CHECK(b.count("SELECT count(*) FROM session_wills WHERE due_at IS NULL") == 1);

    b.restart(30s);
    const auto watcher = watch(b);
    b.advance(1s);
    CHECK(wills_seen(b, watcher) == std::vector<std::string>{"lost"});
    b.settle();
    CHECK(b.count("SELECT count(*) FROM session_wills") == 0);
    CHECK(b.count("SELECT count(*) FROM sessions") == 1);  // the session lives on

    b.restart();
    b.advance(1s);
    CHECK(wills_seen(b, watch(b)).empty());  // published once
  }
}

TEST_CASE("a will delay and a session expiry count from the restart",
          "[store][persistence][will]") {
  PersistedBroker b;
  b.h().connect("slow", Version::v5, false, expiry(300), make_will("wills/slow", "slow", 10));
  b.h().connect("brief", Version::v5, false, expiry(4), make_will("wills/brief", "brief", 60));
  b.settle();

  b.restart(100s);  // far longer than either: the clocks start at the restart
  const auto watcher = watch(b);
  b.advance(3s);
  CHECK(wills_seen(b, watcher).empty());
  b.advance(2s);  // the session of "brief" ends before its will delay: its will goes with it
  CHECK(wills_seen(b, watcher) == std::vector<std::string>{"brief"});
  b.advance(4s);
  CHECK(wills_seen(b, watcher).empty());
  b.advance(2s);
  CHECK(wills_seen(b, watcher) == std::vector<std::string>{"slow"});
}

TEST_CASE("a will whose delay was running at the crash is published when due",
          "[store][persistence][will]") {
  PersistedBroker b;
  const auto c =
      b.h().connect("c", Version::v5, false, expiry(300), make_will("wills/c", "pending", 10));
  b.h().close(c);  // the network connection is lost: the delay starts
  b.settle();
  CHECK(b.count("SELECT count(*) FROM session_wills WHERE due_at IS NOT NULL") == 1);
  b.advance(3s);

  b.restart(4s);  // 7 of its 10 seconds have passed
  const auto watcher = watch(b);
  b.advance(2s);
  CHECK(wills_seen(b, watcher).empty());
  b.advance(2s);
  CHECK(wills_seen(b, watcher) == std::vector<std::string>{"pending"});

  SECTION("and at once when it fell due while the broker was down") {
    auto d = b.h().connect("d", Version::v5, false, expiry(300), make_will("wills/d", "late", 5));
    b.h().close(d);
    b.settle();
    b.restart(60s);
    const auto again = watch(b);
    b.advance(1s);
    CHECK(wills_seen(b, again) == std::vector<std::string>{"late"});
  }
  SECTION("with its session, when that expired while the broker was down") {
    auto d = b.h().connect("d", Version::v5, false, expiry(5), make_will("wills/d", "gone", 60));
    b.h().close(d);
    b.settle();
    b.restart(60s);
    const auto again = watch(b);
    b.advance(1s);
    CHECK(wills_seen(b, again) == std::vector<std::string>{"gone"});
    b.settle();
    CHECK(b.count("SELECT count(*) FROM sessions WHERE client_id = 'd'") == 0);
  }
}

TEST_CASE("no will after a restart when the client disconnected normally or came back",
          "[store][persistence][will]") {
  PersistedBroker b;
  const auto quiet =
      b.h().connect("quiet", Version::v5, false, expiry(300), make_will("wills/quiet", "no"));
  b.h().send(quiet, Disconnect{});
  b.h().close(quiet);
  auto back =
      b.h().connect("back", Version::v5, false, expiry(300), make_will("wills/back", "no", 30));
  b.h().close(back);
  b.settle();
  b.restart();
  // Coming back cancels the delayed will, and this connection registered none.
  back = b.h().connect("back", Version::v5, false, expiry(300));
  b.settle();
  CHECK(b.count("SELECT count(*) FROM session_wills") == 0);
  b.restart();
  const auto watcher = watch(b);
  b.advance(40s);
  CHECK(wills_seen(b, watcher).empty());
}

TEST_CASE("a server stopping keeps the will for the next start", "[store][persistence][will]") {
  PersistedBroker b;
  b.h().connect("c", Version::v5, false, expiry(300), make_will("wills/c", "after stop", 2));
  b.h().broker.shutdown(b.h().now);
  b.settle();
  CHECK(b.count("SELECT count(*) FROM session_wills WHERE due_at IS NULL") == 1);
  b.restart();
  const auto watcher = watch(b);
  b.advance(1s);
  CHECK(wills_seen(b, watcher).empty());
  b.advance(2s);
  CHECK(wills_seen(b, watcher) == std::vector<std::string>{"after stop"});
}

TEST_CASE("a restored will is checked against its sender's access, and left out when unreadable",
          "[store][persistence][will]") {
  PersistedBroker b;
  b.h().connect("ok", Version::v5, false, expiry(300), make_will("wills/ok", "published"));
  b.h().connect("denied", Version::v5, false, expiry(300), make_will("wills/denied", "no"));
  b.h().connect("broken", Version::v5, false, expiry(300), make_will("wills/broken", "no"));
  b.settle();
  REQUIRE(b.count("SELECT count(*) FROM session_wills WHERE identity = 'anonymous'") == 3);
  REQUIRE(b.store.store.database().execute_script(
      "UPDATE session_wills SET identity = 'who?' WHERE client_id = 'broken'"));

  b.restart();
  b.h().authorizer.deny_publish.insert("wills/denied");
  const auto watcher = watch(b);
  b.advance(1s);
  CHECK(wills_seen(b, watcher) == std::vector<std::string>{"published"});
}

TEST_CASE("a will with properties comes back as it was sent", "[store][persistence][will]") {
  PersistedBroker b;
  Will w = make_will("wills/props", "{\"state\":\"offline\"}");
  w.retain = true;
  w.qos = QoS::exactly_once;
  w.properties.content_type = "application/json";
  w.properties.payload_format_indicator = 1;
  w.properties.user_properties.push_back(UserProperty{"device", "d-1"});
  b.h().connect("c", Version::v5, false, expiry(300), w);
  b.settle();
  b.restart();
  b.advance(1s);
  // Retained: a subscriber that comes later still reads it.
  const auto late = b.h().connect("late");
  b.h().subscribe(late, "wills/#", QoS::exactly_once);
  const auto got = publishes(b.h().received(late));
  REQUIRE(got.size() == 1);
  CHECK(got[0].retain);
  CHECK(got[0].qos == QoS::exactly_once);
  CHECK(payload_text(got[0]) == "{\"state\":\"offline\"}");
  CHECK(got[0].properties.content_type == "application/json");
  CHECK(got[0].properties.payload_format_indicator == 1);
  REQUIRE(got[0].properties.user_properties.size() == 1);
  CHECK(got[0].properties.user_properties[0] == UserProperty{"device", "d-1"});
}
