// Fuzz target for the MQTT codec: any bytes, both protocol versions. A packet that decodes must
// encode and decode again to the same packet; nothing may crash or read out of bounds.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "devbroker/mqtt/codec.h"

using namespace cs::mqtt;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cs::ByteView input(data, size);
  for (Version version : {Version::v311, Version::v5}) {
    auto header = read_fixed_header(input, 1 << 20);
    if (!header || !header->has_value()) continue;
    const FixedHeader& h = **header;
    if (h.total_size() > input.size()) continue;
    auto packet = decode(h, input.subspan(h.header_size, h.remaining_length), version);
    if (!packet) continue;
    // CONNECT carries its own version; everything else is re-encoded under the one it was read as.
    const Version out_version =
        std::holds_alternative<Connect>(*packet) ? std::get<Connect>(*packet).version : version;
    cs::Bytes bytes;
    encode(*packet, out_version, bytes);
    if (bytes.size() != encoded_size(*packet, out_version)) std::abort();
    auto again_header = read_fixed_header(bytes, 1 << 20);
    if (!again_header || !again_header->has_value()) std::abort();
    const FixedHeader& g = **again_header;
    auto again =
        decode(g, cs::ByteView(bytes).subspan(g.header_size, g.remaining_length), out_version);
    if (!again || !(*again == *packet)) std::abort();
  }
  return 0;
}
