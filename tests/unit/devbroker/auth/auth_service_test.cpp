// The auth stack deciding for a real broker core, over a real (in-memory) SQLite store.

#include "devbroker/auth/auth_service.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "devbroker/auth/service_authorizer.h"
#include "tests/support/broker_harness.h"
#include "tests/support/process.h"

using namespace cs::mqtt;
using namespace std::chrono_literals;
using cs::SysSeconds;
using cs::auth::AuthService;
using cs::auth::KeyType;
using cs::test::BrokerHarness;
using cs::test::make_publish;
using cs::test::publishes;

namespace {

const SysSeconds t0{std::chrono::seconds(1'900'000'000)};

AuthService::TokenRequest token_for(const std::string& email) {
  AuthService::TokenRequest request;
  request.user_email = email;
  return request;
}

// An AuthService on an in-memory store, the ServiceAuthorizer in front of it, and a broker.
struct Fixture {
  cs::test::TempDir dir;
  cs::store::Store store = cs::store::open_store(dir.path(), cs::store::Ephemeral::yes).value();
  cs::store::OrgRecord org = store.bootstrap(t0).value().org;
  std::unique_ptr<AuthService> auth;
  SysSeconds wall = t0;
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::pair<ConnectionId, AuthDecision>> late;  // decisions from bcrypt workers
  std::unique_ptr<cs::auth::ServiceAuthorizer> authorizer;
  std::unique_ptr<BrokerHarness> h;

  explicit Fixture(cs::auth::AuthOptions options = {}) {
    options.bcrypt_cost = 4;
    auth = std::make_unique<AuthService>(store, org, options);
    REQUIRE(auth->load());
    authorizer = std::make_unique<cs::auth::ServiceAuthorizer>(
        *auth, [this] { return wall; },
        [this](ConnectionId id, AuthDecision d) {
          std::lock_guard lock(mutex);
          late.emplace_back(id, std::move(d));
          arrived.notify_all();
        });
    h = std::make_unique<BrokerHarness>(*authorizer);
    auth->set_revoke_hook([this](const std::string& credential, ReasonCode reason) {
      h->broker.disconnect_if([&](const Identity& i) { return i.credential_id == credential; },
                              reason, h->now);
    });
  }

  // The broker goes first, then the service, whose workers may still hand in late decisions.
  ~Fixture() {
    h.reset();
    auth.reset();
  }

  std::string user(const std::string& name) { return name + "@" + org.short_id; }

  // Connects and returns the CONNACK's code, waiting for a late (bcrypt) decision if needed.
  std::uint8_t connect(ConnectionId& id, const std::string& client_id,
                       std::optional<std::string> username, std::optional<std::string> password,
                       Version v = Version::v5) {
    id = h->send_connect(client_id, v, std::move(username), std::move(password));
    auto packets = h->received(id, v);
    if (packets.empty()) {
      std::unique_lock lock(mutex);
      REQUIRE(arrived.wait_for(lock, 10s, [&] { return !late.empty(); }));
      auto [who, decision] = std::move(late.front());
      late.erase(late.begin());
      lock.unlock();
      h->broker.on_auth_result(who, std::move(decision), h->now);
      packets = h->received(id, v);
    }
    REQUIRE_FALSE(packets.empty());
    return std::get<Connack>(packets.front()).reason_code;
  }
  ConnectionId connected(const std::string& client_id, const std::string& username,
                         const std::string& password) {
    ConnectionId id = 0;
    REQUIRE(connect(id, client_id, username, password) == 0);
    return id;
  }
};

}  // namespace

TEST_CASE("native users connect with their password and nothing else", "[auth]") {
  Fixture f;
  REQUIRE(f.auth->create_user("alice", std::string("correct horse"), t0));
  ConnectionId id = 0;
  CHECK(f.connect(id, "c1", f.user("alice"), "correct horse") == 0);
  CHECK(f.connect(id, "c2", f.user("alice"), "wrong") == 0x86);
  CHECK(f.connect(id, "c3", f.user("alice"), "wrong", Version::v311) == 0x04);
  CHECK(f.connect(id, "c4", f.user("mallory"), "correct horse") == 0x86);
  CHECK(f.connect(id, "c5", "alice@org_aaaaaaaaaaaa", "correct horse") == 0x86);  // another org
  CHECK(f.connect(id, "c6", "alice", "correct horse") == 0x86);                   // no org
  CHECK(f.connect(id, "c7", f.user("alice"), std::nullopt) == 0x86);
  CHECK(f.connect(id, "c8", "alice@" + f.org.id, "correct horse") == 0);  // the org UUID works too
}

TEST_CASE("a generated user password is returned once and works", "[auth]") {
  Fixture f;
  const auto created = f.auth->create_user("sensor_01", std::nullopt, t0).value();
  CHECK(created.password.size() == 24);
  CHECK(created.record.password_hash.starts_with("$2b$04$"));
  f.connected("c", f.user("sensor_01"), created.password);
  CHECK(f.auth->create_user("sensor_01", std::nullopt, t0).error().code == cs::ErrorCode::conflict);
  CHECK_FALSE(f.auth->create_user("bad/name", std::nullopt, t0));
  CHECK_FALSE(f.auth->create_user("a+b", std::nullopt, t0));
}

TEST_CASE("anonymous clients only with --allow-anonymous", "[auth]") {
  {
    Fixture f;
    ConnectionId id = 0;
    CHECK(f.connect(id, "anon", std::nullopt, std::nullopt) == 0x87);
  }
  cs::auth::AuthOptions options;
  options.allow_anonymous = true;
  Fixture f(options);
  ConnectionId id = 0;
  CHECK(f.connect(id, "anon", std::nullopt, std::nullopt) == 0);
}

TEST_CASE("connected users are kept apart by the starter rule users/%u/#", "[auth][acl]") {
  Fixture f;
  f.auth->create_user("alice", std::string("a-password"), t0).value();
  f.auth->create_user("bob", std::string("b-password"), t0).value();
  const auto alice = f.connected("a", f.user("alice"), "a-password");
  const auto bob = f.connected("b", f.user("bob"), "b-password");
  CHECK(f.h->subscribe(alice, "users/alice/#", QoS::at_least_once) == std::vector<std::uint8_t>{1});
  CHECK(f.h->subscribe(alice, "users/bob/#", QoS::at_least_once) ==
        std::vector<std::uint8_t>{0x87});
  CHECK(f.h->subscribe(alice, "users/+/inbox", QoS::at_least_once) ==
        std::vector<std::uint8_t>{0x87});
  CHECK(f.h->subscribe(alice, "#", QoS::at_least_once) == std::vector<std::uint8_t>{0x87});

  f.h->send(bob, make_publish("users/alice/inbox", "from bob", QoS::at_least_once, 1));
  CHECK(std::get<Puback>(f.h->received(bob).at(0)).reason_code == ReasonCode::not_authorized);
  CHECK(publishes(f.h->received(alice)).empty());

  f.h->send(alice, make_publish("users/alice/inbox", "to self", QoS::at_least_once, 2));
  const auto packets = f.h->received(alice);  // the delivery to herself, then her PUBACK
  REQUIRE(packets.size() == 2);
  CHECK(publishes(packets).size() == 1);
  CHECK(std::get<Puback>(packets[1]).reason_code == ReasonCode::success);
}

TEST_CASE("tokens log in until revoked, revoking ends the session", "[auth][tokens]") {
  Fixture f;
  const auto token = f.auth->create_token(token_for("john@example.com"), t0).value();
  CHECK(token.mqtt_username == "john_example_com@" + f.org.short_id);
  CHECK(token.secret.starts_with("tkn_"));
  CHECK(token.record.expires_at == t0 + 3600s);
  CHECK(token.refresh_recommended_at == t0 + 3300s);
  const auto id = f.connected("c", token.mqtt_username, token.secret);
  ConnectionId other = 0;
  CHECK(f.connect(other, "c2", f.user("someone_else"), token.secret) == 0x86);  // bound to its name

  REQUIRE(f.auth->revoke_token(token.record.id, t0 + 10s));
  const auto packets = f.h->received(id);
  REQUIRE(packets.size() == 1);
  CHECK(std::get<Disconnect>(packets[0]).reason_code == ReasonCode::not_authorized);
  CHECK(f.h->close_requested(id));
  CHECK(f.connect(other, "c3", token.mqtt_username, token.secret) == 0x86);
  CHECK(f.auth->revoke_token(token.record.id, t0).error().code == cs::ErrorCode::not_found);
}

TEST_CASE("an expired token ends its session and is refused", "[auth][tokens]") {
  Fixture f;
  auto request = token_for("ann@example.com");
  request.ttl_seconds = 60;
  const auto token = f.auth->create_token(request, t0).value();
  const auto id = f.connected("c", token.mqtt_username, token.secret);
  f.auth->sweep(t0 + 59s);
  CHECK(f.h->received(id).empty());
  f.auth->sweep(t0 + 60s);
  CHECK(std::get<Disconnect>(f.h->received(id).at(0)).reason_code ==
        ReasonCode::maximum_connect_time);
  f.wall = t0 + 61s;
  ConnectionId again = 0;
  CHECK(f.connect(again, "c2", token.mqtt_username, token.secret) == 0x86);
}

TEST_CASE("refreshing a token replaces its password and keeps its session", "[auth][tokens]") {
  Fixture f;
  auto request = token_for("ann@example.com");
  request.ttl_seconds = 600;
  const auto token = f.auth->create_token(request, t0).value();
  const auto id = f.connected("c", token.mqtt_username, token.secret);
  const auto refreshed = f.auth->refresh_token(token.record.id, token.secret, t0 + 500s).value();
  CHECK(refreshed.record.id == token.record.id);
  CHECK(refreshed.record.expires_at == t0 + 1100s);
  CHECK(refreshed.secret != token.secret);
  f.auth->sweep(t0 + 700s);  // past the old expiry
  CHECK(f.h->received(id).empty());
  ConnectionId other = 0;
  f.wall = t0 + 700s;
  CHECK(f.connect(other, "c2", token.mqtt_username, token.secret) == 0x86);
  CHECK(f.connect(other, "c3", token.mqtt_username, refreshed.secret) == 0);
  CHECK(f.auth->refresh_token(token.record.id, token.secret, t0 + 700s).error().code ==
        cs::ErrorCode::invalid_token);
}

TEST_CASE("a new token for the same user replaces the old one by default", "[auth][tokens]") {
  Fixture f;
  const auto first = f.auth->create_token(token_for("ann@example.com"), t0).value();
  const auto id = f.connected("c", first.mqtt_username, first.secret);
  const auto second = f.auth->create_token(token_for("ann@example.com"), t0 + 1s).value();
  CHECK(std::get<Disconnect>(f.h->received(id).at(0)).reason_code == ReasonCode::not_authorized);
  ConnectionId other = 0;
  CHECK(f.connect(other, "c2", first.mqtt_username, first.secret) == 0x86);
  CHECK(f.connect(other, "c3", second.mqtt_username, second.secret) == 0);
  auto keep = token_for("ann@example.com");
  keep.replace_existing = false;
  f.auth->create_token(keep, t0 + 2s).value();
  CHECK(f.auth->list_tokens(t0 + 3s).value().size() == 2);
  auto bad = token_for("ann@example.com");
  bad.ttl_seconds = 10;
  CHECK(f.auth->create_token(bad, t0).error().message ==
        "ttl_seconds must be between 60 and 86400");
}

TEST_CASE("an rk_ key's scopes narrow what the access list allows", "[auth][keys]") {
  Fixture f;
  cs::auth::AclRule sensors{"", "%", "sensors/#", cs::auth::Permission::pubsub,
                            cs::auth::Effect::allow};
  REQUIRE(f.auth->add_rule(sensors, t0));
  const auto key =
      f.auth->create_key("ingest", KeyType::restricted, {"publish:sensors/#"}, {}, t0).value();
  CHECK(key.secret.starts_with("rk_"));
  const auto id = f.connected("c", f.user("ingest"), key.secret);
  f.h->send(id, make_publish("sensors/t1", "21.5", QoS::at_least_once, 1));
  CHECK(std::get<Puback>(f.h->received(id).at(0)).reason_code == ReasonCode::success);
  // The access list allows users/ingest/#, but no scope does.
  f.h->send(id, make_publish("users/ingest/x", "x", QoS::at_least_once, 2));
  CHECK(std::get<Puback>(f.h->received(id).at(0)).reason_code == ReasonCode::not_authorized);
  // Nor does any scope allow subscribing.
  CHECK(f.h->subscribe(id, "sensors/#") == std::vector<std::uint8_t>{0x87});
  CHECK(f.auth->list_keys().value().front().use_count == 1);
}

TEST_CASE("an sk_ key reaches every topic, rotating or revoking it ends its sessions",
          "[auth][keys]") {
  Fixture f;
  const auto key = f.auth->create_key("backend", KeyType::secret, {}, {}, t0).value();
  const auto id = f.connected("c", f.user("backend"), key.secret);
  CHECK(f.h->subscribe(id, "#") == std::vector<std::uint8_t>{0});
  // A reconnect with the same key is answered from the cache, without bcrypt.
  const auto again = f.h->send_connect("c2", Version::v5, f.user("backend"), key.secret);
  CHECK(std::get<Connack>(f.h->received(again).at(0)).reason_code == 0);

  const auto rotated = f.auth->rotate_key(key.record.id).value();
  CHECK(rotated.record.id == key.record.id);
  CHECK(std::get<Disconnect>(f.h->received(id).at(0)).reason_code == ReasonCode::not_authorized);
  ConnectionId other = 0;
  CHECK(f.connect(other, "c3", f.user("backend"), key.secret) == 0x86);
  const auto fresh = f.connected("c4", f.user("backend"), rotated.secret);
  REQUIRE(f.auth->revoke_key(key.record.id, t0));
  CHECK(std::get<Disconnect>(f.h->received(fresh).at(0)).reason_code == ReasonCode::not_authorized);
  CHECK(f.connect(other, "c5", f.user("backend"), rotated.secret) == 0x86);
}

TEST_CASE("key scopes and allowlists are validated, allowlists are enforced", "[auth][keys]") {
  Fixture f;
  CHECK(f.auth->create_key("k", KeyType::secret, {"read"}, {}, t0).error().message ==
        "scopes apply to restricted keys only");
  CHECK(f.auth->create_key("k", KeyType::restricted, {}, {}, t0).error().message ==
        "a restricted key needs scopes");
  CHECK_FALSE(f.auth->create_key("k", KeyType::restricted, {"publish:a/#/b"}, {}, t0));
  CHECK(f.auth->create_key("k", KeyType::secret, {}, {"10.0.0.0/33"}, t0).error().message ==
        "not a CIDR block: 10.0.0.0/33");
  const auto key =
      f.auth->create_key("k", KeyType::secret, {}, {"10.0.0.0/8", "2001:db8::/32"}, t0).value();
  ConnectionId id = 0;
  CHECK(f.connect(id, "c", f.user("k"), key.secret) ==
        0x87);  // the harness connects from 127.0.0.1
}

TEST_CASE("peer addresses are matched against CIDR blocks", "[auth][keys]") {
  using cs::auth::peer_allowed;
  CHECK(peer_allowed("10.1.2.3:5000", {}));
  CHECK(peer_allowed("10.1.2.3:5000", {"10.0.0.0/8"}));
  CHECK_FALSE(peer_allowed("11.1.2.3:5000", {"10.0.0.0/8"}));
  CHECK(peer_allowed("192.168.1.7:1", {"192.168.1.7"}));
  CHECK(peer_allowed("[2001:db8::1]:443", {"2001:db8::/32"}));
  CHECK_FALSE(peer_allowed("[2001:db9::1]:443", {"2001:db8::/32"}));
  CHECK(peer_allowed("[::ffff:10.0.0.1]:1", {"10.0.0.0/8"}));  // v4-mapped
  CHECK_FALSE(peer_allowed("garbage", {"10.0.0.0/8"}));
  CHECK(cs::auth::validate_cidr("0.0.0.0/0"));
  CHECK_FALSE(cs::auth::validate_cidr("10.0.0.1/8x"));
}

TEST_CASE("deleting a user or changing its password ends its sessions", "[auth]") {
  Fixture f;
  f.auth->create_user("alice", std::string("pw-one"), t0).value();
  auto id = f.connected("c", f.user("alice"), "pw-one");
  REQUIRE(f.auth->set_user_password("alice", "pw-two"));
  CHECK(std::get<Disconnect>(f.h->received(id).at(0)).reason_code == ReasonCode::not_authorized);
  ConnectionId other = 0;
  CHECK(f.connect(other, "c2", f.user("alice"), "pw-one") == 0x86);  // the cache forgot it
  id = f.connected("c3", f.user("alice"), "pw-two");
  REQUIRE(f.auth->delete_user("alice"));
  CHECK(std::get<Disconnect>(f.h->received(id).at(0)).reason_code == ReasonCode::not_authorized);
  CHECK(f.connect(other, "c4", f.user("alice"), "pw-two") == 0x86);
}

TEST_CASE("a deny rule for % limits anonymous clients", "[auth][acl]") {
  cs::auth::AuthOptions options;
  options.allow_anonymous = true;
  Fixture f(options);
  REQUIRE(f.auth->add_rule(
      {"", "%", "secret/#", cs::auth::Permission::pubsub, cs::auth::Effect::deny}, t0));
  ConnectionId id = 0;
  REQUIRE(f.connect(id, "anon", std::nullopt, std::nullopt) == 0);
  CHECK(f.h->subscribe(id, "#") == std::vector<std::uint8_t>{0x87});  // overlaps secret/#
  CHECK(f.h->subscribe(id, "public/#") == std::vector<std::uint8_t>{0});
  f.h->send(id, make_publish("secret/x", "x", QoS::at_least_once, 1));
  CHECK(std::get<Puback>(f.h->received(id).at(0)).reason_code == ReasonCode::not_authorized);
  const auto rule_id = f.auth->acl()->rules().back().id;
  REQUIRE(f.auth->remove_rule(rule_id));
  CHECK(f.h->subscribe(id, "#") == std::vector<std::uint8_t>{0});
}

TEST_CASE("a flood of password checks beyond the queue is turned away as busy", "[auth]") {
  cs::auth::AuthOptions options;
  options.bcrypt_threads = 1;
  options.bcrypt_queue = 1;
  Fixture f(options);
  f.auth->create_user("alice", std::string("pw"), t0).value();
  int busy = 0;
  for (int i = 0; i < 20; ++i) {
    const auto id =
        f.h->send_connect("c" + std::to_string(i), Version::v5, f.user("alice"), "wrong");
    for (const auto& p : f.h->received(id)) {
      if (std::get<Connack>(p).reason_code == 0x89) ++busy;
    }
  }
  CHECK(busy > 0);
}

TEST_CASE("a verified client certificate names the user when no password is sent", "[auth][mtls]") {
  Fixture f;
  auto decide = [&](std::optional<std::string> cert, std::optional<std::string> username,
                    std::optional<std::string> password = std::nullopt) {
    ConnectRequest r;
    r.client_id = "c";
    r.peer = "127.0.0.1:9";
    r.certificate_name = std::move(cert);
    r.username = std::move(username);
    if (password) r.password = cs::Bytes(password->begin(), password->end());
    AuthDecision out;
    f.auth->authenticate(r, t0, [&](AuthDecision d) { out = std::move(d); });
    return out;
  };
  auto d = decide("device-7", std::nullopt);
  REQUIRE(d.accepted);
  CHECK(d.identity->name == "device-7");
  CHECK(d.identity->kind == "certificate");
  // The starter rule gives the certificate's user its own topics, and nothing else.
  CHECK(f.auth->may(*d.identity, "c", "users/device-7/t", cs::auth::Action::publish));
  CHECK_FALSE(f.auth->may(*d.identity, "c", "users/other/t", cs::auth::Action::publish));

  CHECK(decide("device-7", f.user("device-7")).accepted);
  CHECK(decide("device-7", "device-7@" + f.org.id).accepted);
  CHECK(decide("device-7", f.user("someone-else")).reason == ReasonCode::bad_username_or_password);
  CHECK(decide("a/b", std::nullopt).reason == ReasonCode::bad_username_or_password);
  CHECK(decide(std::nullopt, std::nullopt).reason == ReasonCode::not_authorized);
}

TEST_CASE("under --allow-anonymous a certificate client naming nobody stays anonymous",
          "[auth][mtls]") {
  cs::auth::AuthOptions options;
  options.allow_anonymous = true;
  Fixture f(options);
  ConnectRequest r;
  r.client_id = "c";
  r.certificate_name = "device-7";
  AuthDecision out;
  f.auth->authenticate(r, t0, [&](AuthDecision d) { out = std::move(d); });
  REQUIRE(out.accepted);
  CHECK(out.identity->anonymous);
  r.username = f.user("device-7");
  f.auth->authenticate(r, t0, [&](AuthDecision d) { out = std::move(d); });
  REQUIRE(out.accepted);
  CHECK(out.identity->name == "device-7");
}

namespace {

// verify_api_key, waited for: inline when cached, else on a bcrypt worker.
cs::Result<AuthService::KeyAccess> verify_key(AuthService& auth, const std::string& secret,
                                              const std::string& peer = "127.0.0.1:5000") {
  std::promise<cs::Result<AuthService::KeyAccess>> promise;
  auto future = promise.get_future();
  auth.verify_api_key(secret, peer, t0, [&promise](cs::Result<AuthService::KeyAccess> key) {
    promise.set_value(std::move(key));
  });
  return future.get();
}

}  // namespace

TEST_CASE("a cached API key stops working the moment it is rotated or revoked", "[auth][keys]") {
  Fixture f;
  const auto key = f.auth->create_key("backend", KeyType::secret, {}, {}, t0).value();
  REQUIRE(verify_key(*f.auth, key.secret));
  const auto cached = verify_key(*f.auth, key.secret);  // from the key cache now
  REQUIRE(cached);
  CHECK(cached->record.id == key.record.id);
  CHECK(cached->record.hash.empty());
  CHECK(cached->full_access());

  const auto rotated = f.auth->rotate_key(key.record.id).value();
  CHECK(verify_key(*f.auth, key.secret).error().code == cs::ErrorCode::unauthorized);
  REQUIRE(verify_key(*f.auth, rotated.secret));
  REQUIRE(verify_key(*f.auth, rotated.secret));
  REQUIRE(f.auth->revoke_key(key.record.id, t0));
  CHECK(verify_key(*f.auth, rotated.secret).error().code == cs::ErrorCode::unauthorized);
  f.auth->flush_writes();
  CHECK(f.auth->list_keys().value().empty());
}

TEST_CASE("a cached API key still meets its IP allowlist and scopes", "[auth][keys]") {
  Fixture f;
  const auto key =
      f.auth->create_key("k", KeyType::restricted, {"read", "publish:a/#"}, {"10.0.0.0/8"}, t0)
          .value();
  REQUIRE(verify_key(*f.auth, key.secret, "10.1.2.3:5"));
  const auto cached = verify_key(*f.auth, key.secret, "10.1.2.3:6");
  REQUIRE(cached);
  CHECK(cached->scopes.size() == 2);
  CHECK_FALSE(cached->full_access());
  const auto refused = verify_key(*f.auth, key.secret, "11.1.2.3:5");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == cs::ErrorCode::forbidden);
  CHECK(verify_key(*f.auth, key.secret + "x", "10.1.2.3:5").error().code ==
        cs::ErrorCode::unauthorized);
}
