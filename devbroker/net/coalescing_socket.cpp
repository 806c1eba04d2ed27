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
    while (!m_waiters.empty()) {
      Handler handler = std::move(m_waiters.front().handler);
      m_waiters.pop_front();
      complete(std::move(handler), ec, 0);
    }
    return;
  }
  while (!m_waiters.empty() && m_waiters.front().end <= m_sent) {
    Waiter waiter = std::move(m_waiters.front());
    m_waiters.pop_front();
    complete(std::move(waiter.handler), {}, waiter.size);
  }
  if (m_out.empty()) {
    // Between bursts a connection keeps no output buffers.
    m_out = {};
    m_sending = {};
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
