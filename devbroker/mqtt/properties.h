#pragma once
// MQTT 5.0 properties (section 2.2.2.2): which packet may carry which property, reading them
// with the checks the specification asks for, and writing them. Internal to the codec.

#include <cstddef>
#include <cstdint>

#include "devbroker/mqtt/packet.h"
#include "devbroker/mqtt/wire.h"

namespace cs::mqtt {

/// Where a property list sits; each place allows its own set of properties.
enum class PropertyContext : std::uint8_t {
  connect,
  will,
  connack,
  publish,
  puback,
  pubrec,
  pubrel,
  pubcomp,
  subscribe,
  suback,
  unsubscribe,
  unsuback,
  disconnect,
  auth,
};

/// Reads a property length and the properties after it from `reader` into `out`, checking the
/// identifiers, which ones `context` allows, duplicates and values; errors go to `reader`.
void read_properties(wire::Reader& reader, PropertyContext context, Properties& out);

/// The number of bytes the properties set in `properties` take, without the length prefix.
std::size_t properties_size(const Properties& properties);

/// Writes the property length `size` (from properties_size) and then every property set in
/// `properties`, in identifier order; user properties keep their order.
void write_properties(const Properties& properties, std::uint32_t size, wire::Writer& writer);

}  // namespace cs::mqtt
