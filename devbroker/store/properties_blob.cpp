#include "devbroker/store/properties_blob.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace cs::store {

namespace {

using nlohmann::json;

// Calls `visit(identifier, field)` for every field of `p`; encoding and decoding share this one
// list, so they cannot disagree on an identifier.
template <class Props, class Visit>
void for_each_property(Props& p, Visit&& visit) {
  visit(0x01, p.payload_format_indicator);
  visit(0x02, p.message_expiry_interval);
  visit(0x03, p.content_type);
  visit(0x08, p.response_topic);
  visit(0x09, p.correlation_data);
  visit(0x0B, p.subscription_identifiers);
  visit(0x11, p.session_expiry_interval);
  visit(0x12, p.assigned_client_identifier);
  visit(0x13, p.server_keep_alive);
  visit(0x15, p.authentication_method);
  visit(0x16, p.authentication_data);
  visit(0x17, p.request_problem_information);
  visit(0x18, p.will_delay_interval);
  visit(0x19, p.request_response_information);
  visit(0x1A, p.response_information);
  visit(0x1C, p.server_reference);
  visit(0x1F, p.reason_string);
  visit(0x21, p.receive_maximum);
  visit(0x22, p.topic_alias_maximum);
  visit(0x23, p.topic_alias);
  visit(0x24, p.maximum_qos);
  visit(0x25, p.retain_available);
  visit(0x26, p.user_properties);
  visit(0x27, p.maximum_packet_size);
  visit(0x28, p.wildcard_subscription_available);
  visit(0x29, p.subscription_identifiers_available);
  visit(0x2A, p.shared_subscription_available);
}

json to_json(std::uint32_t value) {
  return value;
}
json to_json(const std::string& value) {
  return value;
}
json to_json(const Bytes& value) {
  return json::binary(value);
}
json to_json(const mqtt::UserProperty& value) {
  return json::array({value.key, value.value});
}

template <class T>
requires std::is_unsigned_v<T>
bool from_json(const json& j, T& out) {
  if (!j.is_number_unsigned()) return false;
  const auto value = j.get<std::uint64_t>();
  if (value > std::numeric_limits<T>::max()) return false;
  out = static_cast<T>(value);
  return true;
}
bool from_json(const json& j, std::string& out) {
  if (!j.is_string()) return false;
  out = j.get<std::string>();
  return true;
}
bool from_json(const json& j, Bytes& out) {
  if (!j.is_binary()) return false;
  const auto& binary = j.get_binary();
  out.assign(binary.begin(), binary.end());
  return true;
}
bool from_json(const json& j, mqtt::UserProperty& out) {
  return j.is_array() && j.size() == 2 && from_json(j[0], out.key) && from_json(j[1], out.value);
}

struct Encoder {
  json& map;
  template <class T>
  void operator()(int id, const std::optional<T>& field) {
    if (field) map[std::to_string(id)] = to_json(*field);
  }
  template <class T>
  void operator()(int id, const std::vector<T>& field) {
    if (field.empty()) return;
    json list = json::array();
    for (const auto& item : field) list.push_back(to_json(item));
    map[std::to_string(id)] = std::move(list);
  }
};

struct Decoder {
  const json& map;
  bool ok = true;
  template <class T>
  void operator()(int id, std::optional<T>& field) {
    const auto it = map.find(std::to_string(id));
    if (it == map.end()) return;
    T value{};
    if (!from_json(*it, value)) {
      ok = false;
      return;
    }
    field = std::move(value);
  }
  template <class T>
  void operator()(int id, std::vector<T>& field) {
    const auto it = map.find(std::to_string(id));
    if (it == map.end()) return;
    if (!it->is_array()) {
      ok = false;
      return;
    }
    for (const auto& item : *it) {
      T value{};
      if (!from_json(item, value)) {
        ok = false;
        return;
      }
      field.push_back(std::move(value));
    }
  }
};

}  // namespace

Bytes encode_properties(const mqtt::Properties& properties) {
  if (properties == mqtt::Properties{}) return {};
  json map = json::object();
  for_each_property(properties, Encoder{map});
  Bytes blob{k_properties_format};
  json::to_cbor(map, blob);
  return blob;
}

Result<mqtt::Properties> decode_properties(ByteView blob) {
  mqtt::Properties properties;
  if (blob.empty()) return properties;
  if (blob[0] != k_properties_format) {
    return fail(ErrorCode::io, "stored MQTT properties have an unknown format " +
                                   std::to_string(static_cast<int>(blob[0])));
  }
  const json map = json::from_cbor(blob.begin() + 1, blob.end(), true, false);
  if (map.is_discarded() || !map.is_object()) {
    return fail(ErrorCode::io, "stored MQTT properties are damaged (not a CBOR map)");
  }
  Decoder decoder{map};
  for_each_property(properties, decoder);
  if (!decoder.ok) {
    return fail(ErrorCode::io, "stored MQTT properties are damaged (a value has the wrong type)");
  }
  return properties;
}

}  // namespace cs::store
