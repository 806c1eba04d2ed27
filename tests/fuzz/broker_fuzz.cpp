// Fuzz target for the broker core: any bytes from a client after (or instead of) a valid
// CONNECT. The broker must answer or close, never crash, and keep its bookkeeping consistent.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/log.h"
#include "devbroker/mqtt/broker.h"
#include "devbroker/mqtt/codec.h"

using namespace cs::mqtt;

namespace {

class AllowAll final : public Authorizer {
 public:
  std::optional<AuthDecision> authenticate(const ConnectRequest&) override {
    AuthDecision d;
    d.accepted = true;
    d.reason = ReasonCode::success;
    d.identity = std::make_shared<Identity>();
    return d;
  }
  bool may_publish(const Identity&, std::string_view, std::string_view topic) override {
    return topic != "denied";
  }
  bool may_subscribe(const Identity&, std::string_view, std::string_view) override { return true; }
  std::string save_identity(const Identity&) override { return "allowed"; }
  std::shared_ptr<const Identity> restore_identity(std::string_view) override {
    return std::make_shared<Identity>();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cs::log::set_level(cs::log::Level::error);
  AllowAll auth;
  cs::devbroker::Limits limits;
  limits.max_packet_size = 4096;
  TimePoint now{};
  Broker broker(BrokerOptions{limits, std::chrono::seconds(5), "fuzz"}, auth, now);

  // A subscriber, so that fuzzed publishes are routed and delivered somewhere.
  broker.on_open(1, "sub", now);
  Connect c;
  c.version = Version::v5;
  c.client_id = "sub";
  cs::Bytes hello;
  encode(c, Version::v5, hello);
  encode(Subscribe{1, {}, {SubscriptionRequest{"#", QoS::exactly_once, false, false, 0}}},
         Version::v5, hello);
  broker.on_data(1, hello, now);

  // The first input byte chooses whether the fuzzed client starts with a valid CONNECT.
  broker.on_open(2, "fuzz", now);
  if (size > 0 && (data[0] & 1) != 0) {
    Connect fc;
    fc.version = (data[0] & 2) != 0 ? Version::v5 : Version::v311;
    fc.client_id = "fuzz";
    fc.keep_alive = 10;
    cs::Bytes b;
    encode(fc, fc.version, b);
    broker.on_data(2, b, now);
  }
  // Feed the rest in two pieces, to exercise reassembly, then let time pass.
  const std::size_t half = size / 2;
  broker.on_data(2, cs::ByteView(data, size).subspan(0, half), now);
  broker.on_data(2, cs::ByteView(data, size).subspan(half), now);
  for (int i = 0; i < 4; ++i) {
    now += std::chrono::seconds(8);
    broker.on_tick(now);
  }
  broker.take_ready();
  (void)broker.take_output(1);
  (void)broker.take_output(2);
  broker.on_closed(2, now);
  broker.on_closed(1, now);
  if (broker.stats().clients_connected != 0) std::abort();
  return 0;
}
