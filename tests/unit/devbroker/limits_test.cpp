#include "devbroker/limits.h"

#include <catch2/catch.hpp>

using cs::devbroker::Limits;
using cs::devbroker::validate;

TEST_CASE("the default limits are valid", "[limits]") {
  CHECK(validate(Limits{}));
}

TEST_CASE("unusable limits are refused naming the setting", "[limits]") {
  Limits l;
  l.max_packet_size = 64;
  CHECK(validate(l).error().message ==
        "setting max_packet_size must be between 128 and 268435460 bytes");

  l = Limits{};
  l.receive_maximum = 0;
  CHECK(validate(l).error().message == "setting receive_maximum must be at least 1");

  l = Limits{};
  l.max_client_id_length = 10;  // MQTT requires servers to accept 23-byte client ids
  CHECK(validate(l).error().message ==
        "setting max_client_id_length must be between 23 and 65535 bytes");

  l = Limits{};
  l.max_topic_length = 70000;
  CHECK_FALSE(validate(l));
}
