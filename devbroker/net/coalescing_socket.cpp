#include "devbroker/net/coalescing_socket.h"

#include <boost/asio/write.hpp>

namespace cs::net {

namespace asio = boost::asio;

std::uint8_t* CoalescingSocket::append(std::size_t size) {
  if (m_error) return nullptr;
  const std::size_t old = m_out.size();
  m_out.resize(old + size);
  m_appended += size;
  return m_out.data() + old;
}

void CoalescingSocket::written(std::size_t size, Handler handler) {
  if (m_error) return complete(std::move(handler), m_error, 0);
  if (m_batching) return complete(std::move(handler), {}, size);
  m_waiters.push_back(Waiter{m_appended, size, std::move(handler)});
  send();
}

void CoalescingSocket::flush(std::function<void(boost::system::error_code)> done) {
  m_batching = false;
  Handler handler(
      [done = std::move(done)](boost::system::error_code ec, std::size_t) { done(ec); });
  if (m_error) return complete(std::move(handler), m_error, 0);
  if (m_sent == m_appended) return complete(std::move(handler), {}, 0);
  m_waiters.push_back(Waiter{m_appended, 0, std::move(handler)});
  send();
}

void CoalescingSocket::send() {
  if (m_in_flight || m_batching || m_out.empty()) return;
  m_in_flight = true;
  m_sending.swap(m_out);
  asio::async_write(m_socket, asio::buffer(m_sending),
                    [this](boost::system::error_code ec, std::size_t size) { on_sent(ec, size); });
}

void CoalescingSocket::on_sent(boost::system::error_code ec, std::size_t size) {
  m_in_flight = false;
  m_sent += size;
  m_sending.clear();
  if (ec) {
    m_error = ec;
    m_sent = m_appended;  // what was not sent never will be
    m_out = {};
    m_sending = {};
    std::vector<Waiter> failed = std::exchange(m_waiters, {});
    for (auto& waiter : failed) complete(std::move(waiter.handler), ec, 0);
    return;
  }
  std::size_t done = 0;
  while (done < m_waiters.size() && m_waiters[done].end <= m_sent) {
    complete(std::move(m_waiters[done].handler), {}, m_waiters[done].size);
    ++done;
  }
  if (done > 0) {
    std::vector<Waiter> rest;
    rest.reserve(m_waiters.size() - done);
    for (std::size_t i = done; i < m_waiters.size(); ++i) rest.push_back(std::move(m_waiters[i]));
    m_waiters.swap(rest);
  }
  if (m_out.empty()) {
    // Between bursts a connection keeps no buffers.
    m_out = {};
    m_sending = {};
    if (m_waiters.empty()) std::vector<Waiter>().swap(m_waiters);
    return;
  }
  send();
}

// The handlers of the layers above run on the socket's executor (the broker host's one thread);
// none carries an executor of its own (no strands here).
void CoalescingSocket::complete(Handler handler, boost::system::error_code ec, std::size_t size) {
  asio::post(m_socket.get_executor(),
             [handler = std::move(handler), ec, size]() mutable { std::move(handler)(ec, size); });
}

void teardown(boost::beast::role_type role, CoalescingSocket& socket,
              boost::system::error_code& ec) {
  boost::beast::websocket::teardown(role, socket.next_layer(), ec);
}

}  // namespace cs::net
