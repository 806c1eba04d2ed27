#pragma once
// A byte stream with a layer of its own as the broker host sees it: TLS, WebSocket or WebSocket
// over TLS behind one interface. (Plain TCP the host reads and writes itself.)

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cs::net {

/// Why the broker ends a connection, for transports that can tell the peer (WebSocket close
/// codes, RFC 6455 section 7.4.1).
enum class CloseCause {
  normal,            // the client said goodbye, or nothing went wrong (1000)
  going_away,        // the server is shutting down (1001)
  protocol_error,    // the client broke the MQTT protocol (1002)
  policy_violation,  // refused or ended by the server's rules: auth, limits, keep alive (1008)
  too_big,           // a packet over the maximum size (1009)
  server_error,      // the server could not go on (1011)
};

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
  /// Says "no more data" to the peer after what was written (TCP FIN), while reads go on, for
  /// `cause`. Transports with a closing handshake of their own (TLS, WebSocket) close, telling
  /// the peer `cause` when they can.
  virtual void shutdown_send(CloseCause cause) {
    (void)cause;
    close();
  }
  /// "1.2.3.4:5678", for logs.
  virtual std::string peer() const = 0;
  /// The client certificate verified during async_start, if the transport asked for one.
  virtual std::optional<ClientCertificate> client_certificate() const { return std::nullopt; }
};

/// Wraps an accepted socket in the stream of one transport.
using StreamFactory = std::function<std::unique_ptr<Stream>(boost::asio::ip::tcp::socket)>;

/// "address:port" of `endpoint`, with IPv6 addresses in brackets.
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace cs::net
