#pragma once
// A byte stream as the broker host sees it: TCP, TLS, WebSocket or WebSocket over TLS behind
// one interface.

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cs::net {

using ReadHandler = std::function<void(boost::system::error_code, std::size_t)>;
using WriteHandler = std::function<void(boost::system::error_code, std::size_t)>;

/// The names of a client certificate that the TLS handshake verified (mutual TLS). Only
/// printable ASCII names are kept; an empty common name means none was usable.
struct ClientCertificate {
  std::string common_name;
  std::vector<std::string> dns_names;  // subjectAltName DNS entries
  std::vector<std::string> emails;     // subjectAltName email entries
};

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
  /// Transports with a closing handshake of their own (TLS, WebSocket) just close.
  virtual void shutdown_send() { close(); }
  /// "1.2.3.4:5678", for logs.
  virtual std::string peer() const = 0;
  /// The client certificate verified during async_start, if the transport asked for one.
  virtual std::optional<ClientCertificate> client_certificate() const { return std::nullopt; }
};

/// Wraps an accepted socket in the stream of one transport.
using StreamFactory = std::function<std::unique_ptr<Stream>(boost::asio::ip::tcp::socket)>;

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
