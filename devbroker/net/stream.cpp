#include "devbroker/net/stream.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

namespace cs::net {

TcpStream::TcpStream(boost::asio::ip::tcp::socket socket) : m_socket(std::move(socket)) {
  boost::system::error_code ignored;
  // MQTT packets are small and latency matters more than coalescing.
  m_socket.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
}

void TcpStream::async_start(std::function<void(boost::system::error_code)> done) {
  done(boost::system::error_code{});
}

void TcpStream::async_read_some(void* data, std::size_t size, ReadHandler handler) {
  m_socket.async_read_some(boost::asio::buffer(data, size), std::move(handler));
}

void TcpStream::async_write(const void* data, std::size_t size, WriteHandler handler) {
  boost::asio::async_write(m_socket, boost::asio::buffer(data, size), std::move(handler));
}

void TcpStream::close() {
  boost::system::error_code ignored;
  m_socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  m_socket.close(ignored);
}

void TcpStream::shutdown_send(CloseCause) {
  boost::system::error_code ignored;
  m_socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

std::string TcpStream::peer() const {
  boost::system::error_code ec;
  const auto ep = m_socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint_text(ep);
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string out = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  out.push_back(':');
  out.append(std::to_string(endpoint.port()));
  return out;
}

}  // namespace cs::net
