#include "tests/support/broker_harness.h"

#include <stdexcept>

#include "common/log.h"

namespace cs::test {

using namespace cs::mqtt;

AuthDecision TestAuthorizer::decide(const ConnectRequest& request) const {
  AuthDecision d;
  if (!request.username) {
    if (!allow_anonymous) {
      d.reason = ReasonCode::not_authorized;
      d.message = "anonymous refused";
      return d;
    }
  } else {
    auto it = passwords.find(*request.username);
    const std::string given = request.password ? to_string(*request.password) : std::string();
    if (it == passwords.end() || it->second != given) {
      d.reason = ReasonCode::bad_username_or_password;
      d.message = "wrong password";
      return d;
    }
  }
  auto identity = std::make_shared<Identity>();
  identity->anonymous = !request.username;
  identity->username = request.username.value_or("");
  identity->name = identity->username;
  d.accepted = true;
  d.reason = ReasonCode::success;
  d.identity = identity;
  return d;
}

std::string TestAuthorizer::save_identity(const Identity& identity) {
  return identity.anonymous ? std::string("anonymous") : "user:" + identity.name;
}

std::shared_ptr<const Identity> TestAuthorizer::restore_identity(std::string_view saved) {
  auto identity = std::make_shared<Identity>();
  if (saved == "anonymous") {
    identity->anonymous = true;
  } else if (saved.starts_with("user:")) {
    identity->name = identity->username = std::string(saved.substr(5));
  } else {
    return nullptr;
  }
  return identity;
}

std::optional<AuthDecision> TestAuthorizer::authenticate(const ConnectRequest& request) {
  if (defer) {
    deferred.push_back(request);
    return std::nullopt;
  }
  return decide(request);
}

BrokerHarness::BrokerHarness(devbroker::Limits limits)
    : now(Clock::time_point{} + std::chrono::hours(1000)),
      broker(BrokerOptions{limits, std::chrono::seconds(5), "test"}, authorizer, now) {
  log::set_level(log::Level::warn);  // connection chatter would bury test failures
}

BrokerHarness::BrokerHarness(Persistence& persistence, devbroker::Limits limits)
    : now(Clock::time_point{} + std::chrono::hours(1000)),
      broker(BrokerOptions{limits, std::chrono::seconds(5), "test"}, authorizer, now,
             &persistence) {
  log::set_level(log::Level::warn);
}

BrokerHarness::BrokerHarness(Authorizer& other, devbroker::Limits limits)
    : now(Clock::time_point{} + std::chrono::hours(1000)),
      broker(BrokerOptions{limits, std::chrono::seconds(5), "test"}, other, now) {
  log::set_level(log::Level::warn);
}

ConnectionId BrokerHarness::send_connect(const std::string& client_id, Version version,
                                         std::optional<std::string> username,
                                         std::optional<std::string> password) {
  const ConnectionId id = open();
  Connect c;
  c.version = version;
  c.client_id = client_id;
  c.keep_alive = 60;
  c.username = std::move(username);
  if (password) c.password = Bytes(password->begin(), password->end());
  send(id, c, version);
  return id;
}

ConnectionId BrokerHarness::open() {
  const ConnectionId id = m_next++;
  broker.on_open(id, "127.0.0.1:" + std::to_string(40000 + id), now);
  return id;
}

void BrokerHarness::send(ConnectionId id, const Packet& packet, Version version) {
  Bytes bytes;
  encode(packet, version, bytes);
  send_bytes(id, bytes);
}

void BrokerHarness::send_bytes(ConnectionId id, const Bytes& bytes) {
  broker.on_data(id, bytes, now);
}

std::vector<Packet> BrokerHarness::received(ConnectionId id, Version version) {
  broker.take_ready();
  const Bytes out = broker.take_output(id);
  std::vector<Packet> packets = std::move(m_held[id]);
  m_held.erase(id);
  ByteView rest(out);
  while (!rest.empty()) {
    auto header = read_fixed_header(rest, 0xFFFFFFF);
    if (!header || !header->has_value()) throw std::runtime_error("broker wrote a bad header");
    const auto& h = **header;
    auto packet = decode(h, rest.subspan(h.header_size, h.remaining_length), version);
    if (!packet) throw std::runtime_error("broker wrote a bad packet: " + packet.error().message);
    packets.push_back(std::move(*packet));
    rest = rest.subspan(h.total_size());
  }
  return packets;
}

void BrokerHarness::advance(std::chrono::milliseconds by) {
  // Tick at the broker's cadence so that timers fire as they would in production.
  const auto step = Broker::tick_interval();
  for (auto left = by; left.count() > 0; left -= step) {
    now += std::min(step, left);
    broker.on_tick(now);
  }
}

ConnectionId BrokerHarness::connect(const std::string& client_id, Version version, bool clean_start,
                                    Properties properties, std::optional<Will> will,
                                    Connack* connack) {
  const ConnectionId id = open();
  Connect c;
  c.version = version;
  c.clean_start = clean_start;
  c.keep_alive = 60;
  c.client_id = client_id;
  c.properties = std::move(properties);
  c.will = std::move(will);
  send(id, c, version);
  auto packets = received(id, version);
  if (packets.empty() || !std::holds_alternative<Connack>(packets.front())) {
    throw std::runtime_error("no CONNACK");
  }
  const Connack ack = std::get<Connack>(packets.front());
  if (ack.reason_code != 0) throw std::runtime_error("CONNECT refused");
  if (connack != nullptr) *connack = ack;
  m_held[id].assign(std::make_move_iterator(packets.begin() + 1),
                    std::make_move_iterator(packets.end()));
  return id;
}

std::vector<std::uint8_t> BrokerHarness::subscribe(ConnectionId id, const std::string& filter,
                                                   QoS qos, Version version) {
  Subscribe s;
  s.packet_id = 1;
  SubscriptionRequest r;
  r.filter = filter;
  r.max_qos = qos;
  s.subscriptions.push_back(r);
  send(id, s, version);
  std::optional<std::vector<std::uint8_t>> codes;
  for (auto& p : received(id, version)) {
    if (auto* ack = std::get_if<Suback>(&p); ack != nullptr && !codes) {
      codes = ack->reason_codes;
    } else {
      m_held[id].push_back(std::move(p));
    }
  }
  if (!codes) throw std::runtime_error("no SUBACK");
  return *codes;
}

Publish make_publish(const std::string& topic, std::string_view payload, QoS qos,
                     std::uint16_t packet_id, bool retain) {
  Publish p;
  p.topic = topic;
  p.payload.assign(payload.begin(), payload.end());
  p.qos = qos;
  p.packet_id = packet_id;
  p.retain = retain;
  return p;
}

std::vector<Publish> publishes(const std::vector<Packet>& packets) {
  std::vector<Publish> out;
  for (const auto& p : packets) {
    if (auto* pub = std::get_if<Publish>(&p)) out.push_back(*pub);
  }
  return out;
}

std::string payload_text(const Publish& p) {
  return to_string(p.payload);
}

}  // namespace cs::test
