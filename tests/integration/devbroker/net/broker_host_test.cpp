// The broker host's socket handling, seen from real clients.

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "devbroker/mqtt/codec.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"

using namespace std::chrono_literals;
using cs::test::DevBroker;
using cs::test::run_process;

TEST_CASE("a message far larger than the first read crosses the broker intact",
          "[integration][net]") {
  // Reads start small and grow; a 600 KB PUBLISH spans many of them, at every size.
  std::string payload;
  for (int i = 0; payload.size() < 600 * 1024; ++i) payload.append(std::to_string(i)).append(",");
  DevBroker dev;
  const std::string port = std::to_string(dev.mqtt_port());
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    const std::string topic = "large/" + v;
    const auto pub = run_process({"mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", v, "-t",
                                  topic, "-q", "1", "-r", "-s"},
                                 10s, payload);
    INFO(pub.err);
    REQUIRE(pub.exit_code == 0);
    const auto sub = run_process({"mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", v, "-t",
                                  topic, "-C", "1", "-W", "10", "-N"},
                                 15s);
    CHECK(sub.exit_code == 0);
    CHECK(sub.out.size() == payload.size());
    CHECK(sub.out == payload);
  }
}

namespace {

using cs::mqtt::Packet;

// A raw MQTT 3.1.1 client on a blocking loopback socket; every read gives up after 10 s.
class RawClient {
 public:
  /// Connects to `port`, with a receive buffer of `receive_buffer` bytes when not 0 (set before
  /// the handshake, so that the TCP window stays that small).
  explicit RawClient(int port, int receive_buffer = 0) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(m_fd >= 0);
    if (receive_buffer > 0) {
      ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    }
    timeval timeout{10, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  }
  ~RawClient() { ::close(m_fd); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(const Packet& packet) {
    cs::Bytes out;
    cs::mqtt::encode(packet, cs::mqtt::Version::v311, out);
    std::size_t sent = 0;
    while (sent < out.size()) {
      const ssize_t n = ::send(m_fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      REQUIRE(n > 0);
      sent += static_cast<std::size_t>(n);
    }
  }

  /// The next packet, or nullopt when the connection ends or nothing comes for 10 s.
  std::optional<Packet> receive() {
    for (;;) {
      const cs::ByteView view(m_input.data(), m_input.size());
      auto header = cs::mqtt::read_fixed_header(view, 1 << 24);
      REQUIRE(header);
      if (*header && m_input.size() >= (*header)->total_size()) {
        auto packet = cs::mqtt::decode(
            **header, view.subspan((*header)->header_size, (*header)->remaining_length),
            cs::mqtt::Version::v311);
        REQUIRE(packet);
        m_input.erase(m_input.begin(),
                      m_input.begin() + static_cast<long>((*header)->total_size()));
        return std::move(*packet);
      }
      std::uint8_t buffer[16384];
      const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
      if (n <= 0) return std::nullopt;
      m_input.insert(m_input.end(), buffer, buffer + n);
    }
  }

  /// Sends CONNECT as `client_id` (with `will`, if any, and `keep_alive` seconds) and returns
  /// the CONNACK's return code (-1: none came).
  int connect(const std::string& client_id, std::optional<cs::mqtt::Will> will = std::nullopt,
              std::uint16_t keep_alive = 60) {
    cs::mqtt::Connect connect;
    connect.version = cs::mqtt::Version::v311;
    connect.client_id = client_id;
    connect.keep_alive = keep_alive;
    connect.will = std::move(will);
    send(connect);
    auto answer = receive();
    if (!answer || !std::holds_alternative<cs::mqtt::Connack>(*answer)) return -1;
    return std::get<cs::mqtt::Connack>(*answer).reason_code;
  }

  /// Makes receive() give up after `timeout` of silence (10 s until set).
  void set_receive_timeout(std::chrono::milliseconds timeout) {
    timeval value{static_cast<time_t>(timeout.count() / 1000),
                  static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof(value));
  }

  /// Sends FIN: no more bytes from this client.
  void shutdown_write() { ::shutdown(m_fd, SHUT_WR); }

 private:
  int m_fd = -1;
  cs::Bytes m_input;
};

// CPU seconds (user + system) `pid` has used.
double cpu_seconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stol(field);
  }
  return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

int open_descriptors(int pid) {
  int count = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("a subscriber that stops reading gets every message, whole and in order, when it reads",
          "[integration][net]") {
  // Far more than the socket buffers hold (the kernel lets a send buffer grow to tcp_wmem's
  // maximum): the broker's writes stop half-way and go on when the subscriber makes room.
  std::size_t send_buffer_max = 4 << 20;
  std::ifstream("/proc/sys/net/ipv4/tcp_wmem") >> send_buffer_max >> send_buffer_max >>
      send_buffer_max;
  constexpr std::size_t k_size = 128 * 1024;
  const std::size_t messages = 2 * send_buffer_max / k_size + 8;
  DevBroker dev;
  RawClient subscriber(dev.mqtt_port(), 4096);
  REQUIRE(subscriber.connect("stalled-reader") == 0);
  cs::mqtt::Subscribe subscribe;
  subscribe.packet_id = 1;
  subscribe.subscriptions.push_back({"stall/#", cs::mqtt::QoS::at_least_once});
  subscriber.send(subscribe);
  auto suback = subscriber.receive();
  REQUIRE(suback);
  REQUIRE(std::holds_alternative<cs::mqtt::Suback>(*suback));

  const std::string port = std::to_string(dev.mqtt_port());
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < messages; ++i) {
    std::string payload(k_size, static_cast<char>('a' + i % 26));
    payload.replace(0, 8, std::to_string(10000000 + i));
    const auto pub = run_process(
        {"mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", "stall/t", "-q", "1", "-s"}, 10s,
        payload);
    INFO(pub.err);
    REQUIRE(pub.exit_code == 0);
    payloads.push_back(std::move(payload));
  }

  std::vector<std::string> received;
  while (received.size() < payloads.size()) {
    auto packet = subscriber.receive();
    REQUIRE(packet);
    REQUIRE(std::holds_alternative<cs::mqtt::Publish>(*packet));
    const auto& publish = std::get<cs::mqtt::Publish>(*packet);
    received.emplace_back(publish.payload.begin(), publish.payload.end());
    cs::mqtt::Puback ack;
    ack.packet_id = publish.packet_id;
    subscriber.send(ack);
  }
  REQUIRE(received.size() == payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    INFO("message " << i);
    CHECK(received[i] == payloads[i]);
  }
}

TEST_CASE("out of file descriptors, the broker waits for one without spinning, then accepts",
          "[integration][net]") {
  // The broker inherits a descriptor limit just above what it needs to start: clients beyond
  // it wait in the listen backlog.
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
  rlimit low = saved;
  low.rlim_cur = 64;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  std::unique_ptr<DevBroker> dev;
  try {
    dev = std::make_unique<DevBroker>();
  } catch (...) {
    ::setrlimit(RLIMIT_NOFILE, &saved);
    throw;
  }
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
  const int pid = dev->process().pid();

  // Clients connect until one gets no CONNACK: connected by TCP, but the broker has no
  // descriptor to accept it with. (Counting the broker's descriptors up front would race with
  // any it opens later.)
  std::vector<std::unique_ptr<RawClient>> first;
  std::unique_ptr<RawClient> waiting;
  for (int i = 0; i < 64 && !waiting; ++i) {
    auto client = std::make_unique<RawClient>(dev->mqtt_port());
    client->set_receive_timeout(2s);
    const int answer = client->connect("client-" + std::to_string(i));
    if (answer == -1) {
      waiting = std::move(client);
    } else {
      REQUIRE(answer == 0);
      first.push_back(std::move(client));
    }
  }
  REQUIRE(waiting);
  REQUIRE(first.size() > 2);
  waiting->set_receive_timeout(10s);
  const double cpu_before = cpu_seconds(pid);
  std::this_thread::sleep_for(1500ms);
  // Retrying a few times a second, not in a loop: well under a tenth of a core.
  CHECK(cpu_seconds(pid) - cpu_before < 0.15);

  first.clear();  // frees descriptors in the broker as it sees the clients go
  auto connack = waiting->receive();
  REQUIRE(connack);
  REQUIRE(std::holds_alternative<cs::mqtt::Connack>(*connack));
  CHECK(std::get<cs::mqtt::Connack>(*connack).reason_code == 0);
  CHECK(dev->process().err().find("Too many open files") != std::string::npos);
}

TEST_CASE("a client's last packet and its FIN arriving together: the broker sees the close",
          "[integration][net]") {
  // Without a DISCONNECT the will goes out as soon as the broker notices the end, not after
  // the keep alive (60 s) runs out.
  DevBroker dev;
  RawClient watcher(dev.mqtt_port());
  REQUIRE(watcher.connect("watcher") == 0);
  cs::mqtt::Subscribe subscribe;
  subscribe.packet_id = 1;
  subscribe.subscriptions.push_back({"wills/#", cs::mqtt::QoS::at_most_once});
  watcher.send(subscribe);
  REQUIRE(watcher.receive());  // SUBACK

  for (int round = 0; round < 20; ++round) {
    const std::string name = "leaver-" + std::to_string(round);
    RawClient leaver(dev.mqtt_port());
    cs::mqtt::Will will;
    will.topic = "wills/" + name;
    will.payload = cs::Bytes(name.begin(), name.end());
    REQUIRE(leaver.connect(name, will) == 0);
    // A PINGREQ and the FIN back to back: often one wake-up of the broker sees both.
    leaver.send(cs::mqtt::Pingreq{});
    leaver.shutdown_write();
    const auto start = std::chrono::steady_clock::now();
    auto packet = watcher.receive();
    REQUIRE(packet);
    REQUIRE(std::holds_alternative<cs::mqtt::Publish>(*packet));
    const auto& publish = std::get<cs::mqtt::Publish>(*packet);
    CHECK(publish.topic == "wills/" + name);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
  }
}

TEST_CASE("a client that stops reading and goes silent is closed, its writes pending or not",
          "[integration][net]") {
  // Its keep alive runs out while the broker still has megabytes for it that the socket will
  // not take: the close waits for them no longer than the linger, then the socket is freed.
  DevBroker dev;
  const int pid = dev.process().pid();
  RawClient publisher(dev.mqtt_port());
  REQUIRE(publisher.connect("flooder") == 0);
  const int baseline = open_descriptors(pid);

  auto stalled = std::make_unique<RawClient>(dev.mqtt_port(), 4096);
  REQUIRE(stalled->connect("stalled", std::nullopt, 2) == 0);
  cs::mqtt::Subscribe subscribe;
  subscribe.packet_id = 1;
  subscribe.subscriptions.push_back({"flood/#", cs::mqtt::QoS::at_most_once});
  stalled->send(subscribe);
  REQUIRE(stalled->receive());  // SUBACK
  CHECK(open_descriptors(pid) == baseline + 1);

  std::size_t send_buffer_max = 4 << 20;
  std::ifstream("/proc/sys/net/ipv4/tcp_wmem") >> send_buffer_max >> send_buffer_max >>
      send_buffer_max;
  cs::mqtt::Publish flood;
  flood.topic = "flood/x";
  flood.payload = cs::Bytes(128 * 1024, 'f');
  for (std::size_t sent = 0; sent < 2 * send_buffer_max; sent += flood.payload.size()) {
    publisher.send(flood);
  }
  // Keep alive 2 s: closed after 3 s of silence, then at most 2 s of linger.
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (open_descriptors(pid) > baseline && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  CHECK(open_descriptors(pid) == baseline);
}
