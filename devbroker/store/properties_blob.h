#pragma once
// MQTT 5.0 properties as a stored blob: one format byte (1), then a CBOR map from each set
// property's identifier (in decimal, e.g. "3" for content type) to its value. Binary values are
// CBOR byte strings, user properties an array of [key, value] pairs in their order. A new format
// gets a new first byte; old blobs stay readable.

#include "common/crypto/bytes.h"
#include "common/result.h"
#include "devbroker/mqtt/packet.h"

namespace cs::store {

inline constexpr std::uint8_t k_properties_format = 1;

/// The blob for `properties`; empty when no property is set (stored as NULL).
Bytes encode_properties(const mqtt::Properties& properties);

/// The properties in `blob` (empty: none); an unknown format, damaged CBOR or a value of the
/// wrong type or range is an io error (the stored data is damaged).
Result<mqtt::Properties> decode_properties(ByteView blob);

}  // namespace cs::store
