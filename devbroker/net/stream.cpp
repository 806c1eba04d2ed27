#include "devbroker/net/stream.h"

namespace cs::net {

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string out = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  out.push_back(':');
  out.append(std::to_string(endpoint.port()));
  return out;
}

}  // namespace cs::net
