// How the reasons the broker closes a connection for become what a transport tells the peer.

#include "devbroker/net/broker_host.h"

#include <catch2/catch.hpp>

using cs::mqtt::ReasonCode;
using cs::net::close_cause;
using cs::net::CloseCause;

TEST_CASE("close causes: a normal end, a server going away, protocol errors", "[net]") {
  CHECK(close_cause(ReasonCode::success) == CloseCause::normal);
  CHECK(close_cause(ReasonCode::disconnect_with_will) == CloseCause::normal);
  CHECK(close_cause(ReasonCode::session_taken_over) == CloseCause::normal);
  CHECK(close_cause(ReasonCode::server_shutting_down) == CloseCause::going_away);
  for (auto reason : {ReasonCode::malformed_packet, ReasonCode::protocol_error,
                      ReasonCode::unsupported_protocol_version, ReasonCode::topic_name_invalid,
                      ReasonCode::topic_alias_invalid, ReasonCode::receive_maximum_exceeded,
                      ReasonCode::payload_format_invalid}) {
    INFO(static_cast<int>(reason));
    CHECK(close_cause(reason) == CloseCause::protocol_error);
  }
}

TEST_CASE("close causes: sizes, the server's rules and its own trouble", "[net]") {
  CHECK(close_cause(ReasonCode::packet_too_large) == CloseCause::too_big);
  for (auto reason :
       {ReasonCode::not_authorized, ReasonCode::bad_username_or_password,
        ReasonCode::client_identifier_not_valid, ReasonCode::banned, ReasonCode::keep_alive_timeout,
        ReasonCode::administrative_action, ReasonCode::quota_exceeded, ReasonCode::server_busy,
        ReasonCode::maximum_connect_time}) {
    INFO(static_cast<int>(reason));
    CHECK(close_cause(reason) == CloseCause::policy_violation);
  }
  CHECK(close_cause(ReasonCode::unspecified_error) == CloseCause::server_error);
  CHECK(close_cause(ReasonCode::server_unavailable) == CloseCause::server_error);
}
