#pragma once
// A byte stream as the broker host sees it: TCP now, TLS and WebSocket later, one interface.

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <functional>
#include <string>

namespace cs::net {

using ReadHandler = std::function<void(boost::system::error_code, std::size_t)>;
using WriteHandler = std::function<void(boost::system::error_code, std::size_t)>;

class Stream {
 public:
  virtual ~Stream() = default;
  /// Prepares the stream (TLS handshake, WebSocket upgrade); plain TCP is ready at once.
  virtual void async_start(std::function<void(boost::system::error_code)> done) = 0;
  /// Reads some bytes into `data` (at most `size`).
  virtual void async_read_some(void* data, std::size_t size, ReadHandler handler) = 0;
  /// Writes all of `size` bytes at `data`, which stay valid until `handler` runs.
  virtual void async_write(const void* data, std::size_t size, WriteHandler handler) = 0;
  /// Closes the stream now; pending operations complete with an error.
  virtual void close() = 0;
  /// Says "no more data" to the peer after what was written (TCP FIN), while reads go on.
  virtual void shutdown_send() = 0;
  /// "1.2.3.4:5678", for logs.
  virtual std::string peer() const = 0;
};

/// Plain TCP.
class TcpStream final : public Stream {
 public:
  explicit TcpStream(boost::asio::ip::tcp::socket socket);
  void async_start(std::function<void(boost::system::error_code)> done) override;
  void async_read_some(void* data, std::size_t size, ReadHandler handler) override;
  void async_write(const void* data, std::size_t size, WriteHandler handler) override;
  void close() override;
  void shutdown_send() override;
  std::string peer() const override;

 private:
  boost::asio::ip::tcp::socket m_socket;
};

/// "address:port" of `endpoint`, with IPv6 addresses in brackets.
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace cs::net
