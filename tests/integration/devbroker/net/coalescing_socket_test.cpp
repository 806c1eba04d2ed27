// CoalescingSocket on a real loopback connection: what the peer receives, and when writes
// complete.

#include "devbroker/net/coalescing_socket.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;
using cs::net::CoalescingSocket;

namespace {

// A connected pair on 127.0.0.1: `ours` wrapped, `peer` plain. The peer's receive buffer and
// our send buffer can be made small, so that a large write cannot complete until the peer reads.
struct Pair {
  asio::io_context io;
  std::unique_ptr<CoalescingSocket> ours;
  tcp::socket peer{io};

  explicit Pair(int buffer = 0) {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    tcp::socket client(io);
    client.open(tcp::v4());
    if (buffer > 0) client.set_option(asio::socket_base::receive_buffer_size(buffer));
    client.connect(acceptor.local_endpoint());
    tcp::socket accepted = acceptor.accept();
    if (buffer > 0) accepted.set_option(asio::socket_base::send_buffer_size(buffer));
    ours = std::make_unique<CoalescingSocket>(std::move(accepted));
    peer = std::move(client);
  }

  // Runs handlers until `done` holds (or nothing is left to run).
  template <class Predicate>
  void run_until(Predicate done) {
    io.restart();
    while (!done() && io.run_one() > 0) {
    }
  }

  std::string read_exactly(std::size_t size) {
    std::string out(size, '\0');
    asio::read(peer, asio::buffer(out));
    return out;
  }
};

}  // namespace

TEST_CASE("coalescing socket: a batch of writes completes at once and arrives whole, in order",
          "[integration][net]") {
  Pair pair;
  pair.ours->begin_batch();
  std::vector<std::string> parts;
  for (int i = 0; i < 200; ++i) parts.push_back("part-" + std::to_string(i) + ";");
  std::size_t completed = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    pair.ours->async_write_some(asio::buffer(parts[i]),
                                [&](boost::system::error_code ec, std::size_t n) {
                                  CHECK(!ec);
                                  CHECK(n == parts[completed].size());
                                  ++completed;
                                });
    pair.run_until([&] { return completed == i + 1; });
  }
  REQUIRE(completed == parts.size());
  std::string all;
  for (const auto& part : parts) all += part;
  // Nothing went out during the batch.
  CHECK(pair.ours->pending() == all.size());
  CHECK(pair.peer.available() == 0);

  bool flushed = false;
  pair.ours->flush([&](boost::system::error_code ec) {
    CHECK(!ec);
    flushed = true;
  });
  CHECK(!flushed);  // never from within flush()
  pair.run_until([&] { return flushed; });
  REQUIRE(flushed);
  CHECK(pair.ours->pending() == 0);
  CHECK(pair.read_exactly(all.size()) == all);
}

TEST_CASE("coalescing socket: outside a batch a write completes only once the peer takes it",
          "[integration][net]") {
  // Far more than both socket buffers hold: the write waits for the peer to read.
  Pair pair(16 * 1024);
  const std::string big(8 << 20, 'x');
  bool completed = false;
  pair.ours->async_write_some(asio::buffer(big), [&](boost::system::error_code ec, std::size_t n) {
    CHECK(!ec);
    CHECK(n == big.size());
    completed = true;
  });
  pair.io.restart();
  pair.io.run_for(std::chrono::milliseconds(200));
  CHECK(!completed);
  CHECK(pair.ours->pending() > 0);

  std::string received;
  std::thread reader([&] { received = pair.read_exactly(big.size()); });
  pair.run_until([&] { return completed; });
  reader.join();
  CHECK(completed);
  CHECK(received == big);
}

TEST_CASE("coalescing socket: writes made while a flush is sending go out after it",
          "[integration][net]") {
  Pair pair;
  pair.ours->begin_batch();
  const std::string first(256 * 1024, 'a');
  bool first_done = false;
  pair.ours->async_write_some(asio::buffer(first),
                              [&](boost::system::error_code, std::size_t) { first_done = true; });
  pair.run_until([&] { return first_done; });
  bool flushed = false;
  pair.ours->flush([&](boost::system::error_code ec) {
    CHECK(!ec);
    flushed = true;
  });
  // A control frame, say, written while the batch is still on its way.
  const std::string second = "after";
  bool second_done = false;
  pair.ours->async_write_some(asio::buffer(second),
                              [&](boost::system::error_code ec, std::size_t n) {
                                CHECK(!ec);
                                CHECK(n == second.size());
                                second_done = true;
                              });
  std::string received;
  std::thread reader([&] { received = pair.read_exactly(first.size() + second.size()); });
  pair.run_until([&] { return flushed && second_done; });
  reader.join();
  CHECK(flushed);
  CHECK(second_done);
  CHECK(received == first + second);
}

TEST_CASE("coalescing socket: a failed send fails the flush and every later write",
          "[integration][net]") {
  Pair pair;
  pair.peer.set_option(asio::socket_base::linger(true, 0));
  pair.peer.close();  // RST: sends fail
  std::string chunk(64 * 1024, 'z');
  boost::system::error_code failure;
  for (int round = 0; round < 50 && !failure; ++round) {
    pair.ours->begin_batch();
    bool written = false;
    pair.ours->async_write_some(asio::buffer(chunk),
                                [&](boost::system::error_code, std::size_t) { written = true; });
    pair.run_until([&] { return written; });
    bool flushed = false;
    pair.ours->flush([&](boost::system::error_code ec) {
      failure = ec;
      flushed = true;
    });
    pair.run_until([&] { return flushed; });
    REQUIRE(flushed);
  }
  REQUIRE(failure);
  CHECK(pair.ours->pending() == 0);  // nothing kept for a connection that is gone

  boost::system::error_code later;
  std::size_t later_size = 1;
  bool done = false;
  pair.ours->async_write_some(asio::buffer(chunk),
                              [&](boost::system::error_code ec, std::size_t n) {
                                later = ec;
                                later_size = n;
                                done = true;
                              });
  pair.run_until([&] { return done; });
  CHECK(later == failure);
  CHECK(later_size == 0);
}
