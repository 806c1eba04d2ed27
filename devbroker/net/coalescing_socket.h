#pragma once
// A TCP socket under a layered stream (WebSocket, TLS under WebSocket) that can gather writes.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace cs::net {

/// Between begin_batch() and flush(), each write is copied and completes at once, and the flush
/// sends them all together: a burst of WebSocket messages (each its own frame, and over WSS its
/// own TLS record) leaves in one send instead of one per message. A write outside a batch
/// completes only once its bytes are sent, as on the socket itself, so a peer that stops
/// reading still holds back whoever writes (control frames, TLS records). Writes reach the
/// socket in the order they were made; reads pass straight through.
///
/// Like any Asio stream: one thread (or strand), one write operation at a time from the layer
/// above. A batch holds what its writes copied until the flush, so the caller bounds it.
class CoalescingSocket {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  using executor_type = Socket::executor_type;
  using next_layer_type = Socket;
  using lowest_layer_type = Socket::lowest_layer_type;
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;

  explicit CoalescingSocket(Socket socket) : m_socket(std::move(socket)) {}
  CoalescingSocket(CoalescingSocket&&) = delete;  // handlers in flight hold `this`

  executor_type get_executor() noexcept { return m_socket.get_executor(); }
  Socket& next_layer() noexcept { return m_socket; }
  const Socket& next_layer() const noexcept { return m_socket; }
  lowest_layer_type& lowest_layer() noexcept { return m_socket.lowest_layer(); }
  const lowest_layer_type& lowest_layer() const noexcept { return m_socket.lowest_layer(); }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return m_socket.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          const std::size_t size = boost::asio::buffer_size(b);
          std::uint8_t* to = append(size);
          if (to != nullptr) boost::asio::buffer_copy(boost::asio::buffer(to, size), b);
          written(size, Handler(std::move(handler)));
        },
        token, buffers);
  }

  /// From here until flush(), writes complete as soon as they are copied.
  void begin_batch() { m_batching = true; }

  /// Ends the batch and calls `done` (never from within this call) once every byte written so
  /// far has been sent, or with the error that stopped the sending.
  void flush(std::function<void(boost::system::error_code)> done);

  /// Bytes written and not yet sent.
  std::size_t pending() const { return static_cast<std::size_t>(m_appended - m_sent); }

 private:
  struct Waiter {
    std::uint64_t end;  // the write's last byte, counted from the first byte ever written
    std::size_t size;   // what its handler reports
    Handler handler;

    Waiter(std::uint64_t end_, std::size_t size_, Handler handler_)
        : end(end_), size(size_), handler(std::move(handler_)) {}
    // Moves rather than copies when the vector grows (moving the handler cannot throw). No
    // assignment: any_completion_handler's move assignment in Boost 1.81 wraps the source
    // instead of taking it over, so waiters are only ever move-constructed.
    Waiter(Waiter&&) noexcept = default;
    Waiter& operator=(Waiter&&) = delete;
  };

  // Room for `size` more bytes at the end of the output, or nullptr after an error.
  std::uint8_t* append(std::size_t size);
  void written(std::size_t size, Handler handler);
  void send();
  void on_sent(boost::system::error_code ec, std::size_t size);
  void complete(Handler handler, boost::system::error_code ec, std::size_t size);

  Socket m_socket;
  std::vector<std::uint8_t> m_out;      // written, not yet handed to the socket
  std::vector<std::uint8_t> m_sending;  // handed to the socket, in flight
  std::vector<Waiter> m_waiters;        // in the order of their bytes; rarely more than two
  std::uint64_t m_appended = 0;
  std::uint64_t m_sent = 0;
  boost::system::error_code m_error;  // the first failed send; every later write fails with it
  bool m_batching = false;
  bool m_in_flight = false;
};

/// WebSocket closing handshake's end on a CoalescingSocket: that of the TCP socket under it.
/// (Found by Beast through argument-dependent lookup.)
void teardown(boost::beast::role_type role, CoalescingSocket& socket,
              boost::system::error_code& ec);

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, CoalescingSocket& socket,
                    TeardownHandler&& handler) {
  boost::beast::websocket::async_teardown(role, socket.next_layer(),
                                          std::forward<TeardownHandler>(handler));
}

}  // namespace cs::net
