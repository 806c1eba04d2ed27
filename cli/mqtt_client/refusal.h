#pragma once
// What a broker's refusals mean to a person: CONNACK, SUBACK, PUBACK and DISCONNECT codes
// become Errors (and so exit codes) in this one place.

#include <string>
#include <string_view>

#include "cli/mqtt_client/url.h"
#include "common/error.h"
#include "devbroker/mqtt/packet.h"

namespace cs::cli::mqtt_client {

/// The specification's words for MQTT 5.0 reason code `code` ("not authorized"), or "reason
/// code 0xNN" for one it does not define.
std::string reason_name(int code);

/// The error for a CONNACK that refused the connection to `url` with `code` (a 3.1.1 return
/// code 1-5 or a 5.0 reason code, as `version` says).
Error connack_error(mqtt::Version version, int code, std::string_view url);

/// The error for a SUBACK `code` of 0x80 or more refusing `filter` under `version`.
Error subscribe_error(mqtt::Version version, std::string_view filter, int code);

/// The error for an MQTT 5.0 PUBACK or PUBREC `code` of 0x80 or more refusing a message to
/// `topic`.
Error publish_error(std::string_view topic, int code);

/// The error for an MQTT 5.0 DISCONNECT with `code` that the broker at `url` sent.
Error disconnect_error(int code, std::string_view url);

/// The error when no connection to `url` could be made; `tls_detail` is the TLS library's reason
/// when the TLS handshake failed (empty otherwise, which over TLS may still mean a certificate
/// that does not name the host: that check comes after the handshake and says nothing).
Error connect_failure(const MqttUrl& url, std::string_view tls_detail);

/// The reason part of one line of OpenSSL's error queue
/// ("...:error:0A000086:SSL routines:func:certificate verify failed:file:line:"), or the line
/// without its trailing newline when it has another form.
std::string tls_reason(std::string_view openssl_line);

}  // namespace cs::cli::mqtt_client
