#include "cli/mqtt_client/refusal.h"

#include <catch2/catch.hpp>

using namespace cs::cli::mqtt_client;
using cs::ErrorCode;
using cs::mqtt::Version;

TEST_CASE("refusals: CONNACK codes of both versions", "[cli][mqtt_client]") {
  auto e = connack_error(Version::v5, 0x86, "mqtt://127.0.0.1:1883");
  CHECK(e.code == ErrorCode::unauthorized);
  CHECK(e.message ==
        "the broker at mqtt://127.0.0.1:1883 refused the connection: bad user name or password "
        "(0x86)");
  CHECK(e.hint == "check -u and -P (or CLOUDSIGNAL_MQTT_USERNAME and CLOUDSIGNAL_MQTT_PASSWORD)");

  e = connack_error(Version::v311, 4, "mqtt://h:1883");
  CHECK(e.code == ErrorCode::unauthorized);
  CHECK(e.message ==
        "the broker at mqtt://h:1883 refused the connection: bad user name or password (return "
        "code 4)");
  CHECK(connack_error(Version::v311, 5, "u").code == ErrorCode::unauthorized);
  CHECK(connack_error(Version::v5, 0x87, "u").code == ErrorCode::unauthorized);
  CHECK(connack_error(Version::v5, 0x8A, "u").code == ErrorCode::forbidden);
  CHECK(connack_error(Version::v5, 0x84, "u").hint == "try --mqtt-version 3");
  CHECK(connack_error(Version::v311, 1, "u").code == ErrorCode::invalid_request);
  CHECK(connack_error(Version::v311, 2, "u").hint.find("-i") != std::string::npos);
  CHECK(connack_error(Version::v311, 3, "u").code == ErrorCode::unavailable);
  CHECK(connack_error(Version::v5, 0x89, "u").code == ErrorCode::unavailable);
  CHECK(connack_error(Version::v5, 0x9F, "u").code == ErrorCode::rate_limited);
  CHECK(connack_error(Version::v311, 9, "u").message ==
        "the broker at u refused the connection: return code 9 (return code 9)");
}

TEST_CASE("refusals: a refused subscription names the filter and the code", "[cli][mqtt_client]") {
  auto e = subscribe_error(Version::v5, "sensors/#", 0x87);
  CHECK(e.code == ErrorCode::forbidden);
  CHECK(e.message == "the broker refused the subscription to 'sensors/#': not authorized (0x87)");
  CHECK(cs::exit_code(e.code) == 3);
  e = subscribe_error(Version::v311, "sensors/#", 0x80);
  CHECK(e.code == ErrorCode::forbidden);
  CHECK(e.message == "the broker refused the subscription to 'sensors/#': failure (0x80)");
  CHECK(subscribe_error(Version::v5, "a", 0x8F).code == ErrorCode::invalid_request);
  CHECK(subscribe_error(Version::v5, "$share/g/a", 0x9E).message ==
        "the broker refused the subscription to '$share/g/a': shared subscriptions not "
        "supported (0x9E)");
  CHECK(subscribe_error(Version::v5, "a", 0x97).code == ErrorCode::rate_limited);
  CHECK(subscribe_error(Version::v5, "a", 0x80).code == ErrorCode::unavailable);
}

TEST_CASE("refusals: PUBACK and DISCONNECT codes", "[cli][mqtt_client]") {
  auto e = publish_error("a/b", 0x87);
  CHECK(e.code == ErrorCode::forbidden);
  CHECK(e.message == "the broker refused the message to 'a/b': not authorized (0x87)");
  CHECK(publish_error("a", 0x99).code == ErrorCode::invalid_request);
  CHECK(publish_error("a", 0x97).code == ErrorCode::rate_limited);

  e = disconnect_error(0x8B, "mqtt://h:1");
  CHECK(e.code == ErrorCode::unreachable);
  CHECK(e.message == "the broker at mqtt://h:1 closed the connection: server shutting down (0x8B)");
  CHECK(disconnect_error(0x87, "u").code == ErrorCode::unauthorized);
  CHECK(disconnect_error(0xA0, "u").code == ErrorCode::unauthorized);
  CHECK(disconnect_error(0x8E, "u").code == ErrorCode::conflict);
  CHECK(disconnect_error(0x98, "u").code == ErrorCode::unavailable);
}

TEST_CASE("refusals: reason code names", "[cli][mqtt_client]") {
  CHECK(reason_name(0x80) == "unspecified error");
  CHECK(reason_name(0x9B) == "QoS not supported");
  CHECK(reason_name(0xA2) == "wildcard subscriptions not supported");
  CHECK(reason_name(0xA3) == "reason code 0xA3");
  CHECK(reason_name(0x10) == "reason code 0x10");
}

TEST_CASE("refusals: connection and TLS failures say what to try", "[cli][mqtt_client]") {
  auto e = connect_failure(*parse_mqtt_url("mqtt://127.0.0.1:1"), "");
  CHECK(e.code == ErrorCode::unreachable);
  CHECK(cs::exit_code(e.code) == 6);
  CHECK(e.message == "cannot connect to mqtt://127.0.0.1:1");
  CHECK(e.hint ==
        "check that the broker runs on that port, or pass another --url (or "
        "CLOUDSIGNAL_MQTT_URL)");
  e = connect_failure(*parse_mqtt_url("mqtts://localhost:8883"), "certificate verify failed");
  CHECK(e.code == ErrorCode::unreachable);
  CHECK(e.message ==
        "the TLS handshake with mqtts://localhost:8883 failed: certificate verify failed");
  CHECK(e.hint.find("--cafile") != std::string::npos);
  // Without a TLS reason the certificate may still not name the host.
  e = connect_failure(*parse_mqtt_url("wss://vm:18885"), "");
  CHECK(e.message == "cannot connect to wss://vm:18885/mqtt");
  CHECK(e.hint ==
        "check that the broker runs and speaks TLS on that port and that its certificate names "
        "'vm', or pass another --url (or CLOUDSIGNAL_MQTT_URL)");
}

TEST_CASE("refusals: the reason from an OpenSSL error line", "[cli][mqtt_client]") {
  CHECK(tls_reason("40F7A1B2C37F0000:error:0A000086:SSL "
                   "routines:tls_post_process_server_certificate:certificate verify "
                   "failed:../ssl/statem/statem_clnt.c:1889:\n") == "certificate verify failed");
  CHECK(tls_reason("something else\n") == "something else");
  CHECK(tls_reason("x:error:0A:lib") == "x:error:0A:lib");
}
