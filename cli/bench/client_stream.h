#pragma once
// The byte stream under one bench client: plain TCP, TLS, WebSocket or WebSocket over TLS,
// behind one interface so that the load clients need not know which. Each stream is used from
// one strand; its owner keeps it alive until every handler has run.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/bench/workload.h"
#include "common/result.h"

namespace cs::bench {

using ConnectHandler = std::function<void(boost::system::error_code)>;
using IoHandler = std::function<void(boost::system::error_code, std::size_t)>;

class ClientStream {
 public:
  virtual ~ClientStream() = default;
  /// Connects to `endpoint`, then runs the transport's handshakes (TLS, WebSocket upgrade).
  virtual void async_connect(const boost::asio::ip::tcp::endpoint& endpoint,
                             ConnectHandler done) = 0;
  /// Reads some bytes into `data` (at most `size`).
  virtual void async_read_some(void* data, std::size_t size, IoHandler handler) = 0;
  /// Writes all `size` bytes at `data` (one binary message on WebSocket); they stay valid until
  /// `handler` runs.
  virtual void async_write(const void* data, std::size_t size, IoHandler handler) = 0;
  /// Closes the connection at once; pending operations complete with an error.
  virtual void close() = 0;
};

using TlsClientContext = std::shared_ptr<boost::asio::ssl::context>;

/// A client TLS context that verifies brokers against `ca_file`, or against the system's trust
/// store when none is given; the error names the file that would not load.
Result<TlsClientContext> make_client_tls_context(
    const std::optional<std::filesystem::path>& ca_file);

/// A stream on `executor` for the broker at `address`; `tls` is required for mqtts and wss.
std::unique_ptr<ClientStream> make_client_stream(boost::asio::any_io_executor executor,
                                                 const BrokerAddress& address,
                                                 const TlsClientContext& tls);

}  // namespace cs::bench
